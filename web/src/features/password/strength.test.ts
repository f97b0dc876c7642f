// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonical, canonicalCodePoint, MAX_SCORED_CHARS } from './canonical';
import { type Account, loadScorer, userInputs } from './strength';

// The golden files are shared with Go (internal/password/strength_test.go): one file, one
// judgement. A change to zxcvbn, the canonical form or the cap fails here and there alike.
const testdata = new URL('../../../../internal/password/testdata/', import.meta.url);

function golden(): { line: number; cols: string[] }[] {
  return readFileSync(new URL('strength-golden.tsv', testdata), 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, cols: text.split('\t') }))
    .filter(({ cols }) => cols[0] !== '' && !cols[0]?.startsWith('#'));
}

const parse = (s: string | undefined): unknown => JSON.parse(s ?? 'null');

describe('strength golden file', { timeout: 300_000 }, () => {
  it('scores every password as the server does', async () => {
    const score = await loadScorer();
    const lines = golden();
    expect(lines.length).toBeGreaterThan(5000);
    const wrong: string[] = [];
    for (const { line, cols } of lines) {
      const password = parse(cols[1]) as string;
      const inputs = userInputs(parse(cols[2]) as Account);
      const got = score(password, inputs);
      const want = {
        canonical: parse(cols[3]),
        score: Number(cols[4]),
        warning: parse(cols[5]),
        suggestions: parse(cols[6]),
      };
      const have = {
        canonical: canonical(password, inputs).password,
        score: got.score,
        warning: got.warning,
        suggestions: got.suggestions,
      };
      if (JSON.stringify(have) !== JSON.stringify(want)) {
        wrong.push(`line ${line} ${cols[1] ?? ''}: got ${JSON.stringify(have)}, want ${JSON.stringify(want)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('folds exactly the code points Go folds', () => {
    const want = new Map<number, number>();
    for (const l of readFileSync(new URL('canonical-runes.tsv', testdata), 'utf8').split('\n')) {
      const [from, to] = l.split('\t');
      if (from === undefined || to === undefined || l.startsWith('#')) continue;
      want.set(parseInt(from, 16), parseInt(to, 16));
    }
    expect(want.size).toBeGreaterThan(500);
    const wrong: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const w = want.get(c) ?? c;
      if (canonicalCodePoint(c) !== w) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });
});

describe('canonical', () => {
  it('gives every character one unit and scores the first 64', () => {
    const emoji = '😀'.repeat(70);
    const c = canonical(emoji, []).password;
    expect(c).toHaveLength(MAX_SCORED_CHARS);
    expect(new Set(c).size).toBe(1);
    expect(canonical('a'.repeat(64) + 'zzz', []).password).toBe('a'.repeat(64));
  });

  it('folds diacritics, full width and case as one letter', () => {
    expect(canonical('pässwörd', []).password).toBe('password');
    expect(canonical('pa\u0301ssword', []).password).toBe('password');
    expect(canonical('ｐａｓｓｗｏｒｄ', []).password).toBe('password');
    const { password, inputs } = canonical('νίκος1990', ['ΝΊΚΟΣ']);
    expect(inputs).toEqual([password.slice(0, 5)]);
  });

  it('drops a user input the password does not share', () => {
    expect(canonical('password', ['θ', 'ada']).inputs).toEqual(['ada']);
  });
});

describe('userInputs', () => {
  it('lists the email, its pieces, the names and the service', () => {
    expect(userInputs({ email: ' Ada.Lovelace@Example.com', firstName: 'Ada', lastName: 'Lovelace' })).toEqual([
      'ada.lovelace@example.com',
      'ada.lovelace',
      'ada',
      'lovelace',
      'gatehouse',
    ]);
  });

  it('scores a password built from them as weak', async () => {
    const score = await loadScorer();
    const inputs = userInputs({ email: 'wilhelmina.quist@example.com', firstName: 'Wilhelmina', lastName: 'Quist' });
    expect(score('wilhelminaquist', inputs).score).toBeLessThan(score('wilhelminaquist', []).score);
  });
});
