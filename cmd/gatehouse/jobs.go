package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// jobs is the server's background work. Each job runs in a goroutine of its own, once when the
// runner starts and then every interval, until the runner's context ends. A run is logged at
// debug with its duration, an error as a warning, and a panic is recovered and logged with the
// job's name and stack, so one failing job neither stops the others nor the process.
type jobs struct {
	log  *slog.Logger
	list []job
}

// job is one piece of background work.
type job struct {
	name  string
	every time.Duration
	run   func(ctx context.Context) error
}

// add registers fn under name, to run at start and then every interval. Register jobs before
// start.
func (j *jobs) add(name string, every time.Duration, fn func(ctx context.Context) error) {
	j.list = append(j.list, job{name: name, every: every, run: fn})
}

// start runs every job until ctx ends. The returned wait blocks until every job has returned
// from its current run; call it after ending ctx.
func (j *jobs) start(ctx context.Context) (wait func()) {
	var wg sync.WaitGroup
	for _, jb := range j.list {
		wg.Go(func() {
			t := time.NewTicker(jb.every)
			defer t.Stop()
			for ctx.Err() == nil {
				j.once(ctx, jb)
				select {
				case <-ctx.Done():
				case <-t.C:
				}
			}
		})
	}
	return wg.Wait
}

// once runs jb one time, containing its panic and logging the outcome. An error that only says
// ctx ended is the shutdown, not a failure.
func (j *jobs) once(ctx context.Context, jb job) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			j.log.Error("background job panicked", "job", jb.name, "panic", fmt.Sprint(v),
				"duration", time.Since(start), "stack", string(debug.Stack()))
		}
	}()
	err := jb.run(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		j.log.Warn("background job failed", "job", jb.name, "error", err, "duration", time.Since(start))
	case err == nil:
		j.log.Debug("background job ran", "job", jb.name, "duration", time.Since(start))
	}
}
