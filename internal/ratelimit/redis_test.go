package ratelimit_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/logging"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/ratelimit/ratelimittest"
)

// openTestRedis returns a client on TEST_REDIS_URL (skipping or failing as RedisURL says),
// failing t if that Redis does not answer, and a backend on it under a prefix of t's own.
func openTestRedis(t testing.TB) (*redis.Client, *ratelimit.Redis) {
	t.Helper()
	rdb, err := ratelimit.NewRedisClient(ratelimittest.RedisURL(t), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("TEST_REDIS_URL does not answer: %v", err)
	}
	return rdb, ratelimit.NewRedis(rdb, ratelimit.RedisOptions{Prefix: ratelimittest.Prefix(t)})
}

// shiftTAT makes d pass for keys stored by r: it moves their stored TATs back by d. The
// script sees only TAT - now, so this is the same as d passing on Redis's clock.
var shiftTAT = redis.NewScript(`
if redis.call("EXISTS", KEYS[1]) == 1 then
  return redis.call("INCRBYFLOAT", KEYS[1], ARGV[1])
end
return false
`)

func advanceRedis(rdb *redis.Client, r *ratelimit.Redis) func(*testing.T, time.Duration, ...string) {
	return func(t *testing.T, d time.Duration, keys ...string) {
		t.Helper()
		for _, key := range keys {
			k := "rate:" + ratelimit.RedisStorageKey(r, key)
			if err := shiftTAT.Run(t.Context(), rdb, []string{k}, -d.Seconds()).Err(); err != nil && !errors.Is(err, redis.Nil) {
				t.Fatalf("shift TAT of %q: %v", key, err)
			}
		}
	}
}

func TestRedis_Conformance(t *testing.T) {
	ratelimittest.RedisURL(t)
	ratelimittest.Run(t, func(t *testing.T) ratelimittest.Harness {
		rdb, r := openTestRedis(t)
		return ratelimittest.Harness{Limiter: r, Advance: advanceRedis(rdb, r), RealClock: true}
	})
}

// TestFailover_Conformance runs the suite on a Failover whose Redis answers: it must decide
// as Redis does.
func TestFailover_Conformance(t *testing.T) {
	ratelimittest.RedisURL(t)
	ratelimittest.Run(t, func(t *testing.T) ratelimittest.Harness {
		rdb, r := openTestRedis(t)
		f := ratelimit.NewFailover(r, ratelimit.NewMemory(ratelimit.MemoryOptions{}), ratelimit.FailoverOptions{})
		t.Cleanup(func() { f.Close() })
		return ratelimittest.Harness{Limiter: f, Advance: advanceRedis(rdb, r), RealClock: true}
	})
}

// TestFailover_ConformanceRedisUnreachable runs the suite on a Failover whose Redis never
// answers (nothing listens on its port): every call must be decided, from memory, as the
// memory backend decides, and none may fail.
func TestFailover_ConformanceRedisUnreachable(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T) ratelimittest.Harness {
		rdb, err := ratelimit.NewRedisClient("redis://"+unusedAddr(t)+"/0", 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rdb.Close() })
		m, clock := newMemory(ratelimit.MemoryOptions{})
		logs := &logRecorder{}
		f := ratelimit.NewFailover(ratelimit.NewRedis(rdb, ratelimit.RedisOptions{}), m,
			ratelimit.FailoverOptions{Logger: logs.logger()})
		t.Cleanup(func() { f.Close() })
		return ratelimittest.Harness{
			Limiter: f,
			Advance: func(_ *testing.T, d time.Duration, _ ...string) { clock.Advance(d) },
		}
	})
}

// TestRedis_RemainingWithFractionalInterval covers the one place the script's float seconds
// round wrongly: the first event under an interval that is not a whole number of seconds.
func TestRedis_RemainingWithFractionalInterval(t *testing.T) {
	_, r := openTestRedis(t)
	for _, l := range []ratelimit.Limit{ratelimit.PerSecond(10), {Rate: 100, Period: time.Minute, Burst: 10}, ratelimit.PerMinute(7)} {
		res := mustAllow(t, r, "first-"+l.String(), l, 1)
		if !res.Allowed || res.Remaining != l.Burst-1 {
			t.Errorf("%v: got first call allowed %v remaining %d, want true %d", l, res.Allowed, res.Remaining, l.Burst-1)
		}
	}
}

func TestRedis_KeysUnderPrefixExpire(t *testing.T) {
	rdb, r := openTestRedis(t)
	mustAllow(t, r, "a", hourly, 1)
	k := "rate:" + ratelimit.RedisStorageKey(r, "a")
	if !strings.HasPrefix(k, "rate:test:") {
		t.Fatalf("got storage key %q, want it under the test prefix", k)
	}
	ttl, err := rdb.TTL(t.Context(), k).Result()
	if err != nil {
		t.Fatal(err)
	}
	// The state of one event under a 10m interval is worth 10m; Redis must drop it then.
	if ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Fatalf("got TTL %v, want about 10m", ttl)
	}
}

func TestRedis_ErrorWhenUnreachable(t *testing.T) {
	rdb, err := ratelimit.NewRedisClient("redis://"+unusedAddr(t)+"/0", 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	r := ratelimit.NewRedis(rdb, ratelimit.RedisOptions{})
	if _, err := r.Allow(t.Context(), "a", hourly, 1); err == nil {
		t.Fatal("got no error from an unreachable Redis, want one")
	}
	if _, err := r.Allow(t.Context(), "a", ratelimit.Limit{}, 1); !errors.Is(err, ratelimit.ErrInvalidLimit) {
		t.Fatalf("got %v for an invalid limit, want ErrInvalidLimit before any Redis call", err)
	}
}

func TestNewRedisClient_ErrorHidesPassword(t *testing.T) {
	for _, u := range []string{"redis://:hunter2secret@127.0.0.1:bad/0", "redis://u:hunter2secret@host/notadb", "http://:hunter2secret@host"} {
		_, err := ratelimit.NewRedisClient(u, 0)
		if err == nil {
			t.Fatalf("NewRedisClient(%q): got no error, want one", u)
		}
		if strings.Contains(err.Error(), "hunter2secret") {
			t.Fatalf("got error %q, which contains the password", err)
		}
	}
}

func TestRedisLog(t *testing.T) {
	logs := &logRecorder{}
	redis.SetLogger(ratelimit.RedisLog{Logger: logs.logger()})
	t.Cleanup(logging.Enable) // go-redis's default logger again
	rdb, err := ratelimit.NewRedisClient("redis://"+unusedAddr(t)+"/0", 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	_ = rdb.Ping(t.Context()).Err()
	if got := logs.count(slog.LevelDebug); got == 0 {
		t.Fatal("got no debug record of the failed dial, want go-redis's line at debug")
	}
	if got := logs.count(slog.LevelWarn) + logs.count(slog.LevelInfo) + logs.count(slog.LevelError); got != 0 {
		t.Fatalf("got %d records above debug, want 0", got)
	}
}

// TestRedis_SharedAcrossInstances: two instances (two clients, one prefix) share counters, so
// events split across them trip the limit as the same events on one would.
func TestRedis_SharedAcrossInstances(t *testing.T) {
	url := ratelimittest.RedisURL(t)
	prefix := ratelimittest.Prefix(t)
	var instances []*ratelimit.Redis
	for range 2 {
		rdb, err := ratelimit.NewRedisClient(url, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rdb.Close() })
		instances = append(instances, ratelimit.NewRedis(rdb, ratelimit.RedisOptions{Prefix: prefix}))
	}
	limit := ratelimit.PerHour(5)
	allowed := 0
	for i := range 12 {
		if mustAllow(t, instances[i%2], "account", limit, 1).Allowed {
			allowed++
		}
	}
	if allowed != limit.Burst {
		t.Fatalf("got %d of 12 events allowed across two instances, want %d", allowed, limit.Burst)
	}
}
