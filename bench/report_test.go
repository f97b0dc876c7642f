package main

import (
	"strings"
	"testing"
	"time"
)

func TestFormatFailures(t *testing.T) {
	tests := []struct {
		in   map[int]int
		want string
	}{
		{nil, "—"},
		{map[int]int{503: 3}, "503×3"},
		{map[int]int{500: 1, 503: 3, 0: 2}, "503×3 err×2 500×1"}, // commonest first
		{map[int]int{429: 2, 401: 2}, "401×2 429×2"},             // ties by status
	}
	for _, tt := range tests {
		if got := formatFailures(tt.in); got != tt.want {
			t.Errorf("formatFailures(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFormatLatency(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "—"},
		{612 * time.Microsecond, "612 µs"},
		{1234 * time.Microsecond, "1.23 ms"},
		{41500 * time.Microsecond, "41.5 ms"},
		{448 * time.Millisecond, "448 ms"},
		{1500 * time.Millisecond, "1.50 s"},
		{16 * time.Second, "16.0 s"},
	}
	for _, tt := range tests {
		if got := formatLatency(tt.in); got != tt.want {
			t.Errorf("formatLatency(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNewRow(t *testing.T) {
	limit := hashLimit{Cores: 2, PerHash: 250 * time.Millisecond} // 8/s
	var s sample
	for i := range 10 { // one sign-in answered every 125 ms: 8/s
		s = append(s, at(125*i, 125, 200))
	}
	s = append(s, at(1000, 5, 503), at(1100, 9000, 200)) // a 503 in the window; a straggler past it
	r := newRow("sign-in", "4 conns", s, t0, t0.Add(1250*time.Millisecond), true, limit)
	if r.Requests != 12 {
		t.Errorf("Requests = %d, want 12: every request counts", r.Requests)
	}
	if r.RPS != 11/1.25 || r.OKPerSec != 10/1.25 {
		t.Errorf("RPS %v, OKPerSec %v; want %v and %v: rates count the window only", r.RPS, r.OKPerSec, 11/1.25, 10/1.25)
	}
	if r.LimitFraction != 1 {
		t.Errorf("LimitFraction = %v, want 1", r.LimitFraction)
	}
	if r.P99 != 9*time.Second {
		t.Errorf("P99 = %v, want the straggler's 9s", r.P99)
	}
	if got := formatFailures(r.Failures); got != "503×1" {
		t.Errorf("failures %q, want 503×1", got)
	}
}

func TestTable(t *testing.T) {
	rows := []row{
		{Scenario: "sign-in", Load: "16 conns", Requests: 80, RPS: 7.6, P50: 2 * time.Second, P90: 2100 * time.Millisecond,
			P99: 2200 * time.Millisecond, Failures: map[int]int{503: 3}, CPUPerReq: 251 * time.Millisecond,
			HashBound: true, OKPerSec: 7.6, LimitFraction: 0.95},
		{Scenario: "me", Load: "16 conns", Requests: 68000, RPS: 6800.4, P50: 2 * time.Millisecond,
			P90: 3 * time.Millisecond, P99: 5 * time.Millisecond, CPUPerReq: 290 * time.Microsecond},
	}
	got := table(rows, 12)
	want := "| scenario | load | requests | rps | p50 | p90 | p99 | errors | server CPU/req | of bcrypt limit (cost 12) |\n" +
		"|---|---|--:|--:|--:|--:|--:|---|--:|--:|\n" +
		"| sign-in | 16 conns | 80 | 7.60 | 2.00 s | 2.10 s | 2.20 s | 503×3 | 251 ms | 0.95 (7.6/s) |\n" +
		"| me | 16 conns | 68000 | 6800 | 2.00 ms | 3.00 ms | 5.00 ms | — | 290 µs | — |\n"
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestReport_Markdown(t *testing.T) {
	rep := report{
		Machine: machine{CPU: "Test CPU", Cores: 2, Memory: 24 << 30, GoBench: "go1.27.3", Revision: "abc1234",
			Date: t0, LoadBefore: "1.00, 1.00, 1.00"},
		Settings: "10s per scenario",
		Note:     "The machine was busy.",
		Dialects: []dialectReport{{
			Name: "SQLite", StartToReady: 222 * time.Millisecond, IdleRSS: 16 << 20, PeakRSS: 40 << 20,
			Limit: hashLimit{Cost: 12, Cores: 2, PerHash: 250 * time.Millisecond, Samples: 7},
			Rows:  []row{{Scenario: "me", Load: "2 conns", Requests: 1}},
			Isolation: []isolation{{Flood: 32, Clients: 2,
				Idle:            row{P50: 500 * time.Microsecond, P99: time.Millisecond},
				During:          row{P50: 30 * time.Millisecond, P99: 41 * time.Millisecond},
				SignIns:         row{OKPerSec: 7.6},
				ThroughputRatio: 0.05, SignInsOfLimit: 0.95, SignInsPerSecLimit: 8,
			}, {Flood: 32, Clients: 2, Rate: 200,
				Idle:            row{P50: 600 * time.Microsecond, P99: 2 * time.Millisecond},
				During:          row{P50: 700 * time.Microsecond, P99: 3 * time.Millisecond},
				SignIns:         row{OKPerSec: 7.2},
				ThroughputRatio: 1, SignInsOfLimit: 0.9, SignInsPerSecLimit: 8,
				CPU: cpuSplit{Server: 1.9, Nice: 1.8, LoadGen: 0.06, Others: 0.03, Idle: 0.01}, CPUKnown: true,
			}},
			Notes: []string{"refresh stopped early: no unused refresh token left"},
		}},
	}
	md := rep.Markdown()
	for _, want := range []string{
		"# Benchmarks\n", "make bench", "> **Note:** The machine was busy.",
		"| CPU | Test CPU, 2 cores (as Go sees them) |", "| Memory | 24.0 GiB |", "| Revision | abc1234",
		"| Date | 2026-12-01 22:00 UTC |", "| Settings | 10s per scenario |",
		"## SQLite", "start to ready (process start until /healthz answers) 222 ms; RSS 16.0 MiB idle, 40.0 MiB peak",
		"2 cores ÷ 250 ms per hash (bcrypt cost 12", "= 8.00 hashes/s",
		"| me | 2 conns | 1 |",
		"me p50 500 µs → 30.0 ms, p99 1.00 ms → 41.0 ms; me throughput 0.05× idle; sign-ins 7.6/s = 0.95 of the bcrypt limit (8.00/s)",
		"**Paced isolation** (GET /api/users/me at 200/s; a 32-connection sign-in flood): me p50 600 µs → 700 µs, p99 2.00 ms → 3.00 ms; me throughput 1.00× idle; sign-ins 7.2/s = 0.90 of the bcrypt limit (8.00/s). " +
			"CPU during the flood: Gatehouse 1.90 (hashing: 1.80), load generator 0.06, other processes 0.03, idle 0.01, stolen by the hypervisor 0.00 cores; hashing took 0.94 of the 1.91 cores left to Gatehouse.",
		"- refresh stopped early",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestMixShares(t *testing.T) {
	total, hashing := 0, 0
	for _, m := range mixShares {
		total += m.share
		if m.kind == kindSignIn || m.kind == kindRegister {
			hashing += m.share
		}
	}
	if total != 100 || float64(hashing)/100 != mixHashShare {
		t.Errorf("shares add to %d (hashing %d), want 100 with mixHashShare %v", total, hashing, mixHashShare)
	}
}
