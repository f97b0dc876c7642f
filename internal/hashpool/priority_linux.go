//go:build linux

package hashpool

import (
	"time"

	"golang.org/x/sys/unix"
)

// lowestNice is the weakest CFS weight a thread can ask for without privileges. On Linux,
// setpriority on a thread id changes that thread alone, not the process. With autogroups or
// a cgroup per service the nice value orders our own threads, not other programs'.
const lowestNice = 19

// lowerThreadPriority gives the calling thread the lowest priority. It must be locked to its
// goroutine. A failure (a seccomp filter, say) leaves the thread as it was: hashing still
// works, only less politely.
func lowerThreadPriority() {
	_ = unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), lowestNice)
}

// threadCPU is the CPU time the calling thread has used (it must be locked to its
// goroutine), 0 if unknown.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
