package password

// This file ports part of zxcvbn 4.4.2 (Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.,
// MIT licence: see THIRD_PARTY_NOTICES.md at the repository root).

import (
	"math"
	"regexp"
	"strings"

	"github.com/trustelem/zxcvbn/match"
)

// feedback is zxcvbn.js's feedback.coffee (4.4.2) over trustelem's match sequence, word for
// word, which trustelem lacks: the 422 a person sees on submit says what the meter said.
func feedback(score int, seq []*match.Match) (string, []string) {
	if len(seq) == 0 {
		return "", []string{"Use a few words, avoid common phrases", "No need for symbols, digits, or uppercase letters"}
	}
	if score > 2 {
		return "", []string{}
	}
	longest := seq[0]
	for _, m := range seq[1:] {
		// zxcvbn.js compares token.length in UTF-16 units; canonical tokens are ASCII.
		if len(m.Token) > len(longest.Token) {
			longest = m
		}
	}
	const extra = "Add another word or two. Uncommon words are better."
	warning, suggestions, ok := matchFeedback(longest, len(seq) == 1)
	if !ok {
		return "", []string{extra}
	}
	return warning, append([]string{extra}, suggestions...)
}

var (
	startUpper = regexp.MustCompile(`^[A-Z][^A-Z]+$`)
	allUpper   = regexp.MustCompile(`^[^a-z]+$`)
)

// matchFeedback is get_match_feedback; ok is false where zxcvbn.js returns undefined.
func matchFeedback(m *match.Match, sole bool) (warning string, suggestions []string, ok bool) {
	switch m.Pattern {
	case "dictionary":
		w, s := dictionaryFeedback(m, sole)
		return w, s, true
	case "spatial":
		w := "Short keyboard patterns are easy to guess"
		if m.Turns == 1 {
			w = "Straight rows of keys are easy to guess"
		}
		return w, []string{"Use a longer keyboard pattern with more turns"}, true
	case "repeat":
		w := `Repeats like "abcabcabc" are only slightly harder to guess than "abc"`
		if len(m.BaseToken) == 1 {
			w = `Repeats like "aaa" are easy to guess`
		}
		return w, []string{"Avoid repeated words and characters"}, true
	case "sequence":
		return "Sequences like abc or 6543 are easy to guess", []string{"Avoid sequences"}, true
	case "regex":
		if m.RegexName == "recent_year" {
			return "Recent years are easy to guess", []string{"Avoid recent years", "Avoid years that are associated with you"}, true
		}
	case "date":
		return "Dates are often easy to guess", []string{"Avoid dates and years that are associated with you"}, true
	}
	return "", nil, false
}

// dictionaryFeedback is get_dictionary_match_feedback.
func dictionaryFeedback(m *match.Match, sole bool) (string, []string) {
	var warning string
	switch m.DictionaryName {
	case "passwords":
		switch {
		case sole && !m.L33t && !m.Reversed && m.Rank <= 10:
			warning = "This is a top-10 common password"
		case sole && !m.L33t && !m.Reversed && m.Rank <= 100:
			warning = "This is a top-100 common password"
		case sole && !m.L33t && !m.Reversed:
			warning = "This is a very common password"
		case math.Log(m.Guesses)/math.Log(10) <= 4: // zxcvbn.js's log10, bit for bit
			warning = "This is similar to a commonly used password"
		}
	case "english_wikipedia":
		if sole {
			warning = "A word by itself is easy to guess"
		}
	case "surnames", "male_names", "female_names":
		warning = "Common names and surnames are easy to guess"
		if sole {
			warning = "Names and surnames by themselves are easy to guess"
		}
	}
	suggestions := []string{}
	switch w := m.Token; {
	case startUpper.MatchString(w):
		suggestions = append(suggestions, "Capitalization doesn't help very much")
	case allUpper.MatchString(w) && strings.ToLower(w) != w:
		suggestions = append(suggestions, "All-uppercase is almost as easy to guess as all-lowercase")
	}
	if m.Reversed && len(m.Token) >= 4 {
		suggestions = append(suggestions, "Reversed words aren't much harder to guess")
	}
	if m.L33t {
		suggestions = append(suggestions, "Predictable substitutions like '@' instead of 'a' don't help very much")
	}
	return warning, suggestions
}
