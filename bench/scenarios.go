package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// benchDialect starts a fresh server on databaseURL, sets it up and runs every scenario
// against it. It fails only when the run could not happen; error statuses are results.
func benchDialect(ctx context.Context, o options, name, databaseURL, dir string, progress io.Writer) (dialectReport, error) {
	d := dialectReport{Name: name}
	fmt.Fprintf(progress, "%s: starting %s\n", name, o.bin)
	srv, err := startServer(ctx, o.bin, name, databaseURL, o.cost, dir)
	if err != nil {
		return d, err
	}
	defer srv.stop()
	d.StartToReady, d.IdleRSS = srv.StartToReady, srv.IdleRSS

	// Measured while the fresh server idles, so the limit is this machine's at this moment.
	fmt.Fprintf(progress, "%s: timing %d bcrypt hashes at cost %d\n", name, o.hashSamples, o.cost)
	if d.Limit, err = measureHashLimit(o.cost, runtime.NumCPU(), o.hashSamples); err != nil {
		return d, err
	}

	// Every one of these costs a hash at the server's cost, so setup keeps them few: sign-ins
	// reuse users, and a refresh chain is needed per refresh in flight, plus spares.
	users, chains, meTokens := max(2, o.conns/2), o.conns+4, max(o.meClients, 2)
	fmt.Fprintf(progress, "%s: registering %d users (and those holding the sessions), signing in %d sessions\n", name, users, chains+meTokens)
	began := time.Now()
	f, err := setupFixture(ctx, srv.URL, users, chains, meTokens, runtime.NumCPU())
	if err != nil {
		return d, fmt.Errorf("%s: setup: %w\n%s", name, err, srv.logTail())
	}
	d.Setup, d.SetupUsers, d.SetupSessions = time.Since(began), len(f.users)+len(f.holders), chains+meTokens

	r := &runner{ctx: ctx, o: o, srv: srv, f: f, limit: d.Limit, progress: progress, name: name}
	r.single("register", f.register, true)
	r.single("sign-in", f.signIn, true)
	r.single("refresh", f.refresh, false)
	r.single("me", f.me, false)
	r.mix()
	d.Isolation = append(d.Isolation, r.isolation(0))
	if r.o.meRate > 0 {
		d.Isolation = append(d.Isolation, r.isolation(r.o.meRate))
	}
	if err := ctx.Err(); err != nil {
		return d, err
	}
	d.Rows, d.Notes = r.rows, r.notes
	if n := f.lostChains.Load(); n > 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("%d refresh chains were lost to failed refreshes (of %d).", n, chains))
	}
	if n, first := srv.loggedErrors(); n > 0 {
		where := "-logs DIR keeps the logs"
		if o.logs != "" {
			where = "log: " + srv.logPath
		}
		d.Notes = append(d.Notes, fmt.Sprintf("The server logged %d errors (%s); the first: `%s`", n, where, first))
	}
	d.PeakRSS = srv.rss("VmHWM")
	return d, nil
}

// runner runs one dialect's scenarios and gathers their rows.
type runner struct {
	ctx      context.Context
	o        options
	srv      *server
	f        *fixture
	limit    hashLimit
	progress io.Writer
	name     string
	rows     []row
	notes    []string
}

// single runs a scenario of one kind of request: closed loop at -c connections, or -rate.
func (r *runner) single(scenario string, t vegeta.Targeter, hashBound bool) {
	a := r.attack(scenario, t, r.o.conns, r.o.rate, r.o.duration)
	load := loadOf(a)
	fmt.Fprintf(r.progress, "%s: %s, %s for %s\n", r.name, scenario, load, a.duration)
	cpu0 := r.srv.cpu()
	res := a.run(r.ctx)
	cpu := r.srv.cpu() - cpu0
	row := newRow(scenario, load, res.all(), res.from, res.to, hashBound, r.limit)
	if row.Requests > 0 {
		row.CPUPerReq = cpu / time.Duration(row.Requests)
	}
	r.rows = append(r.rows, row)
	r.note(scenario, res)
}

// mix runs the realistic mix as an open loop. Unless -mix-rate says otherwise, its rate makes
// hashing (sign-ins and registrations) run at half the bcrypt limit: a busy hour, not a flood.
func (r *runner) mix() {
	rate := r.o.mixRate
	if rate <= 0 {
		rate = max(1, int(math.Round(0.5*r.limit.PerSecond()/mixHashShare)))
	}
	a := r.attack("mix", r.f.mix, r.o.conns, rate, r.o.duration)
	load := loadOf(a)
	fmt.Fprintf(r.progress, "%s: mix, %s for %s\n", r.name, load, a.duration)
	cpu0 := r.srv.cpu()
	res := a.run(r.ctx)
	cpu := r.srv.cpu() - cpu0
	total := newRow("mix (me 70 %, refresh 25 %, sign-in 4 %, register 1 %)", load, res.all(), res.from, res.to, true, r.limit)
	// The mix's hash-bound share: sign-ins and registrations completed per second.
	hashing := append(append(sample{}, res.samples[kindSignIn]...), res.samples[kindRegister]...)
	total.OKPerSec = newRow("", "", hashing, res.from, res.to, true, r.limit).OKPerSec
	total.LimitFraction = r.limit.Fraction(total.OKPerSec)
	if total.Requests > 0 {
		total.CPUPerReq = cpu / time.Duration(total.Requests)
	}
	r.rows = append(r.rows, total)
	for _, m := range mixShares {
		hashBound := m.kind == kindSignIn || m.kind == kindRegister
		r.rows = append(r.rows, newRow("· mix: "+m.kind, "", res.samples[m.kind], res.from, res.to, hashBound, r.limit))
	}
	r.note("mix", res)
}

// isolation measures GET /api/users/me idle, then again while a -flood-connection sign-in
// flood keeps every hashing slot busy: from -me-clients closed-loop clients when meRate is 0
// (as fast as they go: me's priority over hashing, whatever it costs the sign-ins), else at
// meRate requests a second (a realistic load beside the flood, whose sign-ins then show how
// much of the bcrypt limit hashing keeps). The flood starts first and runs past the window,
// so the window sees a full queue throughout; its sign-ins are counted over the same window,
// and so is where the machine's CPU went.
func (r *runner) isolation(meRate int) isolation {
	iso := isolation{Flood: r.o.flood, Clients: r.o.meClients, Rate: meRate}
	prefix := "isolation"
	if meRate > 0 {
		prefix = "paced isolation"
	}
	idleAtk := r.attack("me idle", r.f.me, r.o.meClients, meRate, r.o.duration)
	fmt.Fprintf(r.progress, "%s: %s, me idle, %s for %s\n", r.name, prefix, loadOf(idleAtk), idleAtk.duration)
	cpu0 := r.srv.cpu()
	idleRes := idleAtk.run(r.ctx)
	cpu := r.srv.cpu() - cpu0
	iso.Idle = newRow(prefix+": me, idle", loadOf(idleAtk), idleRes.samples[kindMe], idleRes.from, idleRes.to, false, r.limit)
	if iso.Idle.Requests > 0 {
		iso.Idle.CPUPerReq = cpu / time.Duration(iso.Idle.Requests)
	}
	r.note(prefix+": me, idle", idleRes)

	lead := r.o.floodLead
	flood := r.attack("flood", r.f.signIn, r.o.flood, 0, lead+r.o.duration+time.Minute)
	fmt.Fprintf(r.progress, "%s: %s, me during a %s sign-in flood for %s\n", r.name, prefix, loadOf(flood), r.o.duration)
	stopFlood, waitFlood := flood.start(r.ctx)
	select {
	case <-time.After(lead):
	case <-r.ctx.Done():
	}
	duringAtk := r.attack("me during flood", r.f.me, r.o.meClients, meRate, r.o.duration)
	before := r.cpuSnapshot()
	duringRes := duringAtk.run(r.ctx)
	iso.CPU, iso.CPUKnown = r.cpuSnapshot().splitSince(before)
	stopFlood()
	floodRes := waitFlood()

	iso.During = newRow(prefix+": me, during flood", loadOf(duringAtk), duringRes.samples[kindMe], duringRes.from, duringRes.to, false, r.limit)
	// The flood's row covers the sign-ins answered while me was being measured.
	from, to := duringRes.from, duringRes.to
	iso.SignIns = newRow(prefix+": sign-in flood", loadOf(flood), floodRes.samples[kindSignIn].within(from, to), from, to, true, r.limit)
	if iso.Idle.RPS > 0 {
		iso.ThroughputRatio = iso.During.RPS / iso.Idle.RPS
	}
	iso.SignInsOfLimit = iso.SignIns.LimitFraction
	iso.SignInsPerSecLimit = r.limit.PerSecond()
	r.rows = append(r.rows, iso.Idle, iso.During, iso.SignIns)
	r.note(prefix+": me, during flood", duringRes)
	r.note(prefix+": sign-in flood", floodRes)
	return iso
}

func (r *runner) attack(name string, t vegeta.Targeter, workers, rate int, d time.Duration) attack {
	return attack{name: name, targeter: t, workers: workers, rate: rate, duration: d,
		max: int64(r.o.maxRequests), timeout: r.o.timeout, settle: r.f.settle}
}

// note records why an attack stopped early and what errors came without a response.
func (r *runner) note(scenario string, res attackResult) {
	if res.stopped != "" {
		r.notes = append(r.notes, fmt.Sprintf("%s stopped early: %s", scenario, res.stopped))
	}
	if errs := res.all().transportErrors(); len(errs) > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%s: requests without a response: %q", scenario, errs))
	}
}

func loadOf(a attack) string {
	if a.rate > 0 {
		return fmt.Sprintf("%d/s", a.rate)
	}
	return fmt.Sprintf("%d conns", a.workers)
}
