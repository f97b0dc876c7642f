package main

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

var t0 = time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)

// at makes an outcome sent ms milliseconds after t0, taking lat milliseconds.
func at(ms, lat, status int) outcome {
	return outcome{start: t0.Add(time.Duration(ms) * time.Millisecond), latency: time.Duration(lat) * time.Millisecond, status: status}
}

func TestSample_Quantiles(t *testing.T) {
	var s sample
	for i := 1; i <= 100; i++ {
		s = append(s, at(0, 101-i, 200)) // latencies 100 ms … 1 ms, out of order
	}
	got := s.quantiles(0.5, 0.9, 0.99, 1)
	want := []time.Duration{50 * time.Millisecond, 90 * time.Millisecond, 99 * time.Millisecond, 100 * time.Millisecond}
	if !slices.Equal(got, want) {
		t.Errorf("quantiles = %v, want %v", got, want)
	}
	if got := (sample{}).quantiles(0.5); got[0] != 0 {
		t.Errorf("quantile of nothing = %v, want 0", got[0])
	}
	ten := s[90:] // latencies 10 … 1 ms: p90 is the 9th, not the 10th (float error in 0.9 × 10)
	if got := ten.quantiles(0.9)[0]; got != 9*time.Millisecond {
		t.Errorf("p90 of 1…10 ms = %v, want 9ms", got)
	}
}

func TestSample_WithinAndFailures(t *testing.T) {
	s := sample{
		at(0, 50, 200),    // ends at 50 ms: before the window
		at(90, 20, 200),   // ends at 110 ms: in
		at(150, 30, 503),  // ends at 180 ms: in
		at(190, 5, 0),     // ends at 195 ms: in, no response
		at(195, 500, 200), // ends at 695 ms: after
	}
	in := s.within(t0.Add(100*time.Millisecond), t0.Add(200*time.Millisecond))
	if len(in) != 3 || in.ok() != 1 {
		t.Fatalf("within: got %d outcomes, %d ok; want 3, 1", len(in), in.ok())
	}
	if got, want := s.failures(), map[int]int{503: 1, 0: 1}; !mapsEqual(got, want) {
		t.Errorf("failures = %v, want %v", got, want)
	}
}

func mapsEqual(a, b map[int]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestOutcomeOf(t *testing.T) {
	r := &vegeta.Result{Code: 0, Error: "dial tcp: connection refused", Timestamp: t0, Latency: time.Millisecond}
	if o := outcomeOf(r); o.status != 0 || o.err != r.Error || !o.end().Equal(t0.Add(time.Millisecond)) {
		t.Errorf("outcomeOf(no response) = %+v", o)
	}
	r = &vegeta.Result{Code: 503, Error: "503 Service Unavailable"}
	if o := outcomeOf(r); o.status != 503 || o.err != "" {
		t.Errorf("outcomeOf(503) = %+v, want status 503 without a transport error", o)
	}
}

func TestLimited(t *testing.T) {
	calls := 0
	tr := limited(3, func(tgt *vegeta.Target) error {
		calls++
		tgt.Method, tgt.URL = http.MethodGet, "http://127.0.0.1/#me"
		return nil
	})
	for i := range 3 {
		if err := tr(&vegeta.Target{}); err != nil {
			t.Fatalf("target %d: %v", i+1, err)
		}
	}
	if err := tr(&vegeta.Target{}); !errors.Is(err, vegeta.ErrNoTargets) {
		t.Errorf("4th target: got %v, want ErrNoTargets", err)
	}
	if calls != 3 {
		t.Errorf("inner targeter called %d times, want 3", calls)
	}
}

func TestKindOf(t *testing.T) {
	for url, want := range map[string]string{
		"http://127.0.0.1:1/api/auth/token#refresh": kindRefresh,
		"http://127.0.0.1:1/api/users/me#me":        kindMe,
		"http://127.0.0.1:1/healthz":                "",
	} {
		if got := kindOf(url); got != want {
			t.Errorf("kindOf(%q) = %q, want %q", url, got, want)
		}
	}
}
