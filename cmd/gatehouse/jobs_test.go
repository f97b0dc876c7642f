package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a slog.Handler that keeps every record, for tests of what was logged.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
	notify  chan slog.Record
}

func newRecorder() *recorder { return &recorder{notify: make(chan slog.Record, 1000)} }

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	r.records = append(r.records, rec)
	r.mu.Unlock()
	select {
	case r.notify <- rec:
	default:
	}
	return nil
}

// waitFor returns the next record with message msg, failing t if none comes.
func (r *recorder) waitFor(t *testing.T, msg string) slog.Record {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case rec := <-r.notify:
			if rec.Message == msg {
				return rec
			}
		case <-timeout:
			t.Fatalf("no log record %q", msg)
		}
	}
}

func (r *recorder) count(msg string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, rec := range r.records {
		if rec.Message == msg {
			n++
		}
	}
	return n
}

func attrs(rec slog.Record) map[string]slog.Value {
	m := map[string]slog.Value{}
	rec.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value; return true })
	return m
}

func TestJobs_PanicContained(t *testing.T) {
	rec := newRecorder()
	bg := &jobs{log: slog.New(rec)}
	var healthy atomic.Int32
	bg.add("boom", time.Millisecond, func(context.Context) error { panic("kaboom") })
	bg.add("healthy", time.Millisecond, func(context.Context) error { healthy.Add(1); return nil })
	ctx, cancel := context.WithCancel(context.Background())
	wait := bg.start(ctx)
	defer func() { cancel(); wait() }()

	for range 2 { // the job panics, and runs again: the panic killed neither it nor the process
		got := rec.waitFor(t, "background job panicked")
		a := attrs(got)
		if got.Level != slog.LevelError || a["job"].String() != "boom" || a["panic"].String() != "kaboom" || a["stack"].String() == "" {
			t.Errorf("got %v %v, want an error naming the job, its panic and stack", got.Level, a)
		}
	}
	for healthy.Load() < 2 {
		rec.waitFor(t, "background job ran")
	}
}

func TestJobs_ErrorLoggedAsWarning(t *testing.T) {
	rec := newRecorder()
	bg := &jobs{log: slog.New(rec)}
	bg.add("sweep", time.Hour, func(context.Context) error { return errors.New("database gone") })
	ctx, cancel := context.WithCancel(context.Background())
	wait := bg.start(ctx)
	got := rec.waitFor(t, "background job failed")
	cancel()
	wait()
	a := attrs(got)
	if got.Level != slog.LevelWarn || a["job"].String() != "sweep" || a["error"].String() != "database gone" || a["duration"].Kind() != slog.KindDuration {
		t.Errorf("got %v %v, want a warning with the job, its error and duration", got.Level, a)
	}
}

func TestJobs_RunLoggedAtDebug(t *testing.T) {
	rec := newRecorder()
	bg := &jobs{log: slog.New(rec)}
	bg.add("keys", time.Hour, func(context.Context) error { return nil })
	ctx, cancel := context.WithCancel(context.Background())
	wait := bg.start(ctx)
	got := rec.waitFor(t, "background job ran") // the first run is at start, not after an hour
	cancel()
	wait()
	if a := attrs(got); got.Level != slog.LevelDebug || a["job"].String() != "keys" || a["duration"].Kind() != slog.KindDuration {
		t.Errorf("got %v %v, want debug with the job and its duration", got.Level, a)
	}
}

// Ending the context stops every job: wait returns once the run in progress has returned, no
// run starts after it, and the cancellation is not logged as a failure.
func TestJobs_StopOnCancel(t *testing.T) {
	rec := newRecorder()
	bg := &jobs{log: slog.New(rec)}
	running := make(chan struct{})
	var finished, runs atomic.Int32
	bg.add("long", time.Millisecond, func(ctx context.Context) error {
		if runs.Add(1) == 1 {
			close(running)
		}
		<-ctx.Done()
		finished.Add(1)
		return ctx.Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	wait := bg.start(ctx)
	<-running
	cancel()
	wait()
	if finished.Load() != runs.Load() {
		t.Errorf("wait returned with %d of %d runs unfinished", runs.Load()-finished.Load(), runs.Load())
	}
	if n := runs.Load(); n != 1 {
		t.Errorf("got %d runs, want 1: a run started after the cancellation", n)
	}
	if c := rec.count("background job failed"); c != 0 {
		t.Errorf("the cancellation was logged as %d failures", c)
	}
}
