package captcha_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/captcha"
)

var noIP netip.Addr

func TestPoW_Challenge(t *testing.T) {
	c := newClock()
	p := newPoW(t, nil, nil, c)
	ch, err := p.Challenge(captcha.ActionRegister, captcha.LevelHigh)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Algorithm != "SHA-256" || ch.MaxNumber != captcha.Difficulty(captcha.LevelHigh) || len(ch.Challenge) != 64 || len(ch.Signature) != 64 {
		t.Errorf("got %+v, want SHA-256, maxnumber %d, hex challenge and signature", ch, captcha.Difficulty(captcha.LevelHigh))
	}
	wantParams := "?action=register&expires=" + strconv.FormatInt(c.now().Add(captcha.DefaultTTL).Unix(), 10) + "&"
	if !strings.HasSuffix(ch.Salt, wantParams) {
		t.Errorf("got salt %q, want it to end in %q", ch.Salt, wantParams)
	}
	if captcha.Difficulty(-1) != captcha.Difficulty(captcha.LevelNormal) || captcha.Difficulty(99) != captcha.Difficulty(captcha.LevelAttack) {
		t.Error("levels out of range are not clamped")
	}
}

// Every way a solution can be wrong is refused with the one code, captcha_invalid.
func TestPoW_Verify(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	p := newPoW(t, nil, nil, c)
	other := newPoW(t, nil, nil, c) // another server's key

	good := solved(t, p, captcha.ActionRegister)
	if err := p.Verify(ctx, captcha.ActionRegister, good.Encode(), noIP); err != nil {
		t.Fatalf("a genuine solution: got %v, want it accepted", err)
	}

	cases := []struct {
		name     string
		solution func() string
		action   captcha.Action
	}{
		{"Replay", func() string { return good.Encode() }, captcha.ActionRegister},
		{"WrongAction", func() string { return solved(t, p, captcha.ActionRegister).Encode() }, captcha.ActionSignIn},
		{"WrongNumber", func() string { s := solved(t, p, captcha.ActionRegister); s.Number++; return s.Encode() }, captcha.ActionRegister},
		{"TamperedSignature", func() string {
			s := solved(t, p, captcha.ActionRegister)
			s.Signature = flip(s.Signature)
			return s.Encode()
		}, captcha.ActionRegister},
		{"TamperedAction", func() string {
			s := solved(t, p, captcha.ActionSignIn)
			s.Salt = strings.Replace(s.Salt, "action=sign_in", "action=register", 1)
			return s.Encode()
		}, captcha.ActionRegister},
		{"TamperedExpiry", func() string {
			s := solved(t, p, captcha.ActionRegister)
			s.Salt = strings.Replace(s.Salt, "expires=", "expires=9", 1)
			return s.Encode()
		}, captcha.ActionRegister},
		{"OtherServersKey", func() string { return solved(t, other, captcha.ActionRegister).Encode() }, captcha.ActionRegister},
		{"SHA1", func() string { s := solved(t, p, captcha.ActionRegister); s.Algorithm = "SHA-1"; return s.Encode() }, captcha.ActionRegister},
		{"NotBase64", func() string { return "not base64!" }, captcha.ActionRegister},
		{"NotJSON", func() string { return base64.StdEncoding.EncodeToString([]byte("[1,2]")) }, captcha.ActionRegister},
		{"TooLong", func() string { return strings.Repeat("A", 4096) }, captcha.ActionRegister},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := p.Verify(ctx, tc.action, tc.solution(), noIP); !errors.Is(err, captcha.ErrInvalid) {
				t.Errorf("got %v, want captcha_invalid", err)
			}
		})
	}

	t.Run("Expired", func(t *testing.T) {
		s := solved(t, p, captcha.ActionSignIn)
		c.add(captcha.DefaultTTL + time.Second)
		defer c.add(-captcha.DefaultTTL - time.Second)
		if err := p.Verify(ctx, captcha.ActionSignIn, s.Encode(), noIP); !errors.Is(err, captcha.ErrInvalid) {
			t.Errorf("got %v, want captcha_invalid", err)
		}
	})
	t.Run("JustBeforeExpiry", func(t *testing.T) {
		s := solved(t, p, captcha.ActionSignIn)
		c.add(captcha.DefaultTTL)
		defer c.add(-captcha.DefaultTTL)
		if err := p.Verify(ctx, captcha.ActionSignIn, s.Encode(), noIP); err != nil {
			t.Errorf("got %v, want it accepted at its expiry second", err)
		}
	})
}

// flip changes the first hex digit of s.
func flip(s string) string {
	b := []byte(s)
	if b[0] == '0' {
		b[0] = '1'
	} else {
		b[0] = '0'
	}
	return string(b)
}

// A solution used on one instance is refused on every other that shares the Redis, also when
// they race.
func TestPoW_ReplayAcrossInstances(t *testing.T) {
	ctx := context.Background()
	key, prefix := testKey(t), redisPrefix(t)
	a := newPoW(t, key, captcha.NewRedisReplays(redisClient(t), prefix, nil), nil)
	b := newPoW(t, key, captcha.NewRedisReplays(redisClient(t), prefix, nil), nil)

	s := solved(t, a, captcha.ActionRegister)
	if err := a.Verify(ctx, captcha.ActionRegister, s.Encode(), noIP); err != nil {
		t.Fatalf("first use on instance A: %v", err)
	}
	if err := b.Verify(ctx, captcha.ActionRegister, s.Encode(), noIP); !errors.Is(err, captcha.ErrInvalid) {
		t.Fatalf("replay on instance B: got %v, want captcha_invalid", err)
	}

	s = solved(t, b, captcha.ActionSignIn)
	var accepted atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		p := a
		if i%2 == 1 {
			p = b
		}
		wg.Go(func() {
			err := p.Verify(ctx, captcha.ActionSignIn, s.Encode(), noIP)
			switch {
			case err == nil:
				accepted.Add(1)
			case !errors.Is(err, captcha.ErrInvalid):
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if accepted.Load() != 1 {
		t.Fatalf("one solution sent 16 times to two instances was accepted %d times, want 1", accepted.Load())
	}
}

// Redis down: the database takes over, so challenges still work once each.
func TestFallback_RedisDown(t *testing.T) {
	ctx := context.Background()
	dead := captcha.NewRedisReplays(deadRedis(t), "x:", nil)
	p := newPoW(t, nil, captcha.Fallback{Primary: dead, Secondary: dbReplays(t)}, nil)
	s := solved(t, p, captcha.ActionRegister)
	if err := p.Verify(ctx, captcha.ActionRegister, s.Encode(), noIP); err != nil {
		t.Fatalf("with Redis down: got %v, want the database to take over", err)
	}
	if err := p.Verify(ctx, captcha.ActionRegister, s.Encode(), noIP); !errors.Is(err, captcha.ErrInvalid) {
		t.Fatalf("replay with Redis down: got %v, want captcha_invalid", err)
	}

	// Neither answering: refused as unavailable, never let through.
	p = newPoW(t, nil, captcha.Fallback{Primary: dead, Secondary: dead}, nil)
	s = solved(t, p, captcha.ActionRegister)
	if err := p.Verify(ctx, captcha.ActionRegister, s.Encode(), noIP); !errors.Is(err, captcha.ErrUnavailable) {
		t.Fatalf("with nothing to remember it in: got %v, want captcha_unavailable", err)
	}
}
