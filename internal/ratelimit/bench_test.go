package ratelimit_test

import (
	"context"
	"net/http"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

// benchLimit keeps a key's state for a while (3.6 s an event), so the benchmarks measure
// known keys, as active clients are; a single key reaches its burst and then measures the
// denied path, which costs the same.
var benchLimit = ratelimit.Limit{Rate: 1000, Period: time.Hour, Burst: 1000}

func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "signin:ip:10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255)
	}
	return keys
}

// warm makes every key known to l before a benchmark's timed loop.
func warm(b *testing.B, l ratelimit.Limiter, keys []string) {
	for _, k := range keys {
		if _, err := l.Allow(context.Background(), k, benchLimit, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAllow(b *testing.B, l ratelimit.Limiter, keys []string) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := l.Allow(ctx, keys[i%len(keys)], benchLimit, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func benchAllowParallel(b *testing.B, l ratelimit.Limiter, keys []string) {
	ctx := context.Background()
	var next atomic.Int64
	warm(b, l, keys)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(1)) * 7919
		for pb.Next() {
			if _, err := l.Allow(ctx, keys[i%len(keys)], benchLimit, 1); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

func BenchmarkMemory_Allow(b *testing.B) {
	many := benchKeys(100_000)
	b.Run("SingleKey", func(b *testing.B) {
		benchAllow(b, ratelimit.NewMemory(ratelimit.MemoryOptions{}), many[:1])
	})
	b.Run("ManyKeys", func(b *testing.B) {
		m := ratelimit.NewMemory(ratelimit.MemoryOptions{})
		warm(b, m, many)
		benchAllow(b, m, many)
	})
	b.Run("ParallelManyKeys", func(b *testing.B) {
		benchAllowParallel(b, ratelimit.NewMemory(ratelimit.MemoryOptions{}), many)
	})
	b.Run("ParallelSingleKey", func(b *testing.B) {
		benchAllowParallel(b, ratelimit.NewMemory(ratelimit.MemoryOptions{}), many[:1])
	})
	b.Run("FloodEvicting", func(b *testing.B) {
		// Every call is a new key into a full table: insert plus eviction.
		m := ratelimit.NewMemory(ratelimit.MemoryOptions{MaxKeys: 1 << 14})
		benchAllow(b, m, benchKeys(1<<20))
	})
}

// BenchmarkMemory_Bytes reports the memory one key costs (bytes/key), the basis of
// DefaultMaxKeys. Run it with -benchtime=1x.
func BenchmarkMemory_Bytes(b *testing.B) {
	const n = 100_000
	keys := benchKeys(n)
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := ratelimit.NewMemory(ratelimit.MemoryOptions{})
		for _, k := range keys {
			// A copy, as a request's key is its own allocation, held by the table.
			if _, err := m.Allow(context.Background(), strings.Clone(k), ratelimit.PerHour(10), 1); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "bytes/key")
		runtime.KeepAlive(m)
	}
}

func BenchmarkRedis_Allow(b *testing.B) {
	_, r := openTestRedis(b)
	many := benchKeys(10_000)
	b.Run("SingleKey", func(b *testing.B) { benchAllow(b, r, many[:1]) })
	b.Run("ManyKeys", func(b *testing.B) { warm(b, r, many); benchAllow(b, r, many) })
	b.Run("ParallelManyKeys", func(b *testing.B) { benchAllowParallel(b, r, many) })
}

func BenchmarkFailover_Allow(b *testing.B) {
	_, r := openTestRedis(b)
	f := ratelimit.NewFailover(r, ratelimit.NewMemory(ratelimit.MemoryOptions{}), ratelimit.FailoverOptions{})
	defer f.Close()
	keys := benchKeys(1000)
	warm(b, f, keys)
	benchAllow(b, f, keys)
}

func BenchmarkClientKey(b *testing.B) {
	v4 := netip.MustParseAddr("203.0.113.7")
	v6 := netip.MustParseAddr("2001:db8:1:2:3:4:5:6")
	b.Run("IPv4", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ratelimit.ClientKey(v4)
		}
	})
	b.Run("IPv6", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ratelimit.ClientKey(v6)
		}
	})
}

func BenchmarkSetHeaders(b *testing.B) {
	p := ratelimit.Policy{Name: "signin-ip", Limit: ratelimit.PerMinute(5)}
	res := ratelimit.Result{Limit: p.Limit, RetryAfter: 7 * time.Second, ResetAfter: time.Minute}
	b.ReportAllocs()
	for b.Loop() {
		ratelimit.SetHeaders(http.Header{}, p, res)
	}
}
