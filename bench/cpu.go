package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuSnapshot is the CPU time used so far: by the whole machine (from /proc/stat, every core
// summed), by the server process and by this process, the load generator.
type cpuSnapshot struct {
	at                time.Time
	busy, idle, steal time.Duration // the machine's
	nice              time.Duration // the machine's time in threads of positive nice: Gatehouse's hashing threads run at 19
	server, loadGen   time.Duration
	hash              time.Duration // the server's hashers' own CPU time, when it reports it
	hashKnown, ok     bool
}

// cpuSplit is where the machine's CPU went over a window, in cores (CPU-seconds per second):
// it says whether hashing got every cycle the rest left, or who took them.
type cpuSplit struct {
	Server, LoadGen, Others, Idle, Steal, Nice float64
	// Hash is the server's hashing, from its hashers' thread clocks; HashKnown false when the
	// server does not report it, and Nice then stands in for it.
	Hash      float64
	HashKnown bool
}

func (r *runner) cpuSnapshot() cpuSnapshot {
	s := cpuSnapshot{at: time.Now(), server: r.srv.cpu()}
	s.hash, s.hashKnown = r.srv.hashCPU()
	if b, err := os.ReadFile("/proc/self/stat"); err == nil {
		s.loadGen = parseStatCPU(string(b))
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		s.busy, s.idle, s.steal, s.nice, s.ok = parseProcStat(string(b))
	}
	return s
}

// splitSince is the split between an earlier snapshot and now's.
func (now cpuSnapshot) splitSince(before cpuSnapshot) (cpuSplit, bool) {
	span := now.at.Sub(before.at).Seconds()
	if !now.ok || !before.ok || span <= 0 {
		return cpuSplit{}, false
	}
	cores := func(d time.Duration) float64 { return d.Seconds() / span }
	s := cpuSplit{
		Server: cores(now.server - before.server), LoadGen: cores(now.loadGen - before.loadGen),
		Idle: cores(now.idle - before.idle), Steal: cores(now.steal - before.steal),
		Nice: cores(now.nice - before.nice),
	}
	if now.hashKnown && before.hashKnown {
		s.Hash, s.HashKnown = cores(now.hash-before.hash), true
	}
	s.Others = max(0, cores(now.busy-before.busy)-s.Server-s.LoadGen)
	return s, true
}

// Left is the cores the load generator, other processes and the hypervisor left to
// Gatehouse: what it had for hashing and serving together.
func (s cpuSplit) Left(cores int) float64 {
	return max(0, float64(cores)-s.LoadGen-s.Others-s.Steal)
}

// Hashing is the cores Gatehouse's hashing threads used: as the server reports it, else the
// machine's time at a positive nice (which other niced programs inflate), at most Gatehouse's.
func (s cpuSplit) Hashing() float64 {
	if s.HashKnown {
		return min(s.Hash, s.Server)
	}
	return min(s.Nice, s.Server)
}

// describe states the split, e.g. "Gatehouse 1.84 (hashing: 1.71), load generator 0.09, other
// processes 0.05, idle 0.02, stolen by the hypervisor 0.00 cores; hashing took 0.92 of the
// 1.86 cores left to Gatehouse".
func (s cpuSplit) describe(cores int) string {
	d := fmt.Sprintf("Gatehouse %.2f (hashing: %.2f), load generator %.2f, "+
		"other processes %.2f, idle %.2f, stolen by the hypervisor %.2f cores",
		s.Server, s.Hashing(), s.LoadGen, s.Others, s.Idle, s.Steal)
	if left := s.Left(cores); left > 0 {
		d += fmt.Sprintf("; hashing took %.2f of the %.2f cores left to Gatehouse", s.Hashing()/left, left)
	}
	return d
}

// parseProcStat reads the aggregate "cpu" line of /proc/stat: user nice system idle iowait
// irq softirq steal (guest time is already inside user). Busy is everything but idle, iowait
// and steal.
func parseProcStat(stat string) (busy, idle, steal, nice time.Duration, ok bool) {
	for line := range strings.Lines(stat) {
		f := strings.Fields(line)
		if len(f) < 9 || f[0] != "cpu" {
			continue
		}
		var v [8]int64
		for i := range v {
			n, err := strconv.ParseInt(f[i+1], 10, 64)
			if err != nil {
				return 0, 0, 0, 0, false
			}
			v[i] = n
		}
		tick := func(n int64) time.Duration { return time.Duration(n) * time.Second / clockTicks }
		return tick(v[0] + v[1] + v[2] + v[5] + v[6]), tick(v[3] + v[4]), tick(v[7]), tick(v[1]), true
	}
	return 0, 0, 0, 0, false
}
