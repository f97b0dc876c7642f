package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// row is one line of a dialect's table: one scenario, or one kind of request within the mix.
type row struct {
	Scenario      string
	Load          string // "16 conns" (closed loop) or "200/s" (open loop)
	Requests      int
	RPS           float64 // responses per second within the window, of any status
	P50, P90, P99 time.Duration
	Failures      map[int]int   // non-2xx responses by status; 0 is no response at all
	CPUPerReq     time.Duration // the server process's CPU per request; 0 when not measured
	HashBound     bool
	OKPerSec      float64 // 2xx responses per second within the window
	LimitFraction float64 // OKPerSec ÷ the bcrypt limit, for hash-bound rows
}

// newRow summarises s: its latencies and failures over every request, its rates over the
// responses that arrived between from and to.
func newRow(scenario, load string, s sample, from, to time.Time, hashBound bool, limit hashLimit) row {
	q := s.quantiles(0.5, 0.9, 0.99)
	r := row{
		Scenario: scenario, Load: load, Requests: len(s),
		P50: q[0], P90: q[1], P99: q[2],
		Failures: s.failures(), HashBound: hashBound,
	}
	if span := to.Sub(from); span > 0 {
		in := s.within(from, to)
		r.RPS = float64(len(in)) / span.Seconds()
		r.OKPerSec = float64(in.ok()) / span.Seconds()
	}
	if hashBound {
		r.LimitFraction = limit.Fraction(r.OKPerSec)
	}
	return r
}

// isolation is the flood-plus-me scenario's verdict: GET /api/users/me idle and during a
// sign-in flood, and how close the flood's sign-ins came to the bcrypt limit.
type isolation struct {
	Flood, Clients     int
	Rate               int // me's requests per second; 0: a closed loop of Clients
	Idle, During       row // GET /api/users/me
	SignIns            row // the flood, over the window in which the during row was measured
	ThroughputRatio    float64
	SignInsOfLimit     float64
	SignInsPerSecLimit float64
	// CPU is where the machine's CPU went while me was measured during the flood.
	CPU      cpuSplit
	CPUKnown bool
}

// dialectReport is everything measured against one fresh server.
type dialectReport struct {
	Name          string
	StartToReady  time.Duration
	IdleRSS       int64
	PeakRSS       int64
	Limit         hashLimit
	Setup         time.Duration
	SetupUsers    int
	SetupSessions int
	Rows          []row
	Isolation     []isolation // closed-loop me first, then paced me when measured
	Notes         []string
}

// machine is where a run happened.
type machine struct {
	CPU        string
	Cores      int
	Memory     int64
	Kernel     string
	GoServer   string
	GoBench    string
	Revision   string
	Server     string // the binary's own version
	Date       time.Time
	LoadBefore string
	LoadAfter  string
}

// report is one run of the bench: the machine, the settings and a table per dialect.
type report struct {
	Machine  machine
	Settings string
	Note     string
	Dialects []dialectReport
}

const docHeader = `# Benchmarks

Written by ` + "`make bench`" + ` (the tool in [bench/](../bench), driving [vegeta](https://github.com/tsenart/vegeta)
against a fresh server per dialect); every run overwrites this file. Re-run it with:

` + "```sh" + `
make bench                                   # SQLite, and PostgreSQL too when TEST_DATABASE_URL is set
make bench BENCH_FLAGS=-quick                # a CI-sized check: about a second per scenario
make bench BENCH_FLAGS="-duration 30s -c 32" # every flag: cd bench && go run . -h
` + "```" + `

Figures hold for the machine below, so compare them within one run: hash-bound results are a
fraction of the **bcrypt limit** (cores ÷ the time of one hash at the server's cost, measured in
the same run), and GET /api/users/me during the sign-in flood is set against the same endpoint
idle. "load" is a closed loop of that many connections (each sends its next request when the
last is answered) or an open loop at that rate; the mix runs at the rate that keeps its hashing
at half the bcrypt limit. "rps" counts responses within the scenario's window; latencies are
exact nearest-rank percentiles of every request. "errors" counts every non-2xx response by
status (` + "`err`" + `: no response at all): a 503 under a flood is a result, not a failure of
the run. "server CPU/req" is the Gatehouse process's CPU time (user + system) during the
scenario ÷ its requests; PostgreSQL's own CPU is not in it. The load generator runs on the same
machine, so on a small one it takes some of the cores the server would otherwise have.

Isolation runs twice. With 2 closed-loop clients on GET /api/users/me (each sends its next request
the moment the last is answered) me takes as much CPU as it can, and the kernel gives it first
(hashing runs at nice 19): that shows me's priority, and what it costs the sign-ins. Paced, me
runs at a fixed rate (` + "`-me-rate`" + `) beside the same flood: the sign-ins then show how much of the
bcrypt limit hashing keeps under a realistic load. Under each, where the machine's CPU went
while me was measured (from /proc/stat and the two processes' own CPU time): Gatehouse and its
hashing (its hashers' own thread clocks, gatehouse_hash_cpu_seconds_total), the load generator,
other processes, idle, and the share of the cores left to Gatehouse that hashing took. Every core that serves me or runs the load
generator is one that does not hash, so sign-ins reach the bcrypt limit less that share.
`

// Markdown renders the report: the header, the machine and one table per dialect.
func (r report) Markdown() string {
	var b strings.Builder
	b.WriteString(docHeader)
	if r.Note != "" {
		fmt.Fprintf(&b, "\n> **Note:** %s\n", r.Note)
	}
	m := r.Machine
	b.WriteString("\n## Machine\n\n| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| CPU | %s, %d cores (as Go sees them) |\n", orUnknown(m.CPU), m.Cores)
	fmt.Fprintf(&b, "| Memory | %s |\n", formatBytes(m.Memory))
	fmt.Fprintf(&b, "| Kernel | Linux %s |\n", orUnknown(m.Kernel))
	fmt.Fprintf(&b, "| Load average (1, 5, 15 min) | %s before, %s after |\n", orUnknown(m.LoadBefore), orUnknown(m.LoadAfter))
	fmt.Fprintf(&b, "| Go | %s (server), %s (bench) |\n", orUnknown(m.GoServer), m.GoBench)
	fmt.Fprintf(&b, "| Revision | %s (server reports %s) |\n", orUnknown(m.Revision), orUnknown(m.Server))
	fmt.Fprintf(&b, "| Date | %s |\n", m.Date.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "| Settings | %s |\n", r.Settings)
	for _, d := range r.Dialects {
		b.WriteString(d.markdown())
	}
	return b.String()
}

func (d dialectReport) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## %s\n\n", d.Name)
	fmt.Fprintf(&b, "- Server: start to ready (process start until /healthz answers) %s; RSS %s idle, %s peak.\n",
		formatLatency(d.StartToReady), formatBytes(d.IdleRSS), formatBytes(d.PeakRSS))
	fmt.Fprintf(&b, "- bcrypt limit: %s.\n", d.Limit)
	fmt.Fprintf(&b, "- Setup: %d users registered and %d sessions signed in, in %s.\n\n",
		d.SetupUsers, d.SetupSessions, formatLatency(d.Setup))
	b.WriteString(table(d.Rows, d.Limit.Cost))
	for _, i := range d.Isolation {
		b.WriteString(i.markdown(d.Limit.Cores))
	}
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "\n- %s", n)
	}
	if len(d.Notes) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// markdown is the scenario's verdict, in one paragraph under the table.
func (i isolation) markdown(cores int) string {
	if i.Flood == 0 {
		return ""
	}
	title, me := "Isolation", fmt.Sprintf("%d clients on GET /api/users/me", i.Clients)
	if i.Rate > 0 {
		title, me = "Paced isolation", fmt.Sprintf("GET /api/users/me at %d/s", i.Rate)
	}
	s := fmt.Sprintf("\n**%s** (%s; a %d-connection sign-in flood): "+
		"me p50 %s → %s, p99 %s → %s; me throughput %.2f× idle; sign-ins %.1f/s = %.2f of the bcrypt limit (%.2f/s).",
		title, me, i.Flood, formatLatency(i.Idle.P50), formatLatency(i.During.P50),
		formatLatency(i.Idle.P99), formatLatency(i.During.P99), i.ThroughputRatio,
		i.SignIns.OKPerSec, i.SignInsOfLimit, i.SignInsPerSecLimit)
	if i.CPUKnown {
		s += fmt.Sprintf(" CPU during the flood: %s.", i.CPU.describe(cores))
	}
	return s + "\n"
}

// table renders rows as a Markdown table; cost is the bcrypt cost hash-bound rows ran at.
func table(rows []row, cost int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| scenario | load | requests | rps | p50 | p90 | p99 | errors | server CPU/req | of bcrypt limit (cost %d) |\n", cost)
	b.WriteString("|---|---|--:|--:|--:|--:|--:|---|--:|--:|\n")
	for _, r := range rows {
		cpu, limit := "—", "—"
		if r.CPUPerReq > 0 {
			cpu = formatLatency(r.CPUPerReq)
		}
		if r.HashBound {
			limit = fmt.Sprintf("%.2f (%.1f/s)", r.LimitFraction, r.OKPerSec)
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |\n",
			r.Scenario, r.Load, r.Requests, formatRate(r.RPS),
			formatLatency(r.P50), formatLatency(r.P90), formatLatency(r.P99),
			formatFailures(r.Failures), cpu, limit)
	}
	return b.String()
}

// formatFailures lists failures by status, the commonest first: "503×3 500×1", "—" for none.
func formatFailures(f map[int]int) string {
	codes := make([]int, 0, len(f))
	for c := range f {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b int) int {
		if f[a] != f[b] {
			return f[b] - f[a]
		}
		return a - b
	})
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		name := strconv.Itoa(c)
		if c == 0 {
			name = "err"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", name, f[c]))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " ")
}

// formatLatency prints d with three significant digits in µs, ms or s.
func formatLatency(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Millisecond:
		return sig3(float64(d)/float64(time.Microsecond)) + " µs"
	case d < time.Second:
		return sig3(float64(d)/float64(time.Millisecond)) + " ms"
	default:
		return sig3(d.Seconds()) + " s"
	}
}

// formatRate prints a per-second rate: whole numbers from 100 up, three significant digits below.
func formatRate(r float64) string {
	if r >= 100 {
		return strconv.FormatFloat(r, 'f', 0, 64)
	}
	return sig3(r)
}

func sig3(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// formatBytes prints n in MiB (GiB from 1 GiB up), "unknown" for 0.
func formatBytes(n int64) string {
	switch {
	case n <= 0:
		return "unknown"
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	default:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
