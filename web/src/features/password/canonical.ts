// The canonical form both zxcvbn ports score: internal/password/canonical.go, line for line.
// zxcvbn.js walks UTF-16 units and trustelem (Go) mostly bytes, so they agree only on ASCII:
// every character becomes exactly one ASCII unit. Printable ASCII stays itself; any other
// character becomes one of the control characters below, which no dictionary, keyboard graph,
// date or l33t table holds, so it takes part only in repeats, sequences and brute force.

/** MAX_SCORED_CHARS is how many code points of a password are scored (Go: MaxScoredRunes). */
export const MAX_SCORED_CHARS = 64;

const SLOTS = [1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26];
const SLOT_CENTRE = 20;
const MAX_SEQUENCE_DELTA = 5;

function isSlot(u: number): boolean {
  return (u >= 1 && u <= 8) || (u >= 14 && u <= 26);
}

function isASCIILetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDiacritic(c: number): boolean {
  return c >= 0x300 && c <= 0x36f;
}

// latinBase returns the ASCII letter c decomposes to when the rest is diacritical marks.
function latinBase(c: number): number | undefined {
  const d = Array.from(String.fromCodePoint(c).normalize('NFD'), (ch) => ch.codePointAt(0) ?? 0);
  const [base, ...rest] = d;
  if (base === undefined || !isASCIILetter(base) || rest.length === 0 || !rest.every(isDiacritic)) {
    return undefined;
  }
  return base;
}

/** canonicalCodePoint folds a character as Go's canonicalRune does (é → e, Ｐ → P, Σ → σ). */
export function canonicalCodePoint(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
  if (c === 0x3000) return 0x20;
  if ((c >= 0xc0 && c <= 0x24f) || (c >= 0x1e00 && c <= 0x1eff)) {
    const base = latinBase(c);
    if (base !== undefined) return base;
  }
  if (c === 0x3c2) return 0x3c3;
  if (c >= 0x80 && c <= 0x58f) {
    // Per character, so the context rules of toLowerCase (final sigma) never apply.
    const lower = Array.from(String.fromCodePoint(c).toLowerCase());
    if (lower.length === 1 && lower[0] !== undefined) return lower[0].codePointAt(0) ?? c;
  }
  return c;
}

class Canonicalizer {
  private readonly slotOf = new Map<number, number>();
  private readonly used = new Set<number>();

  // units canonicalises s; without assign, a character the password lacks gives "".
  units(s: string, assign: boolean): string {
    let out = '';
    let prev = -1;
    let prevChar = -1;
    let n = 0;
    for (const ch of s) {
      if (n === MAX_SCORED_CHARS) break;
      n++;
      let c = ch.codePointAt(0) ?? 0;
      // A lone surrogate reaches the server as U+FFFD (JSON decoding), so it is one here too.
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      c = canonicalCodePoint(c);
      if (isDiacritic(c) && isASCIILetter(prev)) continue;
      if (c >= 0x20 && c <= 0x7e) {
        out += String.fromCharCode(c);
        prev = c;
        prevChar = -1;
        continue;
      }
      let slot = this.slotOf.get(c);
      if (slot === undefined) {
        if (!assign) return '';
        slot = this.choose(c, prev, prevChar);
        this.slotOf.set(c, slot);
        this.used.add(slot);
      }
      out += String.fromCharCode(slot);
      prev = slot;
      prevChar = c;
    }
    return out;
  }

  private choose(c: number, prev: number, prevChar: number): number {
    if (prevChar >= 0) {
      const d = c - prevChar;
      const want = prev + d;
      if (d !== 0 && Math.abs(d) <= MAX_SEQUENCE_DELTA && isSlot(want) && !this.used.has(want)) return want;
    }
    let free = SLOTS.filter((s) => !this.used.has(s));
    if (free.length === 0) free = SLOTS;
    let best = free[0] ?? SLOT_CENTRE;
    let bestScore = -1;
    for (const s of free) {
      const score = prevChar >= 0 ? Math.abs(s - prev) : 100 - Math.abs(s - SLOT_CENTRE);
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }
}

/**
 * canonical returns the first MAX_SCORED_CHARS characters of password, each as one ASCII unit,
 * and the user inputs in the same units; an input holding a character the password lacks
 * cannot match any part of it and is left out.
 */
export function canonical(password: string, userInputs: readonly string[]): { password: string; inputs: string[] } {
  const c = new Canonicalizer();
  const out = c.units(password, true);
  const inputs = userInputs.map((s) => c.units(s, false)).filter((s) => s !== '');
  return { password: out, inputs };
}
