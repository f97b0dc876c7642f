package password

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxScoredRunes is how many characters (Unicode code points; an invalid byte or a lone
// surrogate counts as one U+FFFD) of a password are scored. zxcvbn's matching grows faster
// than quadratically with length (trustelem took 7–32 s on 1,024 characters), so without a
// cap scoring is a denial of service; 64 characters of a password are strong enough to be
// judged on their own. web/src/features/password/strength.ts caps at the same point.
const MaxScoredRunes = 64

// The canonical form is what both zxcvbn ports are given. trustelem (Go) walks bytes in most
// matchers and runes in a few; zxcvbn.js walks UTF-16 units; they agree only on ASCII. So every
// character becomes exactly one ASCII unit: printable ASCII stays itself, and every other
// character becomes one of these control characters, which no dictionary, keyboard graph, date
// or l33t table holds, so they take part only in repeats, sequences and brute force — which is
// all either port makes of a non-Latin character anyway. Left out: NUL, \t…\r (whitespace for
// dates, line ends for JavaScript's "."), ESC…US (within 5 of the space, so they would form
// sequences with it) and DEL (next to "~").
var slots = []rune{1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26}

// slotCentre is where a character that follows ASCII starts: the middle of the longest run
// of slots, so a sequence (αβγ…, あいう…) can continue either way.
const slotCentre = 20

const maxSequenceDelta = 5 // zxcvbn's MAX_DELTA

// canonicalRune folds the forms of a character that a person reads as the same letter, so
// that "pässwörd", "ｐａｓｓｗｏｒｄ" and "PASSWORD" are judged as "password" is: Latin letters
// with diacritics become their base letter (from the Unicode decomposition, which is stable
// for these long-encoded ranges, so Go and JavaScript derive the same table), full-width
// ASCII becomes ASCII, and Latin-1 to Armenian letters are lower-cased, so a name given in
// capitals is the same character as in the password.
func canonicalRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	case r >= 0xC0 && r <= 0x24F || r >= 0x1E00 && r <= 0x1EFF:
		if b, ok := latinBase(r); ok {
			return b
		}
	}
	if r == 'ς' { // final sigma is sigma: lower-casing "ΣΑΣ" whole would give either
		return 'σ'
	}
	if r >= 0x80 && r <= 0x58F {
		return unicode.ToLower(r)
	}
	return r
}

// latinBase returns the ASCII letter r decomposes to when the rest of its decomposition is
// combining diacritical marks (é → e, ǖ → u; not æ, ø or ß, which do not decompose).
func latinBase(r rune) (rune, bool) {
	d := norm.NFD.String(string(r))
	base, size := utf8.DecodeRuneInString(d)
	if !isASCIILetter(base) || size == len(d) {
		return 0, false
	}
	for _, m := range d[size:] {
		if !isDiacritic(m) {
			return 0, false
		}
	}
	return base, true
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// isDiacritic reports the Combining Diacritical Marks block, which a decomposed "é" (e +
// U+0301) uses; after a Latin letter such a mark is dropped, as the precomposed form's is.
func isDiacritic(r rune) bool { return r >= 0x300 && r <= 0x36F }

// canonicalizer maps a password's characters to units, remembering which unit each
// non-ASCII character got so that the user's inputs use the same ones.
type canonicalizer struct {
	slotOf map[rune]rune
	used   map[rune]bool
}

// canonical returns the first MaxScoredRunes characters of pw, each as one ASCII unit, and
// the user inputs in the same units. An input holding a character the password lacks cannot
// match any part of it and is left out.
func canonical(pw string, inputs []string) (string, []string) {
	c := &canonicalizer{slotOf: map[rune]rune{}, used: map[rune]bool{}}
	out := c.units(pw, true)
	var ins []string
	for _, in := range inputs {
		if s := c.units(in, false); s != "" {
			ins = append(ins, s)
		}
	}
	return out, ins
}

// units canonicalises s. With assign, a new non-ASCII character gets a slot; without, one
// the password did not hold makes the whole of s unmatched ("").
func (c *canonicalizer) units(s string, assign bool) string {
	var b strings.Builder
	prev, prevChar, n := rune(-1), rune(-1), 0
	for _, r := range s {
		if n == MaxScoredRunes {
			break
		}
		n++
		r = canonicalRune(r)
		if isDiacritic(r) && isASCIILetter(prev) {
			continue
		}
		if r >= 0x20 && r <= 0x7E {
			b.WriteRune(r)
			prev, prevChar = r, -1
			continue
		}
		slot, ok := c.slotOf[r]
		if !ok {
			if !assign {
				return ""
			}
			slot = c.choose(r, prev, prevChar)
			c.slotOf[r], c.used[slot] = slot, true
		}
		b.WriteRune(slot)
		prev, prevChar = slot, r
	}
	return b.String()
}

// choose picks the slot for a character first seen after the unit prev (prevChar is the
// character behind prev when prev is a slot, else -1). A character within 5 code points of
// the one before it keeps that distance, so zxcvbn sees the sequence it is; any other takes
// the free slot farthest from prev, so no sequence appears that was not typed. Past 21
// distinct characters, slots are shared.
func (c *canonicalizer) choose(r, prev, prevChar rune) rune {
	if prevChar >= 0 {
		if d := r - prevChar; d != 0 && d >= -maxSequenceDelta && d <= maxSequenceDelta {
			if want := prev + d; isSlot(want) && !c.used[want] {
				return want
			}
		}
	}
	free := make([]rune, 0, len(slots))
	for _, s := range slots {
		if !c.used[s] {
			free = append(free, s)
		}
	}
	if len(free) == 0 {
		free = slots
	}
	best, bestScore := free[0], rune(-1)
	for _, s := range free {
		var score rune
		if prevChar >= 0 {
			score = abs(s - prev) // farthest from the slot before
		} else {
			score = 100 - abs(s-slotCentre) // nearest the centre
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

func isSlot(r rune) bool { return r >= 1 && r <= 8 || r >= 14 && r <= 26 }

func abs(r rune) rune {
	if r < 0 {
		return -r
	}
	return r
}
