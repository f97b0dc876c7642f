import { render, screen, within } from '@testing-library/react';
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

  it('wraps a long email after its @ and before its dots, never inside a name', () => {
    fakeApi();
    const email = 'augusta.ada.king-noel@analytical-engine.computing.example';
    render(<ProfileCard user={{ ...sampleUser, email }} onUpdated={vi.fn()} />);

    const shown = within(screen.getByRole('region', { name: 'Profile' })).getByText(
      (_, element) => element?.tagName === 'P' && element.textContent === email,
    );
    // <wbr> marks the only places a line may break; the text itself is the address unchanged.
    expect(shown.innerHTML).toBe('augusta<wbr>.ada<wbr>.king-noel@<wbr>analytical-engine<wbr>.computing<wbr>.example');
  });
});
