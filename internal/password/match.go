package password

import (
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

var (
	rankedOnce sync.Once
	ranked     []map[string]int
	longest    int // the longest word of the frequency lists
)

// rankedDictionaries returns the frequency lists as word → rank (from 1), in dictionaryOrder.
func rankedDictionaries() []map[string]int {
	rankedOnce.Do(func() {
		for _, name := range dictionaryOrder {
			ranked = append(ranked, rankWords(frequency.FrequencyLists[name]))
			for _, w := range frequency.FrequencyLists[name] {
				longest = max(longest, len(w))
			}
		}
	})
	return ranked
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
	dicts := append(rankedDictionaries()[:len(dictionaryOrder):len(dictionaryOrder)], userRanks)
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

// maxWordLen bounds the words looked up in dicts[di]: no longer one is there. It changes
// how fast matching is, never what it finds.
func maxWordLen(dict map[string]int, di int) int {
	if di < len(dictionaryOrder) {
		return longest
	}
	n := 0
	for w := range dict {
		n = max(n, len(w))
	}
	return n
}

func dictionaryName(i int) string {
	if i < len(dictionaryOrder) {
		return dictionaryOrder[i]
	}
	return "user_inputs"
}

// dictionaryMatches is dictionary_match.
func dictionaryMatches(pw string, dicts []map[string]int) []*match.Match {
	var ms []*match.Match
	lower := strings.ToLower(pw)
	for di, dict := range dicts {
		maxLen := maxWordLen(dict, di)
		for i := 0; i < len(pw); i++ {
			for j := i; j < len(pw) && j-i < maxLen; j++ {
				if rank, ok := dict[lower[i:j+1]]; ok {
					ms = append(ms, &match.Match{Pattern: "dictionary", I: i, J: j, Token: pw[i : j+1],
						MatchedWord: lower[i : j+1], Rank: rank, DictionaryName: dictionaryName(di)})
				}
			}
		}
	}
	sortMatches(ms)
	return ms
}

// reverseDictionaryMatches is reverse_dictionary_match.
func reverseDictionaryMatches(pw string, dicts []map[string]int) []*match.Match {
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
func l33tMatches(pw string, dicts []map[string]int) []*match.Match {
	var out []*match.Match
	for _, sub := range l33tSubs(pw) {
		if len(sub) == 0 {
			break
		}
		table := map[byte]byte{}
		for _, p := range sub {
			table[p.l33t[0]] = p.letter[0]
		}
		subbed := []byte(pw)
		changed := make(flags, len(pw))
		for i := range subbed {
			if c, ok := table[subbed[i]]; ok {
				subbed[i], changed[i] = c, true
			}
		}
		lower := strings.ToLower(string(subbed))
		for di, dict := range dicts {
			maxLen := maxWordLen(dict, di)
			for i := 0; i < len(pw); i++ {
				for j := i + 1; j < len(pw) && j-i < maxLen; j++ { // one character is never a l33t match
					word := lower[i : j+1]
					token := pw[i : j+1]
					if !changed[i : j+1].any() {
						continue // holds no substitution: a plain match, not a l33t one
					}
					rank, ok := dict[word]
					if !ok || strings.ToLower(token) == word {
						continue
					}
					used := map[string]string{}
					for _, p := range sub {
						if strings.Contains(token, p.l33t) {
							used[p.l33t] = p.letter
						}
					}
					out = append(out, &match.Match{Pattern: "dictionary", I: i, J: j, Token: token,
						MatchedWord: word, Rank: rank, DictionaryName: dictionaryName(di), L33t: true, Sub: used})
				}
			}
		}
	}
	sortMatches(out)
	return out
}

type flags []bool

func (f flags) any() bool {
	for _, b := range f {
		if b {
			return true
		}
	}
	return false
}
