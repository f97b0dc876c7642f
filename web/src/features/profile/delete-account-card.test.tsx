import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, noContent } from '../../test/fake-api';
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
});
