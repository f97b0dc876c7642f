package main

import (
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// hashLimit is the most password hashes per second this machine can do at one bcrypt cost:
// every core hashing, nothing else. Sign-in and registration throughput are stated as a
// fraction of it, so the figures compare across machines and across runs on a busy one.
type hashLimit struct {
	Cost    int
	Cores   int
	PerHash time.Duration // median wall time of one hash on one core
	Fastest time.Duration // the range of the timed hashes, which shows how noisy the machine was
	Slowest time.Duration
	Samples int
}

// PerSecond is Cores ÷ PerHash: each core finishes one hash every PerHash.
func (l hashLimit) PerSecond() float64 {
	if l.PerHash <= 0 {
		return 0
	}
	return float64(l.Cores) / l.PerHash.Seconds()
}

// Fraction is rate (hashes per second) as a fraction of the limit; 0 when the limit is unknown.
func (l hashLimit) Fraction(rate float64) float64 {
	limit := l.PerSecond()
	if limit == 0 {
		return 0
	}
	return rate / limit
}

// String states the limit and how it was measured.
func (l hashLimit) String() string {
	return fmt.Sprintf("%d cores ÷ %s per hash (bcrypt cost %d, median of %d: %s–%s) = %.2f hashes/s",
		l.Cores, formatLatency(l.PerHash), l.Cost, l.Samples, formatLatency(l.Fastest), formatLatency(l.Slowest), l.PerSecond())
}

// measureHashLimit times n bcrypt hashes at cost, one after another on this goroutine, and
// returns the limit from their median: one slow hash (the machine is shared) does not move it.
// A sign-in's CompareHashAndPassword costs the same as GenerateFromPassword at that cost.
func measureHashLimit(cost, cores, n int) (hashLimit, error) {
	n = max(n, 1)
	times := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if _, err := bcrypt.GenerateFromPassword([]byte("violet-kayak-mercury-19"), cost); err != nil {
			return hashLimit{}, fmt.Errorf("bcrypt at cost %d: %w", cost, err)
		}
		times = append(times, time.Since(start))
	}
	return hashLimit{Cost: cost, Cores: cores, PerHash: median(times),
		Fastest: slices.Min(times), Slowest: slices.Max(times), Samples: n}, nil
}

// median returns the middle value (the mean of the two middle ones for an even count), 0 for none.
func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
