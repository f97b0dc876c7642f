package password

// This file ports part of zxcvbn 4.4.2 (Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.,
// MIT licence: see THIRD_PARTY_NOTICES.md at the repository root).

import (
	"strconv"
	"strings"

	"github.com/trustelem/zxcvbn/adjacency"
	"github.com/trustelem/zxcvbn/match"
)

// The remaining matchers of matching.coffee, over canonical (ASCII) passwords.

var graphOrder = []string{"qwerty", "dvorak", "keypad", "mac_keypad"}

const shiftedKeys = `~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?`

// spatialMatches is spatial_match.
func spatialMatches(pw string) []*match.Match {
	var ms []*match.Match
	for _, name := range graphOrder {
		g := adjacency.Graphs[name].Graph
		shifts := name == "qwerty" || name == "dvorak"
		for i := 0; i < len(pw)-1; {
			j, turns, shifted, last := i+1, 0, 0, -1
			if shifts && strings.IndexByte(shiftedKeys, pw[i]) >= 0 {
				shifted = 1
			}
			for {
				found := false
				if j < len(pw) {
					for dir, adj := range g[pw[j-1:j]] {
						idx := strings.IndexByte(adj, pw[j])
						if adj == "" || idx < 0 {
							continue
						}
						found = true
						if idx == 1 {
							shifted++
						}
						if last != dir {
							turns++
							last = dir
						}
						break
					}
				}
				if found {
					j++
					continue
				}
				if j-i > 2 {
					ms = append(ms, &match.Match{Pattern: "spatial", I: i, J: j - 1, Token: pw[i:j],
						Graph: name, Turns: turns, ShiftedCount: shifted})
				}
				i = j
				break
			}
		}
	}
	sortMatches(ms)
	return ms
}

// repeatMatches is repeat_match. Its regular expressions, /(.+)\1+/g and /(.+?)\1+/g, find
// the leftmost start of a repeat; the greedy one takes the longest base there, the lazy one
// the shortest, and each then repeats it as often as it can. Canonical units are never line
// ends, so "." matches every one.
func repeatMatches(pw string, inputs []string, userRanks map[string]int) []*match.Match {
	var ms []*match.Match
	for last := 0; last < len(pw); {
		start, greedyLen, lazyLen := -1, 0, 0
		for s := last; s < len(pw) && start < 0; s++ {
			for l := 1; s+2*l <= len(pw); l++ {
				if pw[s:s+l] == pw[s+l:s+2*l] {
					if lazyLen == 0 {
						lazyLen = l
					}
					greedyLen = l
					start = s
				}
			}
		}
		if start < 0 {
			break
		}
		greedy := pw[start : start+greedyLen*repeats(pw[start:], greedyLen)]
		lazy := pw[start : start+lazyLen*repeats(pw[start:], lazyLen)]
		token, base := lazy, lazy[:lazyLen]
		if len(greedy) > len(lazy) {
			token, base = greedy, greedy[:shortestPeriod(greedy)]
		}
		b := scoreBase(base, inputs, userRanks)
		ms = append(ms, &match.Match{Pattern: "repeat", I: start, J: start + len(token) - 1, Token: token,
			BaseToken: base, BaseGuesses: b.guesses, BaseMatches: b.seq, RepeatCount: len(token) / len(base)})
		last = start + len(token)
	}
	return ms
}

// repeats counts how many times s's first l units repeat back to back from its start.
func repeats(s string, l int) int {
	n := 1
	for (n+1)*l <= len(s) && s[n*l:(n+1)*l] == s[:l] {
		n++
	}
	return n
}

// shortestPeriod is /^(.+?)\1+$/: the shortest base that s repeats whole.
func shortestPeriod(s string) int {
	for l := 1; l <= len(s)/2; l++ {
		if len(s)%l == 0 && strings.Repeat(s[:l], len(s)/l) == s {
			return l
		}
	}
	return len(s)
}

type baseScore struct {
	guesses float64
	seq     []*match.Match
}

// scoreBase scores a repeat's base with the same user inputs, as zxcvbn.js does.
func scoreBase(base string, inputs []string, userRanks map[string]int) baseScore {
	g, seq := analysisWith(base, inputs, userRanks)
	return baseScore{g, seq}
}

// sequenceMatches is sequence_match: runs of equal steps of at most 5 code points.
func sequenceMatches(pw string) []*match.Match {
	var ms []*match.Match
	if len(pw) <= 1 {
		return ms
	}
	update := func(i, j, delta int) {
		if (j-i > 1 || delta == 1 || delta == -1) && delta != 0 && delta >= -5 && delta <= 5 {
			tok := pw[i : j+1]
			name, space := "unicode", 26
			switch {
			case allIn(tok, 'a', 'z'):
				name = "lower"
			case allIn(tok, 'A', 'Z'):
				name = "upper"
			case allIn(tok, '0', '9'):
				name, space = "digits", 10
			}
			ms = append(ms, &match.Match{Pattern: "sequence", I: i, J: j, Token: tok,
				SequenceName: name, SequenceSpace: space, Ascending: delta > 0})
		}
	}
	i, last := 0, int(pw[1])-int(pw[0])
	for k := 1; k < len(pw); k++ {
		delta := int(pw[k]) - int(pw[k-1])
		if delta == last {
			continue
		}
		update(i, k-1, last)
		i, last = k-1, delta
	}
	update(i, len(pw)-1, last)
	return ms
}

func allIn(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return s != ""
}

// yearMatches is regex_match with /19\d\d|200\d|201\d/g: leftmost, not overlapping.
func yearMatches(pw string) []*match.Match {
	var ms []*match.Match
	for i := 0; i+4 <= len(pw); {
		t := pw[i : i+4]
		if allIn(t[2:], '0', '9') && (t[:2] == "19" || t[:3] == "200" || t[:3] == "201") {
			ms = append(ms, &match.Match{Pattern: "regex", I: i, J: i + 3, Token: t, RegexName: "recent_year"})
			i += 4
			continue
		}
		i++
	}
	return ms
}

var dateSplits = map[int][][2]int{
	4: {{1, 2}, {2, 3}},
	5: {{1, 3}, {2, 3}},
	6: {{1, 2}, {2, 4}, {4, 5}},
	7: {{1, 3}, {2, 3}, {4, 5}, {4, 6}},
	8: {{2, 4}, {4, 6}},
}

type dmy struct{ day, month, year int }

// dateMatches is date_match, its sub-match filter included.
func dateMatches(pw string) []*match.Match {
	var ms []*match.Match
	for i := 0; i <= len(pw)-4; i++ {
		for j := i + 3; j <= i+7 && j < len(pw); j++ {
			tok := pw[i : j+1]
			if !allIn(tok, '0', '9') {
				continue
			}
			var best *dmy
			bestDist := 0
			for _, kl := range dateSplits[len(tok)] {
				d, ok := mapIntsToDMY(atoi(tok[:kl[0]]), atoi(tok[kl[0]:kl[1]]), atoi(tok[kl[1]:]))
				if !ok {
					continue
				}
				if dist := absInt(d.year - ReferenceYear); best == nil || dist < bestDist {
					best, bestDist = &d, dist
				}
			}
			if best != nil {
				ms = append(ms, &match.Match{Pattern: "date", I: i, J: j, Token: tok,
					Year: best.year, Month: best.month, Day: best.day})
			}
		}
	}
	for i := 0; i <= len(pw)-6; i++ {
		for j := i + 5; j <= i+9 && j < len(pw); j++ {
			if a, sep, b, c, ok := splitDate(pw[i : j+1]); ok {
				if d, ok := mapIntsToDMY(a, b, c); ok {
					ms = append(ms, &match.Match{Pattern: "date", I: i, J: j, Token: pw[i : j+1],
						Separator: sep, Year: d.year, Month: d.month, Day: d.day})
				}
			}
		}
	}
	var out []*match.Match
	for _, m := range ms {
		sub := false
		for _, o := range ms {
			if o != m && o.I <= m.I && o.J >= m.J {
				sub = true
				break
			}
		}
		if !sub {
			out = append(out, m)
		}
	}
	sortMatches(out)
	return out
}

// splitDate is /^(\d{1,4})([\s/\\_.-])(\d{1,2})\2(\d{1,4})$/ on ASCII (\s: \t…\r and space).
func splitDate(t string) (a int, sep string, b, c int, ok bool) {
	n1 := digitsPrefix(t)
	if n1 < 1 || n1 > 4 || n1 >= len(t) || !strings.ContainsRune(" \t\n\v\f\r/\\_.-", rune(t[n1])) {
		return 0, "", 0, 0, false
	}
	sep, rest := t[n1:n1+1], t[n1+1:]
	n2 := digitsPrefix(rest)
	if n2 < 1 || n2 > 2 || n2 >= len(rest) || rest[n2:n2+1] != sep {
		return 0, "", 0, 0, false
	}
	last := rest[n2+1:]
	if n3 := len(last); n3 < 1 || n3 > 4 || !allIn(last, '0', '9') {
		return 0, "", 0, 0, false
	}
	return atoi(t[:n1]), sep, atoi(rest[:n2]), atoi(last), true
}

func digitsPrefix(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// mapIntsToDMY is map_ints_to_dmy.
func mapIntsToDMY(a, b, c int) (dmy, bool) {
	const minYear, maxYear = 1000, 2050
	ints := [3]int{a, b, c}
	if b > 31 || b <= 0 {
		return dmy{}, false
	}
	over12, over31, under1 := 0, 0, 0
	for _, n := range ints {
		if n > 99 && n < minYear || n > maxYear {
			return dmy{}, false
		}
		if n > 31 {
			over31++
		}
		if n > 12 {
			over12++
		}
		if n <= 0 {
			under1++
		}
	}
	if over31 >= 2 || over12 == 3 || under1 >= 2 {
		return dmy{}, false
	}
	splits := [2]struct{ y, d1, d2 int }{{c, a, b}, {a, b, c}}
	for _, s := range splits {
		if s.y >= minYear && s.y <= maxYear {
			if d, m, ok := mapIntsToDM(s.d1, s.d2); ok {
				return dmy{d, m, s.y}, true
			}
			return dmy{}, false
		}
	}
	for _, s := range splits {
		if d, m, ok := mapIntsToDM(s.d1, s.d2); ok {
			y := s.y
			switch {
			case y > 99:
			case y > 50:
				y += 1900
			default:
				y += 2000
			}
			return dmy{d, m, y}, true
		}
	}
	return dmy{}, false
}

func mapIntsToDM(a, b int) (day, month int, ok bool) {
	for _, p := range [2][2]int{{a, b}, {b, a}} {
		if p[0] >= 1 && p[0] <= 31 && p[1] >= 1 && p[1] <= 12 {
			return p[0], p[1], true
		}
	}
	return 0, 0, false
}
