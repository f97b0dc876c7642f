//go:build linux

package hashpool_test

import (
	"context"
	"runtime"
	"testing"

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
