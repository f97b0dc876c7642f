package password

import (
	"strings"

	"github.com/trustelem/zxcvbn/scoring"
)

// ReferenceYear is the year zxcvbn measures dates and years from. Both ports default to the
// clock's year, which differs between a server and a browser around New Year (and between
// time zones) and would age the golden file; pinning it keeps one judgement everywhere. It is
// changed only together with strength.ts and a regenerated golden file.
const ReferenceYear = 2026

// ServiceName is passed to zxcvbn as a user input, so "gatehouse2026" scores as weak as it is.
const ServiceName = "Gatehouse"

func init() {
	// The scoring package reads this variable on every call; it is set once, before any call.
	scoring.ReferenceYear = ReferenceYear
}

// Strength is zxcvbn's judgement of a password: Score from 0 (too guessable) to 4 (very
// unguessable), with the warning and suggestions zxcvbn.js shows for the same password
// (Warning may be empty; both are empty for scores above 2).
type Strength struct {
	Score       int
	Guesses     float64
	Warning     string
	Suggestions []string
}

// Score judges pw the way web/src/features/password/strength.ts does in the browser: both
// give zxcvbn the canonical form of the first MaxScoredRunes characters, with userInputs
// (see UserInputs) in the same form, so the two always agree (testdata/strength-golden.tsv
// proves it). It takes well under a millisecond for most passwords and about 3 ms of CPU at
// worst (BenchmarkScore).
func Score(pw string, userInputs []string) Strength {
	c, ins := canonical(pw, userInputs)
	guesses, seq := analysis(c, ins)
	st := Strength{Score: guessesToScore(guesses), Guesses: guesses}
	st.Warning, st.Suggestions = feedback(st.Score, seq)
	return st
}

// Preload builds the dictionaries' lookup tables, which the first Score otherwise builds
// (a few hundred milliseconds, once): call it at start so no request pays for it.
func Preload() { rankedDictionaries() }

// UserInputs returns what zxcvbn is told about the account, so a password built from it
// scores low: the email, its local part and the local part's pieces (ada.lovelace → ada,
// lovelace), the first and last names, and ServiceName. strength.ts builds the same list.
func UserInputs(email, firstName, lastName string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = tidy(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	email = tidy(email)
	add(email)
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		local := email[:at]
		add(local)
		for _, p := range strings.FieldsFunc(local, func(r rune) bool { return strings.ContainsRune(".-_+", r) }) {
			add(p)
		}
	}
	add(firstName)
	add(lastName)
	add(ServiceName)
	return out
}

// tidy trims and lower-cases ASCII only: beyond it Go's and JavaScript's own functions differ
// (JavaScript trims U+FEFF, Go U+0085; "Σ" ending a word), and canonicalisation lower-cases
// the rest, character by character, the same on both sides.
func tidy(s string) string {
	s = strings.Trim(s, " \t\n\v\f\r")
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// guessesToScore is zxcvbn's guesses_to_score.
func guessesToScore(g float64) int {
	const delta = 5
	switch {
	case g < 1e3+delta:
		return 0
	case g < 1e6+delta:
		return 1
	case g < 1e8+delta:
		return 2
	case g < 1e10+delta:
		return 3
	}
	return 4
}
