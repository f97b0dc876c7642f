package password

// This file ports part of zxcvbn 4.4.2 (Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.,
// MIT licence: see THIRD_PARTY_NOTICES.md at the repository root).

import (
	"math"
	"sort"

	"github.com/trustelem/zxcvbn/match"
	"github.com/trustelem/zxcvbn/scoring"
)

// mostGuessable is scoring.coffee's most_guessable_match_sequence over trustelem's guess
// estimates. trustelem's own walks every sequence length at every step (cubic in the length,
// half the time of a 64-character password) and, between equally good sequences, keeps the
// longest where zxcvbn.js keeps the shortest, which changes the warning; this one visits only
// the lengths reached, in ascending order, as zxcvbn.js's object keys come.
func mostGuessable(pw string, matches []*match.Match) (float64, []*match.Match) {
	n := len(pw)
	if n == 0 {
		return 1, nil
	}
	byJ := make([][]*match.Match, n)
	for _, m := range matches {
		byJ[m.J] = append(byJ[m.J], m)
	}
	for _, ms := range byJ {
		sort.SliceStable(ms, func(a, b int) bool { return ms[a].I < ms[b].I })
	}
	opt := make([]optimum, n)
	for k := range opt {
		opt[k] = newOptimum(n)
	}
	update := func(m *match.Match, l int) {
		k := m.J
		pi := scoring.EstimateGuesses(m, pw)
		if l > 1 {
			pi *= opt[m.I-1].pi[l-1]
		}
		g := factorial(l)*pi + math.Pow(scoring.MinGuessesBeforeGrowingSequence, float64(l-1))
		for _, cl := range opt[k].ls {
			if cl <= l && opt[k].g[cl] <= g {
				return
			}
		}
		opt[k].set(l, m, pi, g)
	}
	bruteforce := func(i, j int) *match.Match {
		return &match.Match{Pattern: "bruteforce", Token: pw[i : j+1], I: i, J: j}
	}
	for k := 0; k < n; k++ {
		for _, m := range byJ[k] {
			if m.I == 0 {
				update(m, 1)
				continue
			}
			for _, l := range append([]int(nil), opt[m.I-1].ls...) {
				update(m, l+1)
			}
		}
		update(bruteforce(0, k), 1)
		for i := 1; i <= k; i++ {
			m := bruteforce(i, k)
			for _, l := range append([]int(nil), opt[i-1].ls...) {
				if opt[i-1].m[l].Pattern != "bruteforce" {
					update(m, l+1)
				}
			}
		}
	}
	last := opt[n-1]
	l, g := 0, math.Inf(1)
	for _, cl := range last.ls {
		if last.g[cl] < g {
			l, g = cl, last.g[cl]
		}
	}
	seq := make([]*match.Match, 0, l)
	for k, ll := n-1, l; k >= 0; ll-- {
		m := opt[k].m[ll]
		seq = append(seq, m)
		k = m.I - 1
	}
	for a, b := 0, len(seq)-1; a < b; a, b = a+1, b-1 {
		seq[a], seq[b] = seq[b], seq[a]
	}
	return last.g[len(seq)], seq
}

// optimum holds, for one prefix, the best sequence of each length: zxcvbn.js's optimal.m,
// optimal.pi and optimal.g at k, with the lengths present kept in ascending order.
type optimum struct {
	ls    []int
	m     []*match.Match
	pi, g []float64
}

func newOptimum(n int) optimum {
	return optimum{m: make([]*match.Match, n+2), pi: make([]float64, n+2), g: make([]float64, n+2)}
}

func (o *optimum) set(l int, m *match.Match, pi, g float64) {
	if o.m[l] == nil {
		i := sort.SearchInts(o.ls, l)
		o.ls = append(o.ls, 0)
		copy(o.ls[i+1:], o.ls[i:])
		o.ls[i] = l
	}
	o.m[l], o.pi[l], o.g[l] = m, pi, g
}

func factorial(n int) float64 {
	f := 1.0
	for i := 2; i <= n; i++ {
		f *= float64(i)
	}
	return f
}
