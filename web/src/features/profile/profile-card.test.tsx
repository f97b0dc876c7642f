import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, json, sampleUser } from '../../test/fake-api';
import { ProfileCard } from './profile-card';

describe('ProfileCard', () => {
  it('returns focus to "Edit profile" after Cancel', async () => {
    fakeApi();
    render(<ProfileCard user={sampleUser} onUpdated={vi.fn()} />);

    await userEvent.click(screen.getByRole('button', { name: 'Edit profile' }));
    expect(screen.getByLabelText('First name')).toHaveFocus();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(screen.getByRole('button', { name: 'Edit profile' })).toHaveFocus();
  });

  it('returns focus to "Edit profile" after saving', async () => {
    fakeApi({ 'PUT /api/users/me': json(200, { ...sampleUser, first_name: 'Augusta' }) });
    const onUpdated = vi.fn();
    render(<ProfileCard user={sampleUser} onUpdated={onUpdated} />);

    await userEvent.click(screen.getByRole('button', { name: 'Edit profile' }));
    await userEvent.clear(screen.getByLabelText('First name'));
    await userEvent.type(screen.getByLabelText('First name'), 'Augusta');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByRole('button', { name: 'Edit profile' })).toHaveFocus();
    expect(onUpdated).toHaveBeenCalledWith(expect.objectContaining({ first_name: 'Augusta' }));
  });
});
