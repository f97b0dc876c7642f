import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { StrengthMeter } from './strength-meter';

// The scorer's chunk failing to load (offline, a deploy that replaced it): a module of its own,
// so this file's mock does not touch the real scorer's tests.
const { loadScorer } = vi.hoisted(() => ({ loadScorer: vi.fn() }));
vi.mock('./strength', () => ({ loadScorer, userInputs: () => [] }));

describe('StrengthMeter without its scorer', () => {
  it('says the check could not load, that the server still checks, and tries again on request', async () => {
    loadScorer
      .mockRejectedValueOnce(new Error('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce(() => ({ score: 4, guesses: 1e12, warning: '', suggestions: [] }));
    render(<StrengthMeter password="violet-kayak-mercury-19" account={{}} policy={null} active />);

    expect(await screen.findByText('The strength check could not load.')).toBeInTheDocument();
    expect(screen.getByText('Your password is still checked when you submit.')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Very strong')).toBeInTheDocument();
    expect(screen.queryByText('The strength check could not load.')).not.toBeInTheDocument();
    expect(loadScorer).toHaveBeenCalledTimes(2);
  });
});
