//go:build linux

package hashpool_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gatehouse/gatehouse/internal/hashpool"
)

// threadNice returns the nice value of the calling thread (getpriority's raw Linux result is
// 20 − nice).
func threadNice(t *testing.T) int {
	t.Helper()
	raw, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - raw
}

// Work runs at the lowest priority, and that priority never reaches another goroutine: the
// thread it ran on is gone.
func TestPool_LowPriority(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	callerNice := threadNice(t)
	for _, o := range []struct {
		opts hashpool.Options
		want int
	}{
		{hashpool.Options{Workers: 1}, 19},
		{hashpool.Options{Workers: 1, NormalPriority: true}, callerNice},
	} {
		var got int
		if err := hashpool.New(o.opts).Do(context.Background(), func() { got = threadNice(t) }); err != nil {
			t.Fatal(err)
		}
		if got != o.want {
			t.Errorf("NormalPriority %v: work ran at nice %d, want %d", o.opts.NormalPriority, got, o.want)
		}
	}
	// Many goroutines on fresh threads: none may find itself at nice 19.
	for range 50 {
		done := make(chan int)
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			done <- threadNice(t)
		}()
		if n := <-done; n != callerNice {
			t.Fatalf("a goroutine ran at nice %d after hashing, want %d", n, callerNice)
		}
	}
}

// WorkCPU counts the work's own CPU time, on its thread: a busy loop counts, a sleep does not.
func TestPool_WorkCPU(t *testing.T) {
	p := hashpool.New(hashpool.Options{Workers: 1})
	spin := func() {
		var ts unix.Timespec
		_ = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
		start := ts.Nano()
		for ts.Nano()-start < 20e6 {
			_ = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
		}
	}
	if err := p.Do(context.Background(), spin); err != nil {
		t.Fatal(err)
	}
	busy := p.Stats().WorkCPU
	if busy < 20*time.Millisecond {
		t.Errorf("after 20 ms of the thread's CPU: WorkCPU %v, want at least 20ms", busy)
	}
	if err := p.Do(context.Background(), func() { time.Sleep(50 * time.Millisecond) }); err != nil {
		t.Fatal(err)
	}
	if slept := p.Stats().WorkCPU - busy; slept >= 25*time.Millisecond {
		t.Errorf("a 50 ms sleep added %v of CPU, want little", slept)
	}
}
