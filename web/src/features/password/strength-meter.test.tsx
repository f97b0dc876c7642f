import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { loadScorer, userInputs, type Account } from './strength';
import { StrengthMeter, strengthWords, type MeterPolicy } from './strength-meter';

const policy: MeterPolicy = { min_length: 8, max_bytes: 72, min_score: 3 };

// A password for each score, checked against the scorer itself below.
const byScore = ['password', 'iloveyou2', 'kayak-19', 'sunflower-pilot', 'violet-kayak-mercury-19'];

/** Field is a password input with the meter under it, as the forms compose them. */
function Field({ meterPolicy = policy, account = {} }: { meterPolicy?: MeterPolicy | null; account?: Account }) {
  const [password, setPassword] = useState('');
  const [focused, setFocused] = useState(false);
  return (
    <>
      <label>
        Password
        <input value={password} onChange={(e) => setPassword(e.target.value)} onFocus={() => setFocused(true)} />
      </label>
      <StrengthMeter password={password} account={account} policy={meterPolicy} active={focused} />
    </>
  );
}

/** summary finds the meter's line that names the score and the verdict. */
const summary = (text: string | RegExp) =>
  screen.findByText(
    (_, element) =>
      element?.tagName === 'P' &&
      (typeof text === 'string' ? element.textContent === text : text.test(element.textContent)),
  );

// The scorer, once loaded, stays loaded for the page (and for this file): the first test is
// the only one that sees it load.
describe('StrengthMeter', () => {
  it('loads nothing before the field is focused, says so while it loads, then scores', async () => {
    render(<Field />);
    expect(screen.getByText('Its strength is checked as you type.')).toBeInTheDocument();
    expect(screen.queryByText('Loading the strength check…')).not.toBeInTheDocument();

    // focus() inside act: the render that follows cannot have seen the import finish yet.
    act(() => screen.getByLabelText('Password').focus());
    expect(screen.getByText('Loading the strength check…')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Password'), 'password');
    expect(await summary('Too guessable: not strong enough yet')).toBeInTheDocument();
    expect(screen.queryByText('Loading the strength check…')).not.toBeInTheDocument();
  });

  it('names every score with its own word', async () => {
    const scorer = await loadScorer();
    const scores = byScore.map((password) => scorer(password, userInputs({})).score);
    expect(scores).toEqual([0, 1, 2, 3, 4]);

    const { rerender } = render(<StrengthMeter password="" account={{}} policy={null} active />);
    for (const [score, password] of byScore.entries()) {
      rerender(<StrengthMeter password={password} account={{}} policy={null} active />);
      expect(await summary(strengthWords[score] ?? '')).toBeInTheDocument();
    }
  });

  it("says in words, with an icon, whether the policy's minimum is met", async () => {
    const { container, rerender } = render(<StrengthMeter password="kayak-19" account={{}} policy={policy} active />);
    expect(await summary('Somewhat guessable: not strong enough yet')).toBeInTheDocument();
    expect(container.querySelectorAll('p svg')).toHaveLength(1);

    rerender(<StrengthMeter password="violet-kayak-mercury-19" account={{}} policy={policy} active />);
    expect(await summary('Very strong: strong enough')).toBeInTheDocument();
    expect(container.querySelectorAll('p svg')).toHaveLength(1);

    // The operator's minimum length counts too, in characters.
    rerender(<StrengthMeter password="kayak-mercury" account={{}} policy={{ ...policy, min_length: 15 }} active />);
    expect(await summary('Safely unguessable: too short: use at least 15 characters')).toBeInTheDocument();

    rerender(<StrengthMeter password="sunflower-pilot" account={{}} policy={{ ...policy, min_score: 4 }} active />);
    expect(await summary('Safely unguessable: not strong enough yet')).toBeInTheDocument();
  });

  it("shows zxcvbn's warning and suggestions", async () => {
    render(<StrengthMeter password="password" account={{}} policy={policy} active />);
    expect(await screen.findByText('This is a top-10 common password.')).toBeInTheDocument();
    expect(screen.getByRole('listitem')).toHaveTextContent('Add another word or two. Uncommon words are better.');
  });

  it('scores a password built from the account lower, as the server does', async () => {
    const account = { email: 'wq@example.com', firstName: 'Wilhelmina', lastName: 'Quist' };
    const scorer = await loadScorer();
    expect(scorer('wilhelminaquist', userInputs(account)).score).toBeLessThan(policy.min_score);
    const { rerender } = render(<StrengthMeter password="wilhelminaquist" account={{}} policy={policy} active />);
    expect(await summary('Safely unguessable: strong enough')).toBeInTheDocument();

    rerender(<StrengthMeter password="wilhelminaquist" account={account} policy={policy} active />);
    expect(await summary(/^(Too|Very|Somewhat) guessable: not strong enough yet/)).toBeInTheDocument();
  });

  it('says when the server will also check breach lists', async () => {
    render(
      <StrengthMeter
        password="violet-kayak-mercury-19"
        account={{}}
        policy={{ ...policy, breach_check: 'hibp', blocklist: false }}
        active
      />,
    );
    expect(
      await screen.findByText('When you submit, it is also checked against passwords known from breaches.'),
    ).toBeInTheDocument();
  });

  it('tells screen readers politely, only once typing pauses', async () => {
    // Loaded before the clock is stopped, so only the announcement waits on it.
    await loadScorer();
    vi.useFakeTimers();
    try {
      const { rerender } = render(<StrengthMeter password="" account={{}} policy={policy} active />);
      const status = screen.getByRole('status', { name: 'Password strength' });
      expect(status).not.toHaveAttribute('aria-live', 'assertive');

      for (const password of ['k', 'kay', 'kayak', 'kayak-1', 'kayak-19']) {
        rerender(<StrengthMeter password={password} account={{}} policy={policy} active />);
        act(() => {
          vi.advanceTimersByTime(500);
        });
        expect(status).toBeEmptyDOMElement();
      }
      // The meter itself has kept up with every keystroke meanwhile.
      expect(screen.getByText('Somewhat guessable')).toBeInTheDocument();

      act(() => {
        vi.advanceTimersByTime(500);
      });
      expect(status).toHaveTextContent(
        'Password strength: Somewhat guessable, not strong enough yet. This is similar to a commonly used password.',
      );
    } finally {
      vi.useRealTimers();
    }
  });
});
