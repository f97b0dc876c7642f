package ratelimit

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultProbeInterval is how often a Failover whose Redis is down checks whether it answers
// again.
const DefaultProbeInterval = 500 * time.Millisecond

// probeKey is the key the background probe spends from. Its limit (1/s) makes it expire from
// Redis a second after each probe.
const probeKey = "ratelimit:probe"

// FailoverOptions configures NewFailover; the zero value gives the defaults.
type FailoverOptions struct {
	// Logger receives one warning when Redis goes down and one info when it is back
	// (slog.Default() when nil).
	Logger *slog.Logger
	// ProbeInterval is the pause between probes while Redis is down (DefaultProbeInterval when
	// 0). It is raised to twice the Redis timeout if shorter, so that calls started before an
	// outage was noticed have ended before a probe can declare it over.
	ProbeInterval time.Duration
}

// Failover decides on Redis while Redis answers and on its own Memory while it does not; see
// the package documentation. It never returns an error because of Redis. Close stops its
// background probe.
type Failover struct {
	redis    *Redis
	memory   *Memory
	log      *slog.Logger
	interval time.Duration

	down atomic.Bool

	mu     sync.Mutex // guards since and closed, and starting probes
	since  time.Time
	closed bool
	stop   chan struct{}
	probes sync.WaitGroup
}

// NewFailover returns a limiter on primary that falls back to fallback. It starts no
// goroutine until Redis fails.
func NewFailover(primary *Redis, fallback *Memory, opts FailoverOptions) *Failover {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ProbeInterval <= 0 {
		opts.ProbeInterval = DefaultProbeInterval
	}
	opts.ProbeInterval = max(opts.ProbeInterval, 2*primary.timeout)
	return &Failover{
		redis:    primary,
		memory:   fallback,
		log:      opts.Logger,
		interval: opts.ProbeInterval,
		stop:     make(chan struct{}),
	}
}

// Allow implements Limiter. Its error is non-nil only for an invalid limit or n: when Redis
// fails or is down, the memory backend decides.
func (f *Failover) Allow(ctx context.Context, key string, l Limit, n int) (Result, error) {
	if err := check(l, n); err != nil {
		return Result{}, err
	}
	if !f.down.Load() {
		res, err := f.redis.Allow(ctx, key, l, n)
		if err == nil {
			return res, nil
		}
		f.failed(ctx, err)
	}
	return f.memory.Allow(ctx, key, l, n)
}

// Reset implements Limiter. It clears key in memory and, when Redis is up, in Redis; it never
// fails. A reset made during an outage does not reach Redis, so state written there before
// the outage applies again when Redis is back.
func (f *Failover) Reset(ctx context.Context, key string) error {
	_ = f.memory.Reset(ctx, key)
	if !f.down.Load() {
		if err := f.redis.Reset(ctx, key); err != nil {
			f.failed(ctx, err)
		}
	}
	return nil
}

// Backend implements Limiter: BackendRedis while Redis answers, BackendMemory during an
// outage.
func (f *Failover) Backend() string {
	if f.down.Load() {
		return BackendMemory
	}
	return BackendRedis
}

// Close stops the background probe, if one runs, and waits for it. Afterwards the limiter
// still answers, but once Redis fails it stays on memory.
func (f *Failover) Close() error {
	f.mu.Lock()
	if !f.closed {
		f.closed = true
		close(f.stop)
	}
	f.mu.Unlock()
	f.probes.Wait()
	return nil
}

// failed records that a Redis call failed with err. A call that failed because its caller
// gave up (a cancelled or expired request context) says nothing about Redis and is ignored.
// The first failure of an outage logs the one warning and starts the probe.
func (f *Failover) failed(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	if !f.down.CompareAndSwap(false, true) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.since = time.Now()
	f.log.Warn("ratelimit: Redis is not answering; limits are now per instance, in memory",
		slog.String("error", err.Error()))
	if f.closed {
		return
	}
	f.probes.Add(1)
	go f.probe()
}

// probe checks Redis every interval until a limit check on it succeeds, then switches back.
func (f *Failover) probe() {
	defer f.probes.Done()
	ticker := time.NewTicker(f.interval)
	defer ticker.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-ticker.C:
		}
		if _, err := f.redis.Allow(context.Background(), probeKey, PerSecond(1), 1); err != nil {
			continue
		}
		f.mu.Lock()
		outage := time.Since(f.since)
		f.down.Store(false)
		f.log.Info("ratelimit: Redis answers again; limits are shared again",
			slog.Duration("outage", outage.Round(time.Millisecond)))
		f.mu.Unlock()
		return
	}
}
