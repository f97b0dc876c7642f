//go:build !linux

package hashpool

import "time"

// lowerThreadPriority does nothing here: there is no portable per-thread priority. The
// bound on workers and the queue still keep hashing from taking every request's CPU.
func lowerThreadPriority() {}

// threadCPU is unknown here: Stats.WorkCPU stays 0.
func threadCPU() time.Duration { return 0 }
