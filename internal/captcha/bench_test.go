package captcha_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/captcha"
)

// alwaysFresh is Replays that forgets everything, so one solution can be verified b.N times
// and the benchmark measures the checks alone.
type alwaysFresh struct{}

func (alwaysFresh) Spend(context.Context, string, time.Time) (bool, error) { return true, nil }

func BenchmarkChallenge(b *testing.B) {
	p := newPoW(b, nil, alwaysFresh{}, nil)
	for b.Loop() {
		if _, err := p.Challenge(captcha.ActionRegister, captcha.LevelNormal); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is the server's cost per solution: Genuine runs every check (decode, SHA-256,
// HMAC), Forged fails at the last one; neither counts the store of used challenges (see
// BenchmarkSpend).
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	p := newPoW(b, nil, alwaysFresh{}, nil)
	good := solved(b, p, captcha.ActionRegister)
	forged := good
	forged.Signature = flip(forged.Signature)
	for name, s := range map[string]string{"Genuine": good.Encode(), "Forged": forged.Encode()} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = p.Verify(ctx, captcha.ActionRegister, s, noIP)
			}
		})
	}
}

// BenchmarkSpend is the cost of remembering one used challenge.
func BenchmarkSpend(b *testing.B) {
	ctx := context.Background()
	until := time.Now().Add(time.Minute)
	run := func(b *testing.B, r captcha.Replays) {
		i := 0
		for b.Loop() {
			i++
			if _, err := r.Spend(ctx, "bench-"+strconv.Itoa(i), until); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("sqlite", func(b *testing.B) { run(b, dbReplays(b)) })
	b.Run("redis", func(b *testing.B) { run(b, captcha.NewRedisReplays(redisClient(b), redisPrefix(b), nil)) })
}

// BenchmarkSolve is a solver's cost at the default level on one core of this machine, in Go
// (the ALTCHA library's solver); hashes/s is what the README's cost table builds on.
func BenchmarkSolve(b *testing.B) {
	p := newPoW(b, nil, alwaysFresh{}, nil)
	var hashes int64
	for b.Loop() {
		s := solved(b, p, captcha.ActionRegister)
		hashes += s.Number + 1
	}
	b.ReportMetric(float64(hashes)/b.Elapsed().Seconds(), "hashes/s")
}
