package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultRedisTimeout is the default deadline of one Redis call. It is short on purpose: a
// limit check sits in front of every limited request, and Failover answers from memory
// rather than keep a request waiting on a Redis that does not answer.
const DefaultRedisTimeout = 150 * time.Millisecond

// DefaultRedisPrefix is the default prefix of the limiter's Redis keys.
const DefaultRedisPrefix = "gatehouse:"

// RedisOptions configures NewRedis; the zero value gives the defaults.
type RedisOptions struct {
	// Prefix goes before every key (DefaultRedisPrefix when empty), so several services or
	// tests can share one Redis. The stored key is "rate:" + Prefix + key (redis_rate adds
	// "rate:").
	Prefix string
	// Timeout is the deadline of each call (DefaultRedisTimeout when 0). It is enforced only
	// if the client honours context deadlines, as NewRedisClient's does.
	Timeout time.Duration
}

// Redis is the shared backend: every instance using the same Redis and Prefix shares the same
// counters. Each Allow is one atomic Lua script on Redis's clock. Its keys expire in Redis
// when their state does.
type Redis struct {
	limiter *redis_rate.Limiter
	prefix  string
	timeout time.Duration
}

// NewRedis returns a backend on rdb, whose timeouts, retries and pool are the caller's: use
// NewRedisClient, or a client with ContextTimeoutEnabled and MaxRetries -1, so one call costs
// at most Timeout.
func NewRedis(rdb redis.UniversalClient, opts RedisOptions) *Redis {
	if opts.Prefix == "" {
		opts.Prefix = DefaultRedisPrefix
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultRedisTimeout
	}
	return &Redis{limiter: redis_rate.NewLimiter(rdb), prefix: opts.Prefix, timeout: opts.Timeout}
}

// NewRedisClient opens a client for rawURL (redis://[user:password@]host:port/db, or
// rediss:// for TLS) tuned for a limiter: every dial, read, write and pool wait is bounded by
// timeout (DefaultRedisTimeout when 0), context deadlines are honoured, and a failed call is
// not retried, so a Redis that stops answering costs one timeout, not several. Its error never
// contains the URL, which may hold a password.
func NewRedisClient(rawURL string, timeout time.Duration) (*redis.Client, error) {
	if timeout <= 0 {
		timeout = DefaultRedisTimeout
	}
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		// url.Error repeats the whole URL, password included: keep only its reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("ratelimit: parse Redis URL: %w", err)
	}
	opts.DialTimeout = timeout
	opts.ReadTimeout = timeout
	opts.WriteTimeout = timeout
	opts.PoolTimeout = timeout
	opts.ContextTimeoutEnabled = true
	opts.MaxRetries = -1
	opts.DialerRetries = 1
	// CLIENT SETINFO and the maintenance-notification handshake cost a round trip on every
	// new connection and mean nothing to a limiter.
	opts.DisableIdentity = true
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return redis.NewClient(opts), nil
}

// Allow implements Limiter. Its error is non-nil for an invalid limit or n, or when Redis did
// not answer within the timeout or answered with an error.
func (r *Redis) Allow(ctx context.Context, key string, l Limit, n int) (Result, error) {
	if err := check(l, n); err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	got, err := r.limiter.AllowN(ctx, r.storageKey(key),
		redis_rate.Limit{Rate: l.Rate, Burst: l.Burst, Period: l.Period}, n)
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: redis allow: %w", err)
	}
	// The script reports retry_after = -1 exactly when it allowed (a peek included: it then
	// reports 0 events allowed).
	res := Result{
		Allowed:    got.RetryAfter < 0,
		Limit:      l,
		ResetAfter: max(got.ResetAfter, 0),
	}
	if res.Allowed {
		res.Remaining = max(got.Remaining, remainingAfter(res.ResetAfter, l))
	} else {
		res.RetryAfter = got.RetryAfter
	}
	return res, nil
}

// tatSlack is how far Redis's TAT may be off: the script stores it as a Lua number printed
// with 14 significant digits, seconds since 2017, which is 10 µs of resolution.
const tatSlack = 10 * time.Microsecond

// remainingAfter is Remaining recomputed from the script's reset_after, forgiving tatSlack.
// The script computes remaining in float seconds as (burst_offset - increment) / interval,
// which for an interval that is not a whole number of seconds (0.1 s, 8.57 s) comes out a
// hair under the integer and floors one short: the first of 10 events a second reported 8
// remaining, not 9. The allow decision itself is the script's, untouched.
func remainingAfter(reset time.Duration, l Limit) int {
	ahead := max(int64(reset-tatSlack), 0)
	units := (ahead*int64(l.Rate) + int64(l.Period) - 1) / int64(l.Period)
	return max(l.Burst-int(units), 0)
}

// Reset implements Limiter.
func (r *Redis) Reset(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	if err := r.limiter.Reset(ctx, r.storageKey(key)); err != nil {
		return fmt.Errorf("ratelimit: redis reset: %w", err)
	}
	return nil
}

// Backend implements Limiter: it is always BackendRedis.
func (r *Redis) Backend() string { return BackendRedis }

// RedisLog adapts a slog.Logger to go-redis's logger (redis.SetLogger(RedisLog{l}), a global
// of go-redis). go-redis logs each failed dial itself; Failover already reports the outage
// once, so RedisLog writes those lines at debug level only.
type RedisLog struct{ Logger *slog.Logger }

// Printf implements go-redis's internal logging interface.
func (l RedisLog) Printf(ctx context.Context, format string, v ...any) {
	l.Logger.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

// storageKey is the key passed to redis_rate, which stores it under "rate:" + the result.
func (r *Redis) storageKey(key string) string { return r.prefix + key }
