package main

import (
	"context"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// maxOpenWorkers bounds an open-loop attack's concurrency: vegeta adds a worker whenever all
// are waiting, and a stalled server must not make the bench open connections without end.
const maxOpenWorkers = 256

// attack is one vegeta attack. With rate 0 it is a closed loop: workers clients, each sending
// its next request when the last one is answered (throughput is what the server sustains).
// With a rate it is an open loop at that many requests per second (latency at a given load).
// It ends after duration (0: when stopped) or max requests, whichever comes first.
type attack struct {
	name     string
	targeter vegeta.Targeter
	workers  int
	rate     int
	duration time.Duration
	max      int64
	timeout  time.Duration
	settle   func(kind string, r *vegeta.Result) // called for each response, in order of arrival
}

// attackResult is what an attack measured, by request kind.
type attackResult struct {
	samples map[string]sample
	// stopped says why the attack ended before its duration or count (a targeter gave up), "" if not.
	stopped string
	// from and to are the attack's window: from its start until its duration ran out, or until
	// its last response when it ended sooner. Rates count the responses within it, so the tail
	// of slow requests still in flight at the end does not dilute them.
	from, to time.Time
}

// all is every kind's outcomes together.
func (r attackResult) all() sample {
	var s sample
	for _, k := range []string{kindRegister, kindSignIn, kindRefresh, kindMe} {
		s = append(s, r.samples[k]...)
	}
	return s
}

// run carries out the attack and returns its results; ctx ending stops it early.
func (a attack) run(ctx context.Context) attackResult {
	stop, wait := a.start(ctx)
	defer stop()
	return wait()
}

// start begins the attack: stop ends it early (requests in flight still finish), wait returns
// its results once every response is in.
func (a attack) start(ctx context.Context) (stop func(), wait func() attackResult) {
	opts := []func(*vegeta.Attacker){
		vegeta.Timeout(a.timeout), vegeta.KeepAlive(true), vegeta.Redirects(vegeta.NoFollow), vegeta.Proxy(nil),
	}
	pacer := vegeta.ConstantPacer{} // zero: as fast as the workers go
	if a.rate > 0 {
		pacer = vegeta.ConstantPacer{Freq: a.rate, Per: time.Second}
		opts = append(opts, vegeta.Workers(uint64(a.workers)), vegeta.MaxWorkers(maxOpenWorkers),
			vegeta.Connections(maxOpenWorkers))
	} else {
		opts = append(opts, vegeta.Workers(uint64(a.workers)), vegeta.MaxWorkers(uint64(a.workers)),
			vegeta.Connections(a.workers))
	}
	atk := vegeta.NewAttacker(opts...)
	began := time.Now()
	results := atk.Attack(limited(a.max, a.targeter), pacer, a.duration, a.name)

	done := make(chan attackResult, 1)
	go func() {
		res := attackResult{samples: map[string]sample{}, from: began}
		for r := range results {
			if r.Method == "" { // the targeter refused: the count was reached, or a pool ran dry
				if r.Error != vegeta.ErrNoTargets.Error() && res.stopped == "" {
					res.stopped = r.Error
				}
				continue
			}
			kind := kindOf(r.URL)
			if a.settle != nil {
				a.settle(kind, r)
			}
			o := outcomeOf(r)
			res.samples[kind] = append(res.samples[kind], o)
			res.to = later(res.to, o.end())
		}
		if a.duration > 0 && res.to.After(began.Add(a.duration)) {
			res.to = began.Add(a.duration)
		}
		done <- res
	}()
	finished := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			atk.Stop()
		case <-finished:
		}
	}()
	var res attackResult
	var waited atomic.Bool
	wait = func() attackResult {
		if !waited.Swap(true) {
			res = <-done
			close(finished)
		}
		return res
	}
	return func() { atk.Stop() }, wait
}

// limited wraps t so that it yields at most n targets (n ≤ 0: no limit), then ErrNoTargets,
// which ends the attack: every scenario is bounded in count as well as in time.
func limited(n int64, t vegeta.Targeter) vegeta.Targeter {
	if n <= 0 {
		return t
	}
	var count atomic.Int64
	return func(tgt *vegeta.Target) error {
		if count.Add(1) > n {
			return vegeta.ErrNoTargets
		}
		return t(tgt)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
