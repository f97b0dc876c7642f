package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/ratelimit/ratelimittest"
)

// logRecorder is a slog.Handler that keeps every record.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *logRecorder) logger() *slog.Logger { return slog.New(l) }

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}

func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

// count returns how many records at level were logged.
func (l *logRecorder) count(level slog.Level) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.records {
		if r.Level == level {
			n++
		}
	}
	return n
}

// unusedAddr returns a local TCP address nothing listens on (it was free a moment ago).
func unusedAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startRedisServer runs the machine's redis-server on port, without persistence, and waits
// until it answers PING. It is killed when the test ends.
func startRedisServer(t *testing.T, port string) *exec.Cmd {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is required under CI")
		}
		t.Skip("redis-server is not installed")
	}
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGCONT)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + port, MaxRetries: -1})
	defer rdb.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if rdb.Ping(context.Background()).Err() == nil {
			return cmd
		}
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not answer PING within 10s")
		}
	}
}

func killRedisServer(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// scriptCounter is a go-redis hook counting the limiter's script calls on keys other than
// the background probe's.
type scriptCounter struct{ n atomic.Int64 }

func (c *scriptCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (c *scriptCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		name := cmd.Name()
		if (name == "evalsha" || name == "eval") && !strings.Contains(fmt.Sprint(cmd.Args()), "ratelimit:probe") {
			c.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (c *scriptCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

// waitBackend polls f until it reports want, failing t after 10 s.
func waitBackend(t *testing.T, f *ratelimit.Failover, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); f.Backend() != want; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("got backend %q 10s on, want %q", f.Backend(), want)
		}
	}
}

// TestFailover_RedisOutage starts its own redis-server, then kills it, brings it back, hangs
// it (SIGSTOP) and resumes it, checking at each stage who answers and what is logged.
func TestFailover_RedisOutage(t *testing.T) {
	_, port, _ := net.SplitHostPort(unusedAddr(t))
	srv := startRedisServer(t, port)
	rdb, err := ratelimit.NewRedisClient("redis://127.0.0.1:"+port+"/0", 150*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	scripts := &scriptCounter{}
	rdb.AddHook(scripts)
	r := ratelimit.NewRedis(rdb, ratelimit.RedisOptions{Prefix: ratelimittest.Prefix(t)})
	mem := ratelimit.NewMemory(ratelimit.MemoryOptions{})
	logs := &logRecorder{}
	f := ratelimit.NewFailover(r, mem, ratelimit.FailoverOptions{Logger: logs.logger(), ProbeInterval: 300 * time.Millisecond})
	t.Cleanup(func() { f.Close() })
	limit := ratelimit.PerHour(1000)
	ctx := t.Context()

	// Redis up: Redis decides, memory holds nothing.
	mustAllow(t, f, "before", limit, 1)
	if got := f.Backend(); got != ratelimit.BackendRedis {
		t.Fatalf("got backend %q with Redis up, want redis", got)
	}
	if n, err := rdb.Exists(ctx, "rate:"+ratelimit.RedisStorageKey(r, "before")).Result(); err != nil || n != 1 {
		t.Fatalf("got the key in Redis %d (err %v), want 1", n, err)
	}
	if got := mem.Len(); got != 0 {
		t.Fatalf("got %d keys in memory with Redis up, want 0", got)
	}

	// Killed: the first call after the kill fails over at once; no later request touches
	// Redis; one warning for the whole outage.
	killRedisServer(t, srv)
	checkOutage(t, f, mem, scripts, limit, "killed")
	if got := logs.count(slog.LevelWarn); got != 1 {
		t.Fatalf("got %d warnings for one outage, want 1", got)
	}

	// Restarted: the probe finds it; one info; Redis decides again.
	srv = startRedisServer(t, port)
	waitBackend(t, f, ratelimit.BackendRedis)
	checkBack(t, f, rdb, r, logs, limit, "after-restart", 1)

	// Hung (SIGSTOP): Redis accepts connections but answers nothing. The per-call timeout
	// must cut the wait; a second outage, a second warning.
	if err := srv.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	checkOutage(t, f, mem, scripts, limit, "hung")
	if got := logs.count(slog.LevelWarn); got != 2 {
		t.Fatalf("got %d warnings after two outages, want 2", got)
	}

	// Resumed (SIGCONT): back on Redis.
	if err := srv.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitBackend(t, f, ratelimit.BackendRedis)
	checkBack(t, f, rdb, r, logs, limit, "after-resume", 2)
}

// checkOutage makes calls against a Redis that just stopped answering: the first must be
// answered from memory and switch the limiter to memory, and 200 more from 8 goroutines must
// all be answered without an error and without one reaching Redis. That is the design's
// bound on the "within a second": at most one call waits, for at most one Redis
// timeout (150 ms); its duration is logged, not asserted, since a test never times the machine.
func checkOutage(t *testing.T, f *ratelimit.Failover, mem *ratelimit.Memory, scripts *scriptCounter, limit ratelimit.Limit, stage string) {
	t.Helper()
	start := time.Now()
	res, err := f.Allow(t.Context(), stage+"-first", limit, 1)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("%s: got error %v, want an answer from memory", stage, err)
	}
	if !res.Allowed || res.Remaining != limit.Burst-1 {
		t.Fatalf("%s: got %+v, want the first event allowed", stage, res)
	}
	t.Logf("%s: first call answered from memory after %v", stage, took)
	if got := f.Backend(); got != ratelimit.BackendMemory {
		t.Fatalf("%s: got backend %q, want memory", stage, got)
	}
	before := scripts.n.Load()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				if _, err := f.Allow(t.Context(), fmt.Sprint(stage, "-", g, "-", i%5), limit, 1); err != nil {
					t.Errorf("%s: got error %v during the outage, want none", stage, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := scripts.n.Load() - before; got != 0 {
		t.Fatalf("%s: %d requests went to Redis once it was known down, want 0", stage, got)
	}
	if got := mem.Len(); got < 41 {
		t.Fatalf("%s: got %d keys in memory, want the outage's 41 at least", stage, got)
	}
}

// checkBack checks that f is on Redis again, logged its return (infos in all), and stores new
// state in Redis.
func checkBack(t *testing.T, f *ratelimit.Failover, rdb *redis.Client, r *ratelimit.Redis, logs *logRecorder, limit ratelimit.Limit, key string, infos int) {
	t.Helper()
	if got := logs.count(slog.LevelInfo); got != infos {
		t.Fatalf("%s: got %d infos, want %d (one per return)", key, got, infos)
	}
	mustAllow(t, f, key, limit, 1)
	if n, err := rdb.Exists(t.Context(), "rate:"+ratelimit.RedisStorageKey(r, key)).Result(); err != nil || n != 1 {
		t.Fatalf("%s: got the key in Redis %d (err %v), want 1: Redis should decide again", key, n, err)
	}
}

// TestFailover_CallerGivingUpIsNotAnOutage: a request whose context is cancelled fails its
// Redis call, but that says nothing about Redis.
func TestFailover_CallerGivingUpIsNotAnOutage(t *testing.T) {
	_, r := openTestRedis(t)
	logs := &logRecorder{}
	f := ratelimit.NewFailover(r, ratelimit.NewMemory(ratelimit.MemoryOptions{}), ratelimit.FailoverOptions{Logger: logs.logger()})
	defer f.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.Allow(ctx, "a", hourly, 1); err != nil {
		t.Fatalf("got error %v, want an answer", err)
	}
	if got := f.Backend(); got != ratelimit.BackendRedis {
		t.Fatalf("got backend %q after a cancelled request, want redis", got)
	}
	if got := logs.count(slog.LevelWarn); got != 0 {
		t.Fatalf("got %d warnings, want 0", got)
	}
}

// TestFailover_InvalidLimit: an invalid limit is the caller's error, reported as such, and
// not an outage.
func TestFailover_InvalidLimit(t *testing.T) {
	rdb, err := ratelimit.NewRedisClient("redis://"+unusedAddr(t)+"/0", 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	f := ratelimit.NewFailover(ratelimit.NewRedis(rdb, ratelimit.RedisOptions{}), ratelimit.NewMemory(ratelimit.MemoryOptions{}), ratelimit.FailoverOptions{Logger: (&logRecorder{}).logger()})
	defer f.Close()
	if _, err := f.Allow(t.Context(), "a", ratelimit.Limit{Rate: 1}, 1); !errors.Is(err, ratelimit.ErrInvalidLimit) {
		t.Fatalf("got %v, want ErrInvalidLimit", err)
	}
	if got := f.Backend(); got != ratelimit.BackendRedis {
		t.Fatalf("got backend %q, want redis: no Redis call was made", got)
	}
}
