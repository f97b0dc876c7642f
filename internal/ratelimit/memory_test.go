package ratelimit_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/ratelimit/ratelimittest"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newMemory(opts ratelimit.MemoryOptions) (*ratelimit.Memory, *fakeClock) {
	clock := newFakeClock()
	opts.Now = clock.Now
	return ratelimit.NewMemory(opts), clock
}

func TestMemory_Conformance(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T) ratelimittest.Harness {
		m, clock := newMemory(ratelimit.MemoryOptions{})
		return ratelimittest.Harness{
			Limiter: m,
			Advance: func(_ *testing.T, d time.Duration, _ ...string) { clock.Advance(d) },
		}
	})
}

var hourly = ratelimit.Limit{Rate: 6, Period: time.Hour, Burst: 3} // 10m interval

// mustAllow calls Allow and fails t on an error.
func mustAllow(t *testing.T, l ratelimit.Limiter, key string, limit ratelimit.Limit, n int) ratelimit.Result {
	t.Helper()
	res, err := l.Allow(t.Context(), key, limit, n)
	if err != nil {
		t.Fatalf("Allow(%q): %v", key, err)
	}
	return res
}

func TestMemory_IdleKeysExpire(t *testing.T) {
	m, clock := newMemory(ratelimit.MemoryOptions{Shards: 1})
	for i := range 100 {
		mustAllow(t, m, fmt.Sprint("k", i), hourly, 1) // each expires 10m later
	}
	mustAllow(t, m, "long", hourly, 3) // expires 30m later
	if got := m.Len(); got != 101 {
		t.Fatalf("got Len %d, want 101", got)
	}
	clock.Advance(11 * time.Minute)
	if got := m.Sweep(); got != 100 {
		t.Fatalf("got Sweep %d, want 100 expired keys dropped", got)
	}
	if got := m.Len(); got != 1 {
		t.Fatalf("got Len %d after Sweep, want 1 (the key not yet expired)", got)
	}
	if res := mustAllow(t, m, "long", hourly, 1); res.Remaining != 0 || res.ResetAfter != 29*time.Minute {
		t.Fatalf("got %+v for the unexpired key, want its state kept (remaining 0, reset 29m)", res)
	}
}

func TestMemory_AllowDropsExpiredKeys(t *testing.T) {
	m, clock := newMemory(ratelimit.MemoryOptions{Shards: 1})
	for i := range 20 {
		mustAllow(t, m, fmt.Sprint("k", i), hourly, 1)
	}
	clock.Advance(11 * time.Minute)
	// Each call drops a bounded number of expired keys, so a few calls clean the shard
	// without any Sweep.
	for i := range 5 {
		mustAllow(t, m, fmt.Sprint("new", i), hourly, 1)
	}
	if got := m.Len(); got != 5 {
		t.Fatalf("got Len %d, want 5 (the 20 expired keys dropped by later calls)", got)
	}
}

func TestMemory_FloodIsBounded(t *testing.T) {
	const maxKeys = 256
	m, _ := newMemory(ratelimit.MemoryOptions{MaxKeys: maxKeys, Shards: 8})
	for i := range 20000 {
		mustAllow(t, m, fmt.Sprint("flood", i), hourly, 1)
	}
	if got := m.Len(); got > maxKeys {
		t.Fatalf("got Len %d after a flood of 20000 keys, want at most %d", got, maxKeys)
	}
}

// TestMemory_EvictsEarliestTAT proves the eviction rule: a full shard drops the key nearest
// to being forgotten, so a flood of one-off keys cannot wipe a key with a long debt.
func TestMemory_EvictsEarliestTAT(t *testing.T) {
	m, _ := newMemory(ratelimit.MemoryOptions{MaxKeys: 3, Shards: 1})
	mustAllow(t, m, "victim", hourly, 3) // 30m of debt: denied from now on
	for i := range 1000 {
		mustAllow(t, m, fmt.Sprint("flood", i), hourly, 1) // 10m each
	}
	if got := m.Len(); got != 3 {
		t.Fatalf("got Len %d, want 3", got)
	}
	if res := mustAllow(t, m, "victim", hourly, 1); res.Allowed {
		t.Fatal("the flood evicted the key with the longest debt: got allowed, want denied")
	}
	// The oldest flood keys were the ones evicted: the first is fresh again.
	if res := mustAllow(t, m, "flood0", hourly, 1); res.Remaining != 2 {
		t.Fatalf("got remaining %d for an evicted key, want 2 (fresh)", res.Remaining)
	}
}

func TestMemory_ResetAndPeekStoreNothing(t *testing.T) {
	m, _ := newMemory(ratelimit.MemoryOptions{})
	mustAllow(t, m, "peeked", hourly, 0)
	if got := m.Len(); got != 0 {
		t.Fatalf("got Len %d after a peek at a new key, want 0", got)
	}
	mustAllow(t, m, "a", hourly, 1)
	if err := m.Reset(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if got := m.Len(); got != 0 {
		t.Fatalf("got Len %d after Reset, want 0", got)
	}
}

// TestMemory_ConcurrentKeys runs many keys from many goroutines; with -race it checks the
// sharded locking, and each key must still see exactly its burst.
func TestMemory_ConcurrentKeys(t *testing.T) {
	m, _ := newMemory(ratelimit.MemoryOptions{Shards: 4})
	var wg sync.WaitGroup
	allowed := make([]int, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				res, err := m.Allow(t.Context(), fmt.Sprint("g", g, "k", i%10), hourly, 1)
				if err != nil {
					t.Error(err)
					return
				}
				if res.Allowed {
					allowed[g]++
				}
			}
		})
	}
	wg.Wait()
	for g, n := range allowed {
		if n != 10*hourly.Burst {
			t.Errorf("goroutine %d: got %d allowed over 10 keys, want %d", g, n, 10*hourly.Burst)
		}
	}
}

func TestNewMemory_ClockIsMonotonic(t *testing.T) {
	// With the real clock, a call right after another on an exhausted key is denied: the
	// backend works on time.Now's monotonic reading without an injected clock.
	m := ratelimit.NewMemory(ratelimit.MemoryOptions{})
	mustAllow(t, m, "a", hourly, 3)
	if res := mustAllow(t, m, "a", hourly, 1); res.Allowed {
		t.Fatal("got allowed past the burst, want denied")
	}
}

// TestMemory_KeyFromALongerLimit: state written under a long limit, checked under a short
// one, is denied without overflowing the maths.
func TestMemory_KeyFromALongerLimit(t *testing.T) {
	m, _ := newMemory(ratelimit.MemoryOptions{})
	long := ratelimit.Limit{Rate: 1, Period: 100 * time.Hour, Burst: 1000}
	mustAllow(t, m, "k", long, 1000) // 100000h ahead
	short := ratelimit.Limit{Rate: 1_000_000, Period: time.Second, Burst: 1}
	res := mustAllow(t, m, "k", short, 1)
	if res.Allowed || res.RetryAfter < 99_999*time.Hour {
		t.Fatalf("got %+v, want denied with a retry of about 100000h", res)
	}
}
