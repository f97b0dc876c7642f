package main

import (
	"testing"
	"time"
)

func TestParseProcStat(t *testing.T) {
	stat := "cpu  100 50 30 400 20 5 5 10 0 0\ncpu0 50 25 15 200 10 2 3 5 0 0\nintr 1\n"
	busy, idle, steal, nice, ok := parseProcStat(stat)
	tick := func(n int64) time.Duration { return time.Duration(n) * 10 * time.Millisecond }
	if !ok || busy != tick(190) || idle != tick(420) || steal != tick(10) || nice != tick(50) {
		t.Errorf("got busy %v idle %v steal %v nice %v ok %v; want 1.9s 4.2s 100ms 500ms true", busy, idle, steal, nice, ok)
	}
	if _, _, _, _, ok := parseProcStat("intr 1\n"); ok {
		t.Error("no cpu line: got ok")
	}
}

func TestCPUSplit(t *testing.T) {
	t0 := time.Unix(0, 0)
	before := cpuSnapshot{at: t0, ok: true, hashKnown: true}
	after := cpuSnapshot{at: t0.Add(2 * time.Second), ok: true,
		busy: 3800 * time.Millisecond, idle: 200 * time.Millisecond, nice: 3000 * time.Millisecond,
		server: 3400 * time.Millisecond, loadGen: 200 * time.Millisecond, hash: 2800 * time.Millisecond, hashKnown: true}
	s, ok := after.splitSince(before)
	near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
	if !ok || !near(s.Server, 1.7) || !near(s.LoadGen, 0.1) || !near(s.Others, 0.1) || !near(s.Idle, 0.1) || !near(s.Nice, 1.5) {
		t.Errorf("got %+v, want server 1.7, load generator 0.1, others 0.1, idle 0.1, nice 1.5 cores", s)
	}
	// The server's own count of its hashing wins over the machine's nice time.
	if !near(s.Hashing(), 1.4) {
		t.Errorf("Hashing: got %v, want the server's 1.4 cores", s.Hashing())
	}
	s.HashKnown = false
	if !near(s.Hashing(), 1.5) {
		t.Errorf("Hashing without the server's count: got %v, want nice's 1.5 cores", s.Hashing())
	}
}

func TestParseHashCPU(t *testing.T) {
	exp := "# HELP gatehouse_hash_cpu_seconds_total x\n# TYPE gatehouse_hash_cpu_seconds_total counter\ngatehouse_hash_cpu_seconds_total 2.25\n"
	if d, ok := parseHashCPU(exp); !ok || d != 2250*time.Millisecond {
		t.Errorf("got %v, %v; want 2.25s", d, ok)
	}
	if _, ok := parseHashCPU("go_goroutines 3\n"); ok {
		t.Error("absent: got ok")
	}
}
