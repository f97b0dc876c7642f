// zxcvbn's enumerate_l33t_subs (matching.coffee), bounded: after each letter only the first
// MAX_L33T_SUBS substitution tables are kept. A password holding every l33t character has
// hundreds, each a pass over every dictionary, which made one keystroke cost a second here
// and a 64-character password over 100 ms on the server. Go's l33tSubs (internal/password)
// is the same function; strength.ts puts this one in zxcvbn's place.

/** MAX_L33T_SUBS bounds the tables kept after each letter (Go: maxL33tSubs). */
export const MAX_L33T_SUBS = 16;

type Sub = [l33t: string, letter: string][];

// dedup keeps zxcvbn's quirk: its label holds each pair's index (CoffeeScript's
// "for k, v in array" gives element and index), so only tables listed in the same order merge.
function dedup(subs: Sub[]): Sub[] {
  const seen = new Set<string>();
  return subs.filter((sub) => {
    const assoc = sub.map(([l, c], i) => `${l},${c},${String(i)}`).sort();
    const label = assoc.map((a, i) => `${a},${String(i)}`).join('-');
    if (seen.has(label)) return false;
    seen.add(label);
    return true;
  });
}

/** boundedL33tSubs lists the substitution tables for table (letter → its l33t forms). */
export function boundedL33tSubs(table: Record<string, string[]>): Record<string, string>[] {
  let subs: Sub[] = [[]];
  for (const [letter, chars] of Object.entries(table)) {
    const next: Sub[] = [];
    for (const ch of chars) {
      for (const sub of subs) {
        const dup = sub.findIndex(([l]) => l === ch);
        if (dup === -1) {
          next.push([...sub, [ch, letter]]);
          continue;
        }
        const alt = sub.slice();
        alt.splice(dup, 1);
        alt.push([ch, letter]);
        next.push(sub, alt);
      }
    }
    subs = dedup(next).slice(0, MAX_L33T_SUBS);
  }
  return subs.map((sub) => Object.fromEntries(sub));
}
