package password

// This file ports part of zxcvbn 4.4.2 (Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.,
// MIT licence: see THIRD_PARTY_NOTICES.md at the repository root).

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/trustelem/zxcvbn/frequency"
	"github.com/trustelem/zxcvbn/match"
)

// The matchers are matching.coffee's (zxcvbn.js 4.4.2), ported here over trustelem's
// dictionaries, keyboard graphs and guess estimates, because trustelem's own matchers differ
// from zxcvbn.js even on ASCII and are slow where it matters:
//
//   - its l33t matcher appends to shared slices while enumerating substitutions, so where a
//     letter has two l33t forms ("$" and "5" for s) one table overwrites the other and a match
//     is lost ("V3r$!0n5" is "version" to zxcvbn.js);
//   - it scores a repeat's base ("abcabc" → "abc") without the user inputs, which zxcvbn.js
//     keeps;
//   - it orders equal matches by a map's order where zxcvbn.js keeps its dictionaries' order,
//     which decides the warning ("charles" is a male name before it is a user input);
//   - it took a second on a 64-character password holding many l33t characters (hundreds of
//     substitution tables, each matched against every dictionary with fresh strings).
//
// Canonical passwords are ASCII, so a byte here is a UTF-16 unit there.

// maxL33tSubs bounds the substitution tables kept after each letter of the enumeration, on
// both sides (web/src/features/password/l33t.ts replaces enumerate_l33t_subs alike): a
// password holding every l33t character has hundreds, each a pass over every dictionary.
const maxL33tSubs = 16

// dictionaryOrder is zxcvbn.js's order of its dictionaries; user inputs come last.
var dictionaryOrder = []string{"passwords", "english_wikipedia", "female_names", "surnames", "us_tv_and_film", "male_names"}

// ranks is a word's rank (from 1) in each dictionary of dictionaryOrder; 0 where absent.
type ranks [6]int32

var (
	rankedOnce sync.Once
	ranked     map[string]ranks    // one lookup finds a word in all six lists
	longest    int                 // the longest word of the frequency lists
	prefixes   map[string]struct{} // every start of a word, up to prefixLen long
)

// prefixLen bounds the starts of words kept: a window that no word starts with is not
// extended, and most windows of a random password end within a few characters.
const prefixLen = 5

// rankedDictionaries returns the frequency lists as word → ranks; of two equal words in a
// list the later rank stands, as in both ports.
func rankedDictionaries() map[string]ranks {
	rankedOnce.Do(func() {
		ranked, prefixes = map[string]ranks{}, map[string]struct{}{}
		for di, name := range dictionaryOrder {
			for i, w := range frequency.FrequencyLists[name] {
				w = strings.ToLower(w)
				r := ranked[w]
				r[di] = int32(i + 1)
				ranked[w] = r
				longest = max(longest, len(w))
				for n := 1; n <= prefixLen && n <= len(w); n++ {
					prefixes[w[:n]] = struct{}{}
				}
			}
		}
	})
	return ranked
}

// dictionaries are zxcvbn.js's RANKED_DICTIONARIES: the frequency lists, then the user inputs.
type dictionaries struct {
	static map[string]ranks
	user   map[string]int
	maxLen int // no longer word is in any: windows past it are not looked up
}

func newDictionaries(user map[string]int) dictionaries {
	d := dictionaries{static: rankedDictionaries(), user: user, maxLen: longest}
	for w := range user {
		d.maxLen = max(d.maxLen, len(w))
	}
	return d
}

// starts reports whether some word may start with w: false means none does, so no longer
// window from the same start can match.
func (d dictionaries) starts(w string) bool {
	if len(w) > prefixLen {
		return true
	}
	if _, ok := prefixes[w]; ok {
		return true
	}
	for u := range d.user {
		if strings.HasPrefix(u, w) {
			return true
		}
	}
	return false
}

// each calls f for every dictionary holding word, in zxcvbn.js's order, with the rank.
func (d dictionaries) each(word string, f func(di, rank int)) {
	if r, ok := d.static[word]; ok {
		for di, rank := range r {
			if rank > 0 {
				f(di, int(rank))
			}
		}
	}
	if rank, ok := d.user[word]; ok {
		f(len(dictionaryOrder), rank)
	}
}

// rankWords ranks words from 1; of two equal words the later rank stands, as in both ports.
func rankWords(words []string) map[string]int {
	m := make(map[string]int, len(words))
	for i, w := range words {
		m[strings.ToLower(w)] = i + 1
	}
	return m
}

// analysis scores the canonical (ASCII) pw: zxcvbn's most guessable match sequence.
func analysis(pw string, inputs []string) (float64, []*match.Match) {
	return analysisWith(pw, inputs, rankWords(inputs))
}

func analysisWith(pw string, inputs []string, userRanks map[string]int) (float64, []*match.Match) {
	return mostGuessable(pw, omnimatch(pw, inputs, userRanks))
}

// omnimatch is matching.coffee's omnimatch: every matcher in its order, then a stable sort
// by position, so equal matches stay in zxcvbn.js's order.
func omnimatch(pw string, inputs []string, userRanks map[string]int) []*match.Match {
	dicts := newDictionaries(userRanks)
	var ms []*match.Match
	ms = append(ms, dictionaryMatches(pw, dicts)...)
	ms = append(ms, reverseDictionaryMatches(pw, dicts)...)
	ms = append(ms, l33tMatches(pw, dicts)...)
	ms = append(ms, spatialMatches(pw)...)
	ms = append(ms, repeatMatches(pw, inputs, userRanks)...)
	ms = append(ms, sequenceMatches(pw)...)
	ms = append(ms, yearMatches(pw)...)
	ms = append(ms, dateMatches(pw)...)
	sortMatches(ms)
	return ms
}

func sortMatches(ms []*match.Match) {
	sort.SliceStable(ms, func(a, b int) bool {
		if ms[a].I != ms[b].I {
			return ms[a].I < ms[b].I
		}
		return ms[a].J < ms[b].J
	})
}

func dictionaryName(i int) string {
	if i < len(dictionaryOrder) {
		return dictionaryOrder[i]
	}
	return "user_inputs"
}

// dictionaryMatches is dictionary_match.
func dictionaryMatches(pw string, dicts dictionaries) []*match.Match {
	var ms []*match.Match
	lower := strings.ToLower(pw)
	for i := 0; i < len(pw); i++ {
		for j := i; j < len(pw) && j-i < dicts.maxLen && dicts.starts(lower[i:j+1]); j++ {
			dicts.each(lower[i:j+1], func(di, rank int) {
				ms = append(ms, &match.Match{Pattern: "dictionary", I: i, J: j, Token: pw[i : j+1],
					MatchedWord: lower[i : j+1], Rank: rank, DictionaryName: dictionaryName(di)})
			})
		}
	}
	sortMatches(ms)
	return ms
}

// reverseDictionaryMatches is reverse_dictionary_match.
func reverseDictionaryMatches(pw string, dicts dictionaries) []*match.Match {
	ms := dictionaryMatches(reverseASCII(pw), dicts)
	for _, m := range ms {
		m.Token = reverseASCII(m.Token)
		m.Reversed = true
		m.I, m.J = len(pw)-1-m.J, len(pw)-1-m.I
	}
	sortMatches(ms)
	return ms
}

func reverseASCII(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// l33tTable is matching.coffee's L33T_TABLE, in its key order.
var l33tTable = []struct {
	letter string
	subs   []string
}{
	{"a", []string{"4", "@"}}, {"b", []string{"8"}}, {"c", []string{"(", "{", "[", "<"}},
	{"e", []string{"3"}}, {"g", []string{"6", "9"}}, {"i", []string{"1", "!", "|"}},
	{"l", []string{"1", "|", "7"}}, {"o", []string{"0"}}, {"s", []string{"$", "5"}},
	{"t", []string{"+", "7"}}, {"x", []string{"%"}}, {"z", []string{"2"}},
}

// pair is one substitution: l33t character → letter.
type pair struct{ l33t, letter string }

// l33tSubs is enumerate_l33t_subs over relevant_l33t_subtable, including its way of
// removing duplicates, so the substitutions come in zxcvbn.js's order; bounded by maxL33tSubs.
func l33tSubs(pw string) [][]pair {
	type entry struct {
		letter string
		subs   []string
	}
	var table []entry
	for _, e := range l33tTable {
		var rel []string
		for _, s := range e.subs {
			if strings.Contains(pw, s) {
				rel = append(rel, s)
			}
		}
		if len(rel) > 0 {
			table = append(table, entry{e.letter, rel})
		}
	}
	subs := [][]pair{{}}
	for _, e := range table {
		var next [][]pair
		for _, ch := range e.subs {
			for _, sub := range subs {
				dup := -1
				for i, p := range sub {
					if p.l33t == ch {
						dup = i
						break
					}
				}
				if dup == -1 {
					next = append(next, append(append([]pair(nil), sub...), pair{ch, e.letter}))
					continue
				}
				alt := append(append([]pair(nil), sub[:dup]...), sub[dup+1:]...)
				alt = append(alt, pair{ch, e.letter})
				next = append(next, sub, alt)
			}
		}
		subs = dedupSubs(next)
		if len(subs) > maxL33tSubs {
			subs = subs[:maxL33tSubs]
		}
	}
	return subs
}

// dedupSubs is the dedup in enumerate_l33t_subs, quirks kept: its label holds each pair's
// index (CoffeeScript's "for k, v in array" gives element and index), so it drops only
// substitutions listed in the same order.
func dedupSubs(subs [][]pair) [][]pair {
	var out [][]pair
	seen := map[string]bool{}
	for _, sub := range subs {
		assoc := make([]string, len(sub))
		for i, p := range sub {
			assoc[i] = p.l33t + "," + p.letter + "," + strconv.Itoa(i)
		}
		sort.Strings(assoc) // Array.prototype.sort compares the arrays as strings
		for i := range assoc {
			assoc[i] += "," + strconv.Itoa(i)
		}
		label := strings.Join(assoc, "-")
		if !seen[label] {
			seen[label] = true
			out = append(out, sub)
		}
	}
	return out
}

// l33tMatches is l33t_match: dictionary matches of pw with each substitution applied that
// hold at least one substituted character and are longer than one character.
func l33tMatches(pw string, dicts dictionaries) []*match.Match {
	maxLen := dicts.maxLen
	var out []*match.Match
	// Tables that differ only in characters outside a window translate it alike; the match
	// they would find again is the same match, which can never win over the first, so each
	// window's translation is looked up once.
	seen := make([][]string, len(pw)*len(pw))
	for _, sub := range l33tSubs(pw) {
		if len(sub) == 0 {
			break
		}
		table := map[byte]byte{}
		for _, p := range sub {
			table[p.l33t[0]] = p.letter[0]
		}
		subbed := []byte(pw)
		for i := range subbed {
			if c, ok := table[subbed[i]]; ok {
				subbed[i] = c
			}
		}
		// next[i] is the first substituted position from i: a window without one is a plain
		// dictionary match, never a l33t one.
		next := make([]int, len(pw)+1)
		next[len(pw)] = len(pw)
		for i := len(pw) - 1; i >= 0; i-- {
			next[i] = next[i+1]
			if subbed[i] != pw[i] {
				next[i] = i
			}
		}
		lower := strings.ToLower(string(subbed))
		for i := 0; i < len(pw); i++ {
			for j := max(i+1, next[i]); j < len(pw) && j-i < maxLen; j++ { // one character is never a l33t match
				word := lower[i : j+1]
				if !dicts.starts(word) {
					break
				}
				w := i*len(pw) + j
				if slices.Contains(seen[w], word) {
					continue
				}
				seen[w] = append(seen[w], word)
				token := pw[i : j+1]
				if strings.ToLower(token) == word {
					continue
				}
				dicts.each(word, func(di, rank int) {
					out = append(out, &match.Match{Pattern: "dictionary", I: i, J: j, Token: token, MatchedWord: word,
						Rank: rank, DictionaryName: dictionaryName(di), L33t: true, Sub: usedSubs(sub, token)})
				})
			}
		}
	}
	sortMatches(out)
	return out
}

// usedSubs is the part of sub that token holds (the match's "sub").
func usedSubs(sub []pair, token string) map[string]string {
	used := map[string]string{}
	for _, p := range sub {
		if strings.Contains(token, p.l33t) {
			used[p.l33t] = p.letter
		}
	}
	return used
}
