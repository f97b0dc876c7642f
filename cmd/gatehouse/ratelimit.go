package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

var setRedisLogger sync.Once

// sweepInterval is how often the memory limiter drops expired keys nobody touches any more.
const sweepInterval = time.Minute

// limiter is the rate limiter serve wires: memory, or Redis failing over to memory.
type limiter struct {
	ratelimit.Limiter
	memory *ratelimit.Memory
	close  func() error
}

// newLimiter returns the memory limiter, or with GATEHOUSE_REDIS_URL set, Redis with a
// memory fallback: Redis down never fails a request, it only makes each instance enforce
// its limits alone until Redis is back.
func newLimiter(cfg config.Config, log *slog.Logger) (*limiter, error) {
	mem := ratelimit.NewMemory(ratelimit.MemoryOptions{})
	if cfg.RedisURL == "" {
		return &limiter{Limiter: mem, memory: mem, close: func() error { return nil }}, nil
	}
	// go-redis logs through a global, set once per process (tests run several servers); its
	// lines about a Redis that is down are debug only, as Failover logs each outage once.
	setRedisLogger.Do(func() { redis.SetLogger(ratelimit.RedisLog{Logger: log}) })
	rdb, err := ratelimit.NewRedisClient(cfg.RedisURL, 0)
	if err != nil {
		return nil, fmt.Errorf("GATEHOUSE_REDIS_URL: %w", err)
	}
	f := ratelimit.NewFailover(ratelimit.NewRedis(rdb, ratelimit.RedisOptions{Prefix: cfg.RedisPrefix}), mem,
		ratelimit.FailoverOptions{Logger: log})
	return &limiter{Limiter: f, memory: mem, close: func() error {
		f.Close()
		return rdb.Close()
	}}, nil
}

// sweep is the background job that returns the memory of expired keys.
func (l *limiter) sweep(context.Context) error {
	l.memory.Sweep()
	return nil
}

// guardLimits and routeLimits split the configured rates between the domain and the edge.
func guardLimits(r config.Rates) guard.Limits {
	return guard.Limits{
		Account: r.SignInAccount, AccountCeiling: r.SignInAccountCeiling, AccountIP: r.SignInAccountIP,
		Global: r.SignInGlobal, Device: r.SignInDevice, Refresh: r.RefreshSession,
	}
}

func routeLimits(r config.Rates) httpapi.RouteLimits {
	return httpapi.RouteLimits{SignInIP: r.SignInIP, RegisterIP: r.RegisterIP, PasswordUser: r.PasswordUser, DeleteUser: r.DeleteUser, EmailTokenIP: r.EmailTokenIP}
}
