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

describe('ChangePasswordCard', () => {
  it('checks the new password before sending', async () => {
    const server = fakeApi({});
    render(<ChangePasswordCard />);
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('At least 8 characters.');
    await fill('old-password', 'short', 'shorter');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    expect(screen.getByLabelText('New password')).toHaveFocus();
    // One message: the error replaces the hint that says the same thing.
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('Use at least 8 characters.');
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription("The passwords don't match.");
    expect(server.requests).toHaveLength(0);
  });

  it('puts a wrong current password under its field', async () => {
    fakeApi({ 'POST /api/users/me/password': json(400, { detail: 'Incorrect password', code: 'incorrect_password' }) });
    render(<ChangePasswordCard />);
    await fill('not-it', 'a-new-password', 'a-new-password');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('Incorrect password.'),
    );
    expect(screen.getByLabelText('Current password')).toHaveFocus();
  });

  it('confirms the change, clears the form and tells the page', async () => {
    const server = fakeApi({ 'POST /api/users/me/password': noContent() });
    const onChanged = vi.fn();
    render(<ChangePasswordCard onChanged={onChanged} />);
    await fill('old-password', 'a-new-password', 'a-new-password');
    await userEvent.click(screen.getByRole('button', { name: 'Change password' }));

    const region = screen.getByRole('region', { name: 'Password' });
    expect(await within(region).findByRole('status')).toHaveTextContent('Password changed.');
    expect(screen.getByLabelText('Current password')).toHaveValue('');
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      current_password: 'old-password',
      new_password: 'a-new-password',
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
      render(<ChangePasswordCard />);
      await fill('old-password', 'new-password-1', 'new-password-1');
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
