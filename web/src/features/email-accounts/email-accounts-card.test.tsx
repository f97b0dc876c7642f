import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, noContent } from '../../test/fake-api';
import { EmailAccountsCard } from './email-accounts-card';

const work = {
  id: 'acc-1',
  email_address: 'ada@work.example',
  provider: 'outlook',
  display_name: 'Work',
  created_at: '2026-02-01T10:00:00Z',
  updated_at: '2026-02-01T10:00:00Z',
};

const waitForEmpty = () =>
  waitFor(() =>
    expect(screen.getByRole('region', { name: 'Email accounts' })).toHaveTextContent('No email accounts yet'),
  );

describe('EmailAccountsCard', () => {
  it('shows a loading state, then an empty state', async () => {
    let answer: (response: Response) => void = () => {};
    fakeApi({ 'GET /api/email-accounts': () => new Promise<Response>((resolve) => (answer = resolve)) });
    render(<EmailAccountsCard />);

    expect(screen.getByRole('status', { name: 'Loading email accounts…' })).toBeInTheDocument();
    answer(json(200, []));

    await waitForEmpty();
    expect(screen.queryByRole('status', { name: 'Loading email accounts…' })).not.toBeInTheDocument();
  });

  it('offers to try again when loading fails', async () => {
    fakeApi({ 'GET /api/email-accounts': [json(500, { detail: 'boom' }), json(200, [work])] });
    render(<EmailAccountsCard />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't load your email accounts");
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('list', { name: 'Connected email accounts' })).toHaveTextContent('ada@work.example');
  });

  it('adds an account and shows it in the list', async () => {
    const server = fakeApi({
      'GET /api/email-accounts': json(200, []),
      'POST /api/email-accounts': json(201, {
        ...work,
        id: 'acc-2',
        email_address: 'ada@gmail.example',
        provider: 'gmail',
        display_name: '',
      }),
    });
    render(<EmailAccountsCard />);
    await waitForEmpty();

    await userEvent.type(screen.getByLabelText('Email address'), 'ada@gmail.example');
    await userEvent.selectOptions(screen.getByLabelText('Provider'), 'Gmail');
    await userEvent.click(screen.getByRole('button', { name: 'Add account' }));

    const list = await screen.findByRole('list', { name: 'Connected email accounts' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(list).toHaveTextContent('ada@gmail.example');
    expect(JSON.parse(server.calls('POST /api/email-accounts')[0]?.body ?? '')).toEqual({
      email_address: 'ada@gmail.example',
      provider: 'gmail',
    });
    expect(screen.getByLabelText('Email address')).toHaveValue('');
  });

  it('validates the address before sending and maps a duplicate to the field', async () => {
    const server = fakeApi({
      'GET /api/email-accounts': json(200, [work]),
      'POST /api/email-accounts': json(400, {
        detail: 'This email account is already connected',
        code: 'email_account_exists',
      }),
    });
    render(<EmailAccountsCard />);
    await screen.findByRole('list', { name: 'Connected email accounts' });

    await userEvent.type(screen.getByLabelText('Email address'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Add account' }));
    expect(screen.getByLabelText('Email address')).toHaveAccessibleDescription(/valid email address/);
    expect(server.calls('POST /api/email-accounts')).toHaveLength(0);

    await userEvent.clear(screen.getByLabelText('Email address'));
    await userEvent.type(screen.getByLabelText('Email address'), 'ada@work.example');
    await userEvent.click(screen.getByRole('button', { name: 'Add account' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Email address')).toHaveAccessibleDescription(
        'This email account is already connected.',
      ),
    );
  });

  it('renames an account in place', async () => {
    const server = fakeApi({
      'GET /api/email-accounts': json(200, [work]),
      'PATCH /api/email-accounts/acc-1': json(200, { ...work, display_name: 'Office' }),
    });
    render(<EmailAccountsCard />);

    await userEvent.click(await screen.findByRole('button', { name: 'Rename ada@work.example' }));
    const input = screen.getByLabelText('Display name for ada@work.example');
    expect(input).toHaveFocus();
    await userEvent.clear(input);
    await userEvent.type(input, 'Office{Enter}');

    await waitFor(() => expect(screen.getByRole('listitem')).toHaveTextContent(/^Office/));
    expect(JSON.parse(server.calls('PATCH /api/email-accounts/acc-1')[0]?.body ?? '')).toEqual({
      display_name: 'Office',
    });
    expect(screen.getByRole('button', { name: 'Rename ada@work.example' })).toHaveFocus();
  });

  it.each([
    ['renaming', 'PATCH', 'Rename ada@work.example', 'Save'],
    ['removing', 'DELETE', 'Remove ada@work.example', 'Yes, remove'],
  ])('drops an account that is already gone when %s it', async (_, method, open, confirm) => {
    fakeApi({
      'GET /api/email-accounts': json(200, [work]),
      [`${method} /api/email-accounts/acc-1`]: json(404, { detail: 'Email account not found' }),
    });
    render(<EmailAccountsCard />);

    await userEvent.click(await screen.findByRole('button', { name: open }));
    await userEvent.click(screen.getByRole('button', { name: confirm }));

    await waitForEmpty();
    expect(
      screen.getAllByRole('status').some((s) => s.textContent === 'ada@work.example had already been removed.'),
    ).toBe(true);
  });

  it('removes an account after confirmation', async () => {
    const server = fakeApi({
      'GET /api/email-accounts': json(200, [work]),
      'DELETE /api/email-accounts/acc-1': noContent(),
    });
    render(<EmailAccountsCard />);

    await userEvent.click(await screen.findByRole('button', { name: 'Remove ada@work.example' }));
    expect(server.calls('DELETE /api/email-accounts/acc-1')).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, remove' }));

    await waitForEmpty();
    expect(server.calls('DELETE /api/email-accounts/acc-1')).toHaveLength(1);
    expect(screen.getAllByRole('status').some((s) => s.textContent === 'Removed ada@work.example.')).toBe(true);
  });
});
