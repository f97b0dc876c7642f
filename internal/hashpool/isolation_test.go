package hashpool_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/gatehouse/gatehouse/internal/hashpool"
)

// BenchmarkIsolation is the load harness that chose this package's design. Over loopback
// HTTP, two clients call a cheap endpoint (a few tens of microseconds of CPU, like GET
// /api/users/me) while 32 clients flood an endpoint that verifies a bcrypt hash through a
// Pool. Every figure is a ratio to a baseline taken in the same run, so that it means
// something on a busy machine:
//
//   - p50/idle, p99/idle, rps/idle: the cheap endpoint during the flood against the same
//     endpoint with no flood;
//   - hash/limit: verifications a second during the flood against the bcrypt limit, the
//     cores divided by the time of one verification measured alone.
//
// In "closed" mode the cheap clients send as fast as they are answered, which takes every
// cycle the machine has: then cheap requests should keep their idle throughput, and hashing
// gets what is left (by design: requests first). In "paced" mode they send HASHPOOL_BENCH_RATE
// requests a second in all (default 400), which leaves the CPU to hashing: then hashing
// should reach the limit while cheap requests keep their idle latency.
//
// The variants: "normal" runs the hashes at normal priority (the old design: bcrypt competing
// on equal terms), "low" on nice-19 threads; gomaxprocs=N is Go's scheduler headroom. Run with
//
//	go test ./internal/hashpool -run '^$' -bench Isolation -benchtime 1x
//
// HASHPOOL_BENCH_COST (default 10) and HASHPOOL_BENCH_PHASE (default 4s) change the bcrypt
// cost and the length of each phase.
func BenchmarkIsolation(b *testing.B) {
	cost := envInt(b, "HASHPOOL_BENCH_COST", 10)
	phase := 4 * time.Second
	if v := os.Getenv("HASHPOOL_BENCH_PHASE"); v != "" {
		var err error
		if phase, err = time.ParseDuration(v); err != nil {
			b.Fatal(err)
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("flood password"), cost)
	if err != nil {
		b.Fatal(err)
	}
	cores := runtime.NumCPU()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))

	// One verification alone, the median of five: the bcrypt limit is cores ÷ this.
	var one []time.Duration
	for range 5 {
		start := time.Now()
		_ = bcrypt.CompareHashAndPassword(hash, []byte("wrong password"))
		one = append(one, time.Since(start))
	}
	slices.Sort(one)
	limit := float64(cores) / one[2].Seconds()

	rate := envInt(b, "HASHPOOL_BENCH_RATE", 400)
	runtime.GOMAXPROCS(cores)
	idle := map[string]result{"closed": measure(b, nil, hash, phase, 0), "paced": measure(b, nil, hash, phase, rate)}
	for _, mode := range []string{"closed", "paced"} {
		b.Run("idle/"+mode, func(b *testing.B) {
			r := idle[mode]
			b.ReportMetric(float64(r.p50.Microseconds()), "p50-µs")
			b.ReportMetric(float64(r.p99.Microseconds()), "p99-µs")
			b.ReportMetric(r.rps, "rps")
			b.ReportMetric(limit, "limit-hash/s")
		})
	}

	variants := []struct {
		name       string
		normal     bool
		workers    int
		gomaxprocs int
	}{
		{"normal/workers=2xcores/gomaxprocs=cores", true, 2 * cores, cores}, // the old semaphore
		{"normal/workers=cores/gomaxprocs=cores", true, cores, cores},
		{"low/workers=cores/gomaxprocs=cores", false, cores, cores},
		{"low/workers=cores/gomaxprocs=2xcores", false, cores, 2 * cores},
		{"low/workers=cores/gomaxprocs=4xcores", false, cores, 4 * cores},
	}
	for _, mode := range []string{"closed", "paced"} {
		for _, v := range variants {
			b.Run(mode+"/"+v.name, func(b *testing.B) {
				runtime.GOMAXPROCS(v.gomaxprocs)
				p := hashpool.New(hashpool.Options{Workers: v.workers, NormalPriority: v.normal, QueueWait: time.Minute})
				r := measure(b, p, hash, phase, map[string]int{"closed": 0, "paced": rate}[mode])
				runtime.GOMAXPROCS(cores)
				base := idle[mode]
				b.ReportMetric(float64(r.p50)/float64(base.p50), "p50/idle")
				b.ReportMetric(float64(r.p99)/float64(base.p99), "p99/idle")
				b.ReportMetric(float64(r.p99.Microseconds()), "p99-µs")
				b.ReportMetric(r.rps/base.rps, "rps/idle")
				b.ReportMetric(r.hashes/limit, "hash/limit")
			})
		}
	}
}

type result struct {
	p50, p99    time.Duration
	rps, hashes float64
}

// measure runs the cheap clients for phase, with a flood through p unless p is nil; rate is
// their requests a second in all, 0 for as fast as they are answered.
func measure(b *testing.B, p *hashpool.Pool, hash []byte, phase time.Duration, rate int) result {
	b.Helper()
	var hashes atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cheap", func(w http.ResponseWriter, r *http.Request) {
		sum := sha256.Sum256([]byte(r.URL.Path))
		for range 200 { // ~40 µs of CPU on this machine when idle
			sum = sha256.Sum256(sum[:])
		}
		fmt.Fprintf(w, `{"id":"%x"}`, sum[:8])
	})
	mux.HandleFunc("POST /hash", func(w http.ResponseWriter, r *http.Request) {
		err := p.Do(r.Context(), func() { _ = bcrypt.CompareHashAndPassword(hash, []byte("wrong password")) })
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		hashes.Add(1)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()

	ctx, cancel := context.WithCancel(context.Background())
	var flood sync.WaitGroup
	if p != nil {
		for range 32 {
			flood.Go(func() {
				for ctx.Err() == nil {
					req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/hash", nil)
					if res, err := client.Do(req); err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
					}
				}
			})
		}
		time.Sleep(phase / 8) // let the queue fill
	}
	startHashes := hashes.Load()
	var mu sync.Mutex
	var lat []time.Duration
	var cheap sync.WaitGroup
	deadline := time.Now().Add(phase)
	for range 2 {
		cheap.Go(func() {
			var mine []time.Duration
			var interval time.Duration
			if rate > 0 {
				interval = 2 * time.Second / time.Duration(rate)
			}
			next := time.Now()
			for time.Now().Before(deadline) {
				if interval > 0 {
					next = next.Add(interval)
					time.Sleep(time.Until(next))
				}
				start := time.Now()
				res, err := client.Get(srv.URL + "/cheap")
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	cheap.Wait()
	hashed := hashes.Load() - startHashes
	cancel()
	flood.Wait()
	slices.Sort(lat)
	if len(lat) == 0 {
		b.Fatal("no cheap request completed")
	}
	return result{
		p50: lat[len(lat)/2], p99: lat[len(lat)*99/100],
		rps: float64(len(lat)) / phase.Seconds(), hashes: float64(hashed) / phase.Seconds(),
	}
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	return n
}
