//go:build !linux

package hashpool

// lowerThreadPriority does nothing here: there is no portable per-thread priority. The
// bound on workers and the queue still keep hashing from taking every request's CPU.
func lowerThreadPriority() {}
