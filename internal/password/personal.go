package password

import "strings"

// minPersonalRunes is the shortest piece of the account that counts: two letters ("jo")
// occur in too many good passwords by chance.
const minPersonalRunes = 3

// builtFromAccount reports a password built from the account's own words (inputs, see
// UserInputs: the email, its local part and pieces, the names, the service's name). Each is
// compared as a skeleton: canonical characters, lower case, with l33t and look-alike
// characters made one (@ and 4 are a, 1 ! | and l are i, …), so "Ad@L0v3lace" holds
// "ada". A piece held in a password is refusing when zxcvbn, told the same words, finds the
// password weak (weak), or when little else is left once the pieces are taken out: a
// passphrase that merely contains a short name ("adamant harbour lantern" for Ada) is fine.
func builtFromAccount(pw string, inputs []string, weak bool) bool {
	rest := skeleton(pw)
	found := false
	for _, in := range inputs {
		s := skeleton(in)
		if len([]rune(s)) < minPersonalRunes || !strings.Contains(rest, s) {
			continue
		}
		found = true
		rest = strings.ReplaceAll(rest, s, "")
	}
	if !found {
		return false
	}
	letters := 0
	for _, r := range rest {
		if r >= 'a' && r <= 'z' || r > 0x7F {
			letters++
		}
	}
	return weak || letters < 4
}

// skeleton folds s so that variants of one word compare equal.
func skeleton(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = canonicalRune(r)
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		switch r {
		case '4', '@':
			r = 'a'
		case '8':
			r = 'b'
		case '(', '{', '[', '<':
			r = 'c'
		case '3':
			r = 'e'
		case '6', '9':
			r = 'g'
		case '1', '!', '|', 'l':
			r = 'i'
		case '0':
			r = 'o'
		case '$', '5':
			r = 's'
		case '7', '+':
			r = 't'
		case '%':
			r = 'x'
		case '2':
			r = 'z'
		}
		if isDiacritic(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
