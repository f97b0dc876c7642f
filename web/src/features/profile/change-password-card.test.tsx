import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, noContent } from '../../test/fake-api';
import { ChangePasswordCard } from './change-password-card';

async function fill(current: string, next: string, confirm: string) {
  if (current) await userEvent.type(screen.getByLabelText('Current password'), current);
  if (next) await userEvent.type(screen.getByLabelText('New password'), next);
  if (confirm) await userEvent.type(screen.getByLabelText('Confirm new password'), confirm);
}

// The server's policy as GET /api/auth/password-policy states it; the page passes it in.
const rules = { min_length: 8, max_bytes: 72 };

describe('ChangePasswordCard', () => {
  it("checks the new password's length by the policy before sending", async () => {
    const server = fakeApi({});
    render(<ChangePasswordCard passwordRules={rules} />);
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('At least 8 characters.');
    await fill('old-password', 'short', 'shorter');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    expect(screen.getByLabelText('New password')).toHaveFocus();
    // One message: the error replaces the hint that says the same thing.
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('Use at least 8 characters.');
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription("The passwords don't match.");
    expect(server.requests).toHaveLength(0);
  });

  it("follows the operator's minimum", async () => {
    fakeApi({});
    render(<ChangePasswordCard passwordRules={{ min_length: 15, max_bytes: 72 }} />);
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('At least 15 characters.');
    await fill('old-password', 'kayak-mercury', 'kayak-mercury');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('Use at least 15 characters.');
  });

  it("shows the server's reason for refusing the new password under it", async () => {
    fakeApi({
      'POST /api/users/me/password': json(422, {
        detail: [
          {
            loc: ['body', 'new_password'],
            msg: "This password is built from your email address, your name or the service's name, which attackers try first: choose another.",
            type: 'value_error.password.personal',
            ctx: { score: 1, warning: '', suggestions: ['Add another word or two. Uncommon words are better.'] },
          },
        ],
      }),
    });
    render(<ChangePasswordCard passwordRules={rules} />);
    await fill('old-password', 'ada-lovelace-1815', 'ada-lovelace-1815');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    await waitFor(() =>
      expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(
        "This password is built from your email address, your name or the service's name, which attackers try first: choose another. Add another word or two. Uncommon words are better.",
      ),
    );
    expect(screen.getByLabelText('New password')).toHaveFocus();
  });

  it('puts a wrong current password under its field', async () => {
    fakeApi({ 'POST /api/users/me/password': json(400, { detail: 'Incorrect password', code: 'incorrect_password' }) });
    render(<ChangePasswordCard passwordRules={rules} />);
    await fill('not-it', 'violet-kayak-mercury-19', 'violet-kayak-mercury-19');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('Incorrect password.'),
    );
    expect(screen.getByLabelText('Current password')).toHaveFocus();
  });

  it('confirms the change, clears the form and tells the page', async () => {
    const server = fakeApi({ 'POST /api/users/me/password': noContent() });
    const onChanged = vi.fn();
    render(<ChangePasswordCard passwordRules={rules} onChanged={onChanged} />);
    await fill('old-password', 'violet-kayak-mercury-19', 'violet-kayak-mercury-19');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    const region = screen.getByRole('region', { name: 'Password' });
    expect(await within(region).findByRole('status')).toHaveTextContent('Password changed.');
    expect(screen.getByLabelText('Current password')).toHaveValue('');
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      current_password: 'old-password',
      new_password: 'violet-kayak-mercury-19',
    });
  });

  it('treats a busy server like a rate limit: a countdown, then the form again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const busy = new Response(JSON.stringify({ detail: 'The server is busy; try again in a moment', code: 'busy' }), {
        status: 503,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
      });
      const server = fakeApi({ 'POST /api/users/me/password': busy });
      render(<ChangePasswordCard passwordRules={rules} />);
      await fill('old-password', 'tundra-pilgrim-saffron-7', 'tundra-pilgrim-saffron-7');
      await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

      expect(await screen.findByRole('timer')).toHaveTextContent('Gatehouse is busy right now. Try again in 1 second.');
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Change password' })).toHaveAttribute('aria-disabled', 'true');

      await act(() => vi.advanceTimersByTimeAsync(1000));
      expect(screen.queryByRole('timer')).not.toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Change password' })).not.toHaveAttribute('aria-disabled');
      // The values stay, so trying again is one click.
      expect(screen.getByLabelText('Current password')).toHaveValue('old-password');
      expect(server.requests).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
