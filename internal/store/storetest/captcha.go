package storetest

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// testCaptchaKey: the first call stores the generated key, every later (or concurrent) call
// returns that same key without generating one that wins.
func testCaptchaKey(t *testing.T, s *store.Store) {
	ctx := context.Background()
	var made atomic.Int32
	gen := func() ([]byte, error) {
		k := bytes.Repeat([]byte{byte(made.Add(1))}, 32)
		return k, nil
	}
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := s.CaptchaKey(ctx, gen)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for i, k := range keys {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("call %d got key %x, want the same 32 bytes as call 0 (%x)", i, k, keys[0])
		}
	}
	again, err := s.CaptchaKey(ctx, func() ([]byte, error) { t.Fatal("generated a key though one is stored"); return nil, nil })
	if err != nil || !bytes.Equal(again, keys[0]) {
		t.Fatalf("got %x, %v; want the stored key", again, err)
	}
}

// testSpendCaptcha: a challenge is spent once however many try at once, and forgotten only
// once expired.
func testSpendCaptcha(t *testing.T, s *store.Store) {
	ctx := context.Background()
	now := time.Now()
	var fresh atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ok, err := s.SpendCaptcha(ctx, "c1", now.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			if ok {
				fresh.Add(1)
			}
		})
	}
	wg.Wait()
	if fresh.Load() != 1 {
		t.Fatalf("%d concurrent spends succeeded, want 1", fresh.Load())
	}
	if _, err := s.SpendCaptcha(ctx, "c2", now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteExpiredCaptchas(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredCaptchas: got %d, %v; want 1 (c2 only)", n, err)
	}
	if ok, err := s.SpendCaptcha(ctx, "c1", now.Add(time.Minute)); err != nil || ok {
		t.Fatalf("spend c1 again: got %v, %v; want false: it has not expired", ok, err)
	}
}
