import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, noContent } from '../../test/fake-api';
import { SessionsCard } from './sessions-card';

const base = {
  created_at: '2026-03-01T08:00:00Z',
  expires_at: '2026-04-01T08:00:00Z',
  last_used_at: '2026-03-02T08:00:00Z',
};
const sessions = [
  {
    ...base,
    id: 's-other',
    user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1',
    ip: '203.0.113.9',
    current: false,
  },
  {
    ...base,
    id: 's-here',
    user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36',
    ip: '198.51.100.7',
    current: true,
  },
];

describe('SessionsCard', () => {
  it('lists this device first and marks it', async () => {
    fakeApi({ 'GET /api/users/me/sessions': json(200, sessions) });
    render(<SessionsCard />);
    const items = within(await screen.findByRole('list', { name: 'Signed-in devices' })).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/Chrome on Linux\s*This device/);
    expect(items[1]).toHaveTextContent('Safari on iOS');
    expect(within(items[0]!).queryByRole('button')).not.toBeInTheDocument();
  });

  it('revokes one session', async () => {
    const server = fakeApi({
      'GET /api/users/me/sessions': json(200, sessions),
      'DELETE /api/users/me/sessions/s-other': noContent(),
    });
    render(<SessionsCard />);
    await userEvent.click(await screen.findByRole('button', { name: /^Revoke Safari on iOS/ }));

    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1));
    expect(server.calls('DELETE /api/users/me/sessions/s-other')).toHaveLength(1);
  });

  it('revokes every other session', async () => {
    const server = fakeApi({
      'GET /api/users/me/sessions': json(200, sessions),
      'DELETE /api/users/me/sessions': json(200, { revoked: 1 }),
    });
    render(<SessionsCard />);
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke all other sessions' }));

    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Revoke all other sessions' })).not.toBeInTheDocument();
    expect(server.calls('DELETE /api/users/me/sessions')).toHaveLength(1);
  });

  it('drops a session that was already gone and says so', async () => {
    fakeApi({
      'GET /api/users/me/sessions': json(200, sessions),
      'DELETE /api/users/me/sessions/s-other': json(404, { detail: 'Session not found', code: 'session_not_found' }),
    });
    render(<SessionsCard />);
    await userEvent.click(await screen.findByRole('button', { name: /^Revoke Safari on iOS/ }));

    await waitFor(() =>
      expect(screen.queryByRole('button', { name: /^Revoke Safari on iOS/ })).not.toBeInTheDocument(),
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getAllByRole('status').some((s) => /already signed out/.test(s.textContent))).toBe(true);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
