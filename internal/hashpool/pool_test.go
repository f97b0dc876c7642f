package hashpool_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/hashpool"
)

// blocker occupies every worker of p until release is called.
type blocker struct {
	release func()
	done    sync.WaitGroup
}

func block(t *testing.T, p *hashpool.Pool, workers int) *blocker {
	t.Helper()
	gate := make(chan struct{})
	entered := make(chan struct{}, workers)
	b := &blocker{}
	for range workers {
		b.done.Go(func() {
			if err := p.Do(context.Background(), func() { entered <- struct{}{}; <-gate }); err != nil {
				t.Errorf("blocking Do: %v", err)
			}
		})
	}
	for range workers {
		<-entered
	}
	var once sync.Once
	b.release = func() { once.Do(func() { close(gate); b.done.Wait() }) }
	t.Cleanup(b.release)
	return b
}

// waitQueued waits until n pieces of work are queued.
func waitQueued(t *testing.T, p *hashpool.Pool, n int) {
	t.Helper()
	for p.Stats().Queued != n {
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// Work runs in the order it was submitted, whoever submits it.
func TestPool_FIFO(t *testing.T) {
	p := hashpool.New(hashpool.Options{Workers: 1})
	b := block(t, p, 1)
	const n = 8
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := p.Do(context.Background(), func() { mu.Lock(); order = append(order, i); mu.Unlock() }); err != nil {
				t.Errorf("Do(%d): %v", i, err)
			}
		})
		waitQueued(t, p, i+1)
	}
	b.release()
	wg.Wait()
	for i, got := range order {
		if got != i {
			t.Fatalf("order: got %v, want 0…%d in order", order, n-1)
		}
	}
	if len(order) != n {
		t.Fatalf("ran %d, want %d", len(order), n)
	}
}

// A full queue refuses at once, with a Retry-After for the work ahead: here 2 queued and 1
// running, at 10 s each on one worker.
func TestPool_Full(t *testing.T) {
	p := hashpool.New(hashpool.Options{Workers: 1, QueueDepth: 2, InitialEstimate: 10 * time.Second})
	b := block(t, p, 1)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { _ = p.Do(context.Background(), func() {}) })
		waitQueued(t, p, i+1)
	}
	ran := false
	err := p.Do(context.Background(), func() { ran = true })
	var be *hashpool.BusyError
	if !errors.As(err, &be) || !errors.Is(err, hashpool.ErrBusy) {
		t.Fatalf("Do on a full queue: got %v, want a *BusyError", err)
	}
	if be.RetryAfter != 30*time.Second || be.Waited {
		t.Errorf("got RetryAfter %v, Waited %v; want 30s, false", be.RetryAfter, be.Waited)
	}
	if ran {
		t.Error("refused work ran")
	}
	b.release()
	wg.Wait()
	if s := p.Stats(); s.Refused != 1 || s.Queued != 0 || s.Running != 0 {
		t.Errorf("Stats: got %+v, want 1 refused, none queued or running", s)
	}
}

// Work that waits longer than QueueWait is refused, and Retry-After is at least a second.
func TestPool_WaitTooLong(t *testing.T) {
	p := hashpool.New(hashpool.Options{Workers: 1, QueueWait: 10 * time.Millisecond, InitialEstimate: time.Millisecond})
	block(t, p, 1)
	err := p.Do(context.Background(), func() { t.Error("work ran past its wait") })
	be, ok := errors.AsType[*hashpool.BusyError](err)
	if !ok || !be.Waited || be.RetryAfter != time.Second {
		t.Fatalf("got %#v, want a *BusyError that waited, RetryAfter 1s", err)
	}
	if q := p.Stats().Queued; q != 0 {
		t.Errorf("queued after the refusal: got %d, want 0", q)
	}
}

// A caller whose context ends leaves the queue without taking a worker: the next in line
// runs, and the abandoned work never does.
func TestPool_Cancel(t *testing.T) {
	p := hashpool.New(hashpool.Options{Workers: 1})
	b := block(t, p, 1)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() { errc <- p.Do(ctx, func() { t.Error("cancelled work ran") }) }()
	waitQueued(t, p, 1)
	var next sync.WaitGroup
	ranNext := false
	next.Go(func() { _ = p.Do(context.Background(), func() { ranNext = true }) })
	waitQueued(t, p, 2)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Do after cancel: got %v, want context.Canceled", err)
	}
	if s := p.Stats(); s.Queued != 1 || s.Abandoned != 1 {
		t.Errorf("Stats after cancel: got %+v, want 1 queued, 1 abandoned", s)
	}
	b.release()
	next.Wait()
	if !ranNext {
		t.Error("the work behind the cancelled one did not run")
	}
	if err := p.Do(ctx, func() { t.Error("work with an ended context ran") }); !errors.Is(err, context.Canceled) {
		t.Errorf("Do with an ended context: got %v, want context.Canceled", err)
	}
}

// The pool keeps no goroutine once its work is done, whatever became of it.
func TestPool_NoLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	p := hashpool.New(hashpool.Options{Workers: 2, QueueDepth: 4, QueueWait: 20 * time.Millisecond})
	b := block(t, p, 2)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 6 {
		c := context.Background()
		if i%2 == 0 {
			c = ctx
		}
		wg.Go(func() { _ = p.Do(c, func() {}) })
	}
	cancel()
	wg.Wait()
	b.release()
	for range 1000 {
		if runtime.NumGoroutine() <= before {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > before {
		t.Fatalf("goroutines: got %d, had %d before", got, before)
	}
	if s := p.Stats(); s.Running != 0 || s.Queued != 0 {
		t.Fatalf("Stats: got %+v, want nothing running or queued", s)
	}
}

func TestPool_Defaults(t *testing.T) {
	s := hashpool.New(hashpool.Options{}).Stats()
	if w := runtime.GOMAXPROCS(0); s.Workers != w || s.QueueDepth != 64*w {
		t.Errorf("got %d workers, depth %d; want %d, %d", s.Workers, s.QueueDepth, w, 64*w)
	}
	if s := hashpool.New(hashpool.Options{Workers: 1, QueueDepth: -1}).Stats(); s.QueueDepth != 0 {
		t.Errorf("QueueDepth -1: got depth %d, want 0", s.QueueDepth)
	}
}

// A panic in work reaches the caller, as if work had run on the caller's goroutine, and the
// worker is returned.
func TestPool_Panic(t *testing.T) {
	p := hashpool.New(hashpool.Options{Workers: 1})
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		_ = p.Do(context.Background(), func() { panic("boom") })
	}()
	if s := p.Stats(); s.Running != 0 {
		t.Errorf("running after a panic: got %d, want 0", s.Running)
	}
	if err := p.Do(context.Background(), func() {}); err != nil {
		t.Errorf("Do after a panic: %v", err)
	}
}
