package main

import (
	"math"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// outcome is one request's result: when it was sent, how long it took, what came back.
type outcome struct {
	start   time.Time
	latency time.Duration
	status  int    // 0: no response (connection refused, timeout, …)
	err     string // the transport error when status is 0
}

func (o outcome) end() time.Time { return o.start.Add(o.latency) }

func outcomeOf(r *vegeta.Result) outcome {
	o := outcome{start: r.Timestamp, latency: r.Latency, status: int(r.Code)}
	if o.status == 0 {
		o.err = r.Error
	}
	return o
}

// sample is every outcome of one kind of request in one scenario.
type sample []outcome

// within keeps the outcomes that completed between from and to: the requests answered during
// a measuring window, whenever they were sent.
func (s sample) within(from, to time.Time) sample {
	var out sample
	for _, o := range s {
		if e := o.end(); !e.Before(from) && !e.After(to) {
			out = append(out, o)
		}
	}
	return out
}

// ok counts the 2xx responses.
func (s sample) ok() int {
	n := 0
	for _, o := range s {
		if o.status >= 200 && o.status < 300 {
			n++
		}
	}
	return n
}

// failures counts every outcome that is not a 2xx response, by status (0: no response).
func (s sample) failures() map[int]int {
	m := map[int]int{}
	for _, o := range s {
		if o.status < 200 || o.status >= 300 {
			m[o.status]++
		}
	}
	return m
}

// transportErrors lists the distinct errors of requests that got no response.
func (s sample) transportErrors() []string {
	var errs []string
	for _, o := range s {
		if o.status == 0 && !slices.Contains(errs, o.err) {
			errs = append(errs, o.err)
		}
	}
	return errs
}

// quantiles returns the latency at each q (0 < q ≤ 1) by the nearest-rank method: exact, not
// estimated, since every latency is kept.
func (s sample) quantiles(qs ...float64) []time.Duration {
	lat := make([]time.Duration, len(s))
	for i, o := range s {
		lat[i] = o.latency
	}
	slices.Sort(lat)
	out := make([]time.Duration, len(qs))
	for i, q := range qs {
		out[i] = nearestRank(lat, q)
	}
	return out
}

// nearestRank returns the smallest value with at least q of sorted at or below it.
func nearestRank(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// ceil(q·n), forgiving float error: 0.9 × 10 is 9.000000000000002, rank 9, not 10.
	rank := int(math.Ceil(q*float64(len(sorted)) - 1e-9))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}
