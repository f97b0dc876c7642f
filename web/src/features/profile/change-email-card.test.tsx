import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, json } from '../../test/fake-api';
import { ChangeEmailCard } from './change-email-card';

const password = 'violet-kayak-mercury-19';

async function fill(email: string, pw: string) {
  if (email) await userEvent.type(screen.getByLabelText('New email'), email);
  if (pw) await userEvent.type(screen.getByLabelText('Current password'), pw);
  await userEvent.click(screen.getByRole('button', { name: 'Change email' }));
}

describe('ChangeEmailCard', () => {
  it('checks the new address and the password before sending', async () => {
    const server = fakeApi({});
    render(<ChangeEmailCard email="ada@example.com" />);
    await fill('ADA@example.com', '');
    expect(screen.getByLabelText('New email')).toHaveFocus();
    expect(screen.getByLabelText('New email')).toHaveAccessibleDescription(
      'That is already your address. Enter a different one.',
    );
    expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('Enter your current password.');
    expect(server.requests).toHaveLength(0);
  });

  it('puts a wrong password under its field', async () => {
    fakeApi({ 'POST /api/users/me/email': json(400, { detail: 'Incorrect password', code: 'incorrect_password' }) });
    render(<ChangeEmailCard email="ada@example.com" />);
    await fill('ada@newmail.example', 'not-it');
    await waitFor(() =>
      expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription('Incorrect password.'),
    );
    expect(screen.getByLabelText('Current password')).toHaveFocus();
  });

  it('sends the change and says where the confirmation went', async () => {
    const server = fakeApi({
      'POST /api/users/me/email': json(202, { detail: 'Check the new address for a confirmation mail' }),
    });
    render(<ChangeEmailCard email="ada@example.com" />);
    await fill(' ada@newmail.example ', password);
    expect(await screen.findByRole('status')).toHaveTextContent('Check ada@newmail.example for a confirmation mail.');
    expect(server.calls('POST /api/users/me/email').map((r) => JSON.parse(r.body ?? '') as unknown)).toEqual([
      { new_email: 'ada@newmail.example', password },
    ]);
    expect(screen.getByLabelText('New email')).toHaveValue('');
    expect(screen.getByLabelText('Current password')).toHaveValue('');
  });
});
