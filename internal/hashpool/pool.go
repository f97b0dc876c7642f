// Package hashpool runs slow, CPU-bound work (password hashing) on a bounded set of worker
// threads behind a bounded FIFO queue. It knows nothing of passwords: callers submit a
// function and get it run, or a *BusyError that says when to try again.
//
// # Design
//
// bcrypt is slow on purpose, so during a sign-in flood every core can be hashing. Run on the
// request goroutines, that work competes on equal terms with cheap requests (GET
// /api/users/me) in both schedulers, Go's and the kernel's, and their p99 grows to tens of
// milliseconds. Three things keep cheap requests fast while hashing still uses every idle
// cycle:
//
//   - Each piece of work runs on its own goroutine locked to its OS thread
//     (runtime.LockOSThread), and on Linux that thread alone gets the lowest priority (nice 19
//     through setpriority on its thread id; see priority_linux.go). The kernel then runs
//     request-serving threads first whenever they are runnable, and gives hashing whatever
//     is left: all of it while requests are idle. The goroutine exits still locked, so the
//     runtime discards the thread instead of returning a low-priority thread to the pool
//     that serves requests. A thread costs tens of microseconds; a hash, hundreds of
//     milliseconds.
//   - At most Workers run at once (the cores by default: more only adds context switches),
//     and the caller raises GOMAXPROCS by Workers (cmd/gatehouse does): a running
//     hash holds a P, the Go scheduler's right to run Go code, so without spare Ps a request
//     goroutine would wait for Go's 10 ms preemption whatever the kernel thinks of it.
//   - Work waits in one FIFO queue, bounded in depth and in time, so a sign-in costs its
//     queue wait plus one hash and a flood is refused early (with a Retry-After computed
//     from the queue) instead of piling up. A caller whose context ends leaves the queue
//     without taking a worker.
//
// The price is the other side of the same rule: hashing gets only what the rest leaves, so
// during a flood sign-ins run at the bcrypt limit (cores ÷ one hash) less the share of the
// cores other requests (and other programs) take. A client that asks for GET /api/users/me as
// fast as it is answered takes most of a core; one at a human pace, nothing measurable. No
// cycle is left unused while work waits (make bench's CPU split: during every flood the
// server's CPU equalled the cores the rest left it), hand-offs between pieces of work included. Stats.WorkCPU, read from each
// work thread's own clock, says how much of the machine hashing got.
//
// Elsewhere than Linux the threads keep their priority; the bound and the queue still hold.
package hashpool

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ErrBusy matches every *BusyError (errors.Is(err, hashpool.ErrBusy)).
var ErrBusy = errors.New("hashing queue is full")

// BusyError says the work was refused: the queue was full, or the work waited longer than
// the queue's maximum wait. RetryAfter is how long the queue ahead is expected to take to
// drain (whole seconds, at least one).
type BusyError struct {
	RetryAfter time.Duration
	// Waited is true when the work was refused after waiting in the queue.
	Waited bool
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("%v (retry after %v)", ErrBusy, e.RetryAfter)
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Options configures a Pool; zero values take the defaults.
type Options struct {
	// Workers is how many pieces of work run at once; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// QueueDepth is how many may wait beyond those running; 0 means 64 per worker, and a
	// negative value means none may wait.
	QueueDepth int
	// QueueWait is the longest work waits for a worker before it is refused; 0 means 5 s.
	QueueWait time.Duration
	// InitialEstimate is the duration of one piece of work assumed for Retry-After until the
	// first has been measured; 0 means 250 ms (bcrypt at cost 12).
	InitialEstimate time.Duration
	// NormalPriority keeps the workers' threads at the process's priority (benchmarks
	// compare against it); by default they run at the lowest.
	NormalPriority bool
}

// Stats is a snapshot of a Pool, for metrics.
type Stats struct {
	Workers    int
	Running    int
	Queued     int
	QueueDepth int
	// Waited is the total time work has spent in the queue, and Completed how many pieces of
	// work have run, so Waited/Completed is the mean wait.
	Waited    time.Duration
	Completed uint64
	// Refused counts *BusyError results; Abandoned counts callers whose context ended while
	// they waited.
	Refused   uint64
	Abandoned uint64
	// WorkTime is the current estimate of one piece of work (a moving average).
	WorkTime time.Duration
	// WorkCPU is the CPU time the work has used, measured on its own thread (Linux; 0
	// elsewhere): against the cores, it says how much of the machine hashing got.
	WorkCPU time.Duration
}

// Pool runs work on at most Workers low-priority threads, in FIFO order. It is safe for
// concurrent use and needs no closing: it keeps no goroutine while idle.
type Pool struct {
	workers, depth int
	wait           time.Duration
	normalPriority bool

	mu      sync.Mutex
	running int
	queue   list.List // of *waiter, oldest first

	workNanos atomic.Int64 // moving average of one piece of work
	cpuNanos  atomic.Int64
	waited    atomic.Int64
	completed atomic.Uint64
	refused   atomic.Uint64
	abandoned atomic.Uint64
}

type waiter struct {
	ready chan struct{} // closed when a worker is granted
}

// New returns a Pool.
func New(o Options) *Pool {
	p := &Pool{workers: o.Workers, depth: o.QueueDepth, wait: o.QueueWait, normalPriority: o.NormalPriority}
	if p.workers <= 0 {
		p.workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case p.depth == 0:
		p.depth = 64 * p.workers
	case p.depth < 0:
		p.depth = 0
	}
	if p.wait <= 0 {
		p.wait = 5 * time.Second
	}
	est := o.InitialEstimate
	if est <= 0 {
		est = 250 * time.Millisecond
	}
	p.workNanos.Store(int64(est))
	return p
}

// Do runs work on a worker thread once one is free, and returns when it has run. Work waits
// in FIFO order behind what was submitted before it; if the queue is full, or no worker is
// free within the maximum wait, Do returns a *BusyError without running it. If ctx ends while
// it waits, Do returns ctx's error and work never runs; once started, work runs to the end.
func (p *Pool) Do(ctx context.Context, work func()) error {
	if err := p.acquire(ctx); err != nil {
		return err
	}
	defer p.release()
	start := time.Now()
	done := make(chan struct{})
	var panicked any
	go func() {
		// Locked and never unlocked: when this goroutine returns, the runtime ends the
		// thread, so its lowered priority never reaches a request.
		runtime.LockOSThread()
		if !p.normalPriority {
			lowerThreadPriority()
		}
		defer close(done)
		cpu0 := threadCPU()
		defer func() { p.cpuNanos.Add(int64(threadCPU() - cpu0)) }()
		defer func() { panicked = recover() }()
		work()
	}()
	<-done
	if panicked != nil {
		panic(panicked) // in the caller, as if work had run there (net/http recovers it)
	}
	p.observe(time.Since(start))
	return nil
}

// acquire takes a worker, waiting in the queue if none is free.
func (p *Pool) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	if p.running < p.workers && p.queue.Len() == 0 {
		p.running++
		p.mu.Unlock()
		return nil
	}
	if p.queue.Len() >= p.depth {
		err := p.busyLocked(false)
		p.mu.Unlock()
		return err
	}
	w := &waiter{ready: make(chan struct{})}
	elem := p.queue.PushBack(w)
	p.mu.Unlock()

	start := time.Now()
	defer func() { p.waited.Add(int64(time.Since(start))) }()
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	var err error
	select {
	case <-w.ready:
		return nil
	case <-timer.C:
	case <-ctx.Done():
		err = ctx.Err()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-w.ready:
		// Granted just as the wait ended: the worker is ours, so use it rather than
		// leave it idle; the caller's work is still wanted unless ctx ended.
		if err == nil {
			return nil
		}
		p.running--
		p.grantLocked()
	default:
		p.queue.Remove(elem)
	}
	if err != nil {
		p.abandoned.Add(1)
		return err
	}
	return p.busyLocked(true)
}

// release returns a worker and hands it to the oldest waiter.
func (p *Pool) release() {
	p.mu.Lock()
	p.running--
	p.grantLocked()
	p.mu.Unlock()
}

func (p *Pool) grantLocked() {
	for p.running < p.workers && p.queue.Len() > 0 {
		w := p.queue.Remove(p.queue.Front()).(*waiter)
		p.running++
		close(w.ready)
	}
}

// busyLocked counts a refusal and says when to retry: the queue ahead drains at Workers
// pieces of work per work time.
func (p *Pool) busyLocked(waited bool) *BusyError {
	p.refused.Add(1)
	ahead := float64(p.queue.Len() + p.running)
	secs := math.Ceil(ahead * float64(p.workNanos.Load()) / float64(p.workers) / float64(time.Second))
	return &BusyError{RetryAfter: time.Duration(max(secs, 1)) * time.Second, Waited: waited}
}

// observe folds d into the moving average of one piece of work (weight 1/8).
func (p *Pool) observe(d time.Duration) {
	p.completed.Add(1)
	for {
		old := p.workNanos.Load()
		if p.workNanos.CompareAndSwap(old, old+(int64(d)-old)/8) {
			return
		}
	}
}

// Stats returns a snapshot of the pool.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	running, queued := p.running, p.queue.Len()
	p.mu.Unlock()
	return Stats{
		Workers: p.workers, Running: running, Queued: queued, QueueDepth: p.depth,
		Waited: time.Duration(p.waited.Load()), Completed: p.completed.Load(),
		Refused: p.refused.Load(), Abandoned: p.abandoned.Load(),
		WorkTime: time.Duration(p.workNanos.Load()), WorkCPU: time.Duration(p.cpuNanos.Load()),
	}
}
