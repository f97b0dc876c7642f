package captcha_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// clock is a fixed clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, captcha.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// dbReplays is the database's store of used challenges, on a real SQLite file.
func dbReplays(t testing.TB) captcha.Replays {
	return captcha.ReplaysFunc(storetest.OpenSQLite(t).SpendCaptcha)
}

// newPoW returns a PoW with key (a fresh one if nil) on replays (the database if nil).
func newPoW(t testing.TB, key []byte, replays captcha.Replays, c *clock) *captcha.PoW {
	t.Helper()
	if key == nil {
		key = testKey(t)
	}
	if replays == nil {
		replays = dbReplays(t)
	}
	o := captcha.PoWOptions{Key: key, Replays: replays}
	if c != nil {
		o.Now = c.now
	}
	p, err := captcha.NewPoW(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// solved returns a fresh challenge for action, solved.
func solved(t testing.TB, p *captcha.PoW, action captcha.Action) captcha.Solution {
	t.Helper()
	c, err := p.Challenge(action, captcha.LevelNormal)
	if err != nil {
		t.Fatal(err)
	}
	s, err := captcha.Solve(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// redisClient connects to TEST_REDIS_URL: skipped without it, failed without it under CI.
func redisClient(t testing.TB) *redis.Client {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_REDIS_URL is not set; CI requires Redis")
		}
		t.Skip("TEST_REDIS_URL is not set")
	}
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("Redis at TEST_REDIS_URL does not answer: %v", err)
	}
	return c
}

// redisPrefix is a key prefix no other test (or engineer) on the shared Redis uses.
func redisPrefix(t testing.TB) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "gatehouse-test:captcha:" + hex.EncodeToString(b) + ":"
}

// deadRedis is a client of a Redis that is not there: every command fails at once.
func deadRedis(t testing.TB) *redis.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}
