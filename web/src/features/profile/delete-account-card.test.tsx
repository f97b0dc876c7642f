import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, noContent, rateLimited } from '../../test/fake-api';
import { DeleteAccountCard } from './delete-account-card';

describe('DeleteAccountCard', () => {
  it('needs the password and an explicit confirmation', async () => {
    const server = fakeApi({ 'DELETE /api/users/me': noContent() });
    const onDeleted = vi.fn();
    render(<DeleteAccountCard onDeleted={onDeleted} />);

    await userEvent.click(screen.getByRole('button', { name: 'Delete account…' }));
    expect(screen.getByLabelText('Password')).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password to confirm.');

    await userEvent.type(screen.getByLabelText('Password'), 'my-password');
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account' }));
    const checkbox = screen.getByRole('checkbox', { name: /permanently deletes my account/ });
    expect(checkbox).toHaveFocus();
    expect(checkbox).toHaveAccessibleDescription("Confirm that you understand this can't be undone.");
    expect(server.requests).toHaveLength(0);

    await userEvent.click(checkbox);
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account' }));

    await waitFor(() => expect(onDeleted).toHaveBeenCalledTimes(1));
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ password: 'my-password' });
  });

  it('puts a wrong password under its field', async () => {
    fakeApi({ 'DELETE /api/users/me': json(400, { detail: 'Incorrect password', code: 'incorrect_password' }) });
    const onDeleted = vi.fn();
    render(<DeleteAccountCard onDeleted={onDeleted} />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete account…' }));
    await userEvent.type(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('checkbox'));
    await userEvent.click(screen.getByRole('button', { name: 'Delete my account' }));

    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Incorrect password.'));
    expect(onDeleted).not.toHaveBeenCalled();
  });

  it('cancels back to the button that opened it', async () => {
    fakeApi({});
    render(<DeleteAccountCard onDeleted={vi.fn()} />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete account…' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Delete account…' })).toHaveFocus();
  });

  it('counts a rate limit down and re-enables the button when it ends', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
      const server = fakeApi({ 'DELETE /api/users/me': [rateLimited(61), noContent()] });
      const onDeleted = vi.fn();
      render(<DeleteAccountCard onDeleted={onDeleted} />);
      await user.click(screen.getByRole('button', { name: 'Delete account…' }));
      await user.type(screen.getByLabelText('Password'), 'my-password');
      await user.click(screen.getByRole('checkbox'));
      await user.click(screen.getByRole('button', { name: 'Delete my account' }));

      expect(await screen.findByRole('timer')).toHaveTextContent('Too many attempts. Try again in 61 seconds.');
      const button = screen.getByRole('button', { name: 'Delete my account' });
      expect(button).toHaveAttribute('aria-disabled', 'true');
      await user.click(button);
      expect(server.requests).toHaveLength(1);

      await act(() => vi.advanceTimersByTimeAsync(60_000));
      expect(screen.getByRole('timer')).toHaveTextContent('Try again in 1 second.');
      await act(() => vi.advanceTimersByTimeAsync(1000));
      expect(screen.queryByRole('timer')).not.toBeInTheDocument();
      // Said once by the form's polite region (the visible copy is hidden from screen readers).
      expect(document.querySelector('form [aria-live="polite"]')).toHaveTextContent('You can try again now.');
      expect(button).not.toHaveAttribute('aria-disabled');

      await user.click(button);
      await waitFor(() => expect(onDeleted).toHaveBeenCalledTimes(1));
    } finally {
      vi.useRealTimers();
    }
  });
});
