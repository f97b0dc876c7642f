import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json, sampleUser, token } from '../../test/fake-api';
import { renderWithAuth } from '../../test/render';
import { resendCooldownSeconds, UnverifiedBanner } from './unverified-banner';

const queued = () => json(202, { detail: 'A new confirmation mail is on its way' });

function mailLimited(seconds: number): Response {
  return new Response(JSON.stringify({ detail: 'Too many emails sent lately', code: 'mail_rate_limited' }), {
    status: 429,
    headers: { 'Content-Type': 'application/json', 'Retry-After': String(seconds) },
  });
}

const resendButton = () => screen.findByRole('button', { name: 'Send the mail again' });

describe('UnverifiedBanner', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays away for a verified user', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': json(200, { ...sampleUser, email_verified: true }),
    });
    renderWithAuth(<UnverifiedBanner />);
    await waitFor(() => expect(server.calls('GET /api/users/me')).toHaveLength(1));
    expect(screen.queryByRole('heading', { name: 'Confirm your email' })).not.toBeInTheDocument();
  });

  it('resends with the session, then rests for a minute, then says it can send again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const server = fakeApi({
      'POST /api/auth/session/refresh': token('access-1'),
      'GET /api/users/me': json(200, sampleUser),
      'POST /api/auth/verify-email/resend': queued(),
    });
    renderWithAuth(<UnverifiedBanner />);
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    expect(await screen.findByRole('region', { name: 'Confirm your email' })).toHaveTextContent(
      'We sent a link to ada@example.com.',
    );

    await user.click(await resendButton());
    const timer = await screen.findByRole('timer');
    expect(timer).toHaveTextContent(`You can ask for another in ${resendCooldownSeconds} seconds.`);
    const button = await resendButton();
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveAccessibleDescription(`You can ask for another in ${resendCooldownSeconds} seconds.`);
    expect(screen.getByText('A new mail is on its way to ada@example.com.')).toHaveAttribute('aria-live', 'polite');
    const resend = server.calls('POST /api/auth/verify-email/resend');
    expect(resend).toHaveLength(1);
    expect(resend[0]?.headers.get('Authorization')).toBe('Bearer access-1');

    // A click while resting sends nothing.
    await user.click(button);
    expect(server.calls('POST /api/auth/verify-email/resend')).toHaveLength(1);

    act(() => {
      vi.advanceTimersByTime(resendCooldownSeconds * 1000);
    });
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
    expect(screen.getByText('You can ask for another mail now.')).toHaveAttribute('aria-live', 'polite');
    expect(await resendButton()).not.toHaveAttribute('aria-disabled');
  });

  it('honours Retry-After when the server has sent enough mails', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': json(200, sampleUser),
      'POST /api/auth/verify-email/resend': mailLimited(720),
    });
    renderWithAuth(<UnverifiedBanner />);
    await userEvent.click(await resendButton());
    expect(await screen.findByRole('timer')).toHaveTextContent('Too many emails sent. Try again in 720 seconds.');
    expect(await resendButton()).toHaveAttribute('aria-disabled', 'true');
  });

  it('goes away when the address was confirmed meanwhile', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': [json(200, sampleUser), json(200, { ...sampleUser, email_verified: true })],
      'POST /api/auth/verify-email/resend': json(409, {
        detail: 'This email address is already verified',
        code: 'email_already_verified',
      }),
    });
    renderWithAuth(<UnverifiedBanner />);
    await userEvent.click(await resendButton());
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Confirm your email' })).not.toBeInTheDocument());
  });

  it('shows a failure it cannot wait out', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': json(200, sampleUser),
      'POST /api/auth/verify-email/resend': json(500, { detail: 'Internal server error', code: 'internal' }),
    });
    renderWithAuth(<UnverifiedBanner />);
    await userEvent.click(await resendButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('Internal server error.');
    expect(await resendButton()).not.toHaveAttribute('aria-disabled');
  });
});
