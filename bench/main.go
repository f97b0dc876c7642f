// Command bench measures a Gatehouse binary: it starts a fresh server per dialect (SQLite in a
// temporary directory always, PostgreSQL in a new schema when a URL is given), runs the
// standard scenarios against it with vegeta, prints one table per dialect and writes the same
// to docs/benchmarks.md. It lives in its own module so that vegeta's dependencies stay out of
// the server's go.mod. It asserts nothing about speed: it measures, and fails only when it
// could not run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the bench's settings, from its flags.
type options struct {
	bin         string
	out         string
	sqlite      bool
	postgresURL string
	cost        int
	duration    time.Duration
	conns       int
	rate        int
	mixRate     int
	flood       int
	floodLead   time.Duration // how long the flood runs before me is measured
	meClients   int
	meRate      int
	maxRequests int
	hashSamples int
	timeout     time.Duration
	quick       bool
	note        string
	logs        string
}

// parseOptions reads the flags; -quick shortens whatever was not set explicitly.
func parseOptions(args []string, getenv func(string) string, usage io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&o.bin, "bin", "../bin/gatehouse", "the gatehouse binary to measure (make build makes it)")
	fs.StringVar(&o.out, "out", "../docs/benchmarks.md", "the Markdown file to (over)write with the tables; empty: print only")
	fs.BoolVar(&o.sqlite, "sqlite", true, "measure on SQLite (a fresh file in a temporary directory)")
	fs.StringVar(&o.postgresURL, "postgres", getenv("TEST_DATABASE_URL"), "measure on this PostgreSQL database too, in a fresh schema dropped afterwards; empty: skip (default $TEST_DATABASE_URL)")
	fs.IntVar(&o.cost, "cost", 12, "bcrypt cost the server hashes at (its default is 12; 10–16)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long each scenario runs (-quick: 1s)")
	fs.IntVar(&o.conns, "c", 16, "connections of the closed-loop scenarios (-quick: 4)")
	fs.IntVar(&o.rate, "rate", 0, "requests per second of register, sign-in, refresh and me; 0: a closed loop of -c connections")
	fs.IntVar(&o.mixRate, "mix-rate", 0, "requests per second of the mix; 0: the rate that keeps its hashing at half the bcrypt limit")
	fs.IntVar(&o.flood, "flood", 32, "concurrent sign-ins of the isolation scenario's flood (-quick: 4 per core)")
	fs.IntVar(&o.meClients, "me-clients", 2, "clients calling GET /api/users/me in the isolation scenario")
	fs.IntVar(&o.meRate, "me-rate", 200, "requests per second of GET /api/users/me in the paced isolation scenario; 0: skip it")
	fs.IntVar(&o.maxRequests, "max", 200000, "requests per scenario at most, whatever the duration")
	fs.IntVar(&o.hashSamples, "hash-samples", 7, "bcrypt hashes timed to find the bcrypt limit (-quick: 3)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "per-request timeout")
	fs.BoolVar(&o.quick, "quick", false, "a CI-sized run: short scenarios, few connections")
	fs.StringVar(&o.logs, "logs", "", "keep the servers' logs in this directory; empty: a temporary one, removed afterwards")
	fs.StringVar(&o.note, "note", "", "a note to print above the tables (e.g. that the machine was busy)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.quick {
		quickDefault(set, "duration", &o.duration, time.Second)
		quickDefault(set, "c", &o.conns, 4)
		quickDefault(set, "flood", &o.flood, 4*runtime.NumCPU())
		quickDefault(set, "hash-samples", &o.hashSamples, 3)
	}
	o.floodLead = time.Second
	var errs []string
	if o.cost < 4 || o.cost > 31 {
		errs = append(errs, "-cost must be a bcrypt cost (4–31; the server takes 10–16)")
	}
	if o.duration <= 0 || o.conns < 1 || o.flood < 1 || o.meClients < 1 || o.hashSamples < 1 || o.maxRequests < 1 {
		errs = append(errs, "-duration, -c, -flood, -me-clients, -hash-samples and -max must be positive")
	}
	if o.rate < 0 || o.mixRate < 0 || o.meRate < 0 {
		errs = append(errs, "-rate, -mix-rate and -me-rate must not be negative")
	}
	if !o.sqlite && o.postgresURL == "" {
		errs = append(errs, "nothing to measure: -sqlite=false and no -postgres URL")
	}
	if len(errs) > 0 {
		return o, errors.New(strings.Join(errs, "; "))
	}
	return o, nil
}

func quickDefault[T any](set map[string]bool, name string, v *T, quick T) {
	if !set[name] {
		*v = quick
	}
}

// settings describes the options in the report.
func (o options) settings() string {
	load := fmt.Sprintf("closed loop of %d connections", o.conns)
	if o.rate > 0 {
		load = fmt.Sprintf("%d requests/s", o.rate)
	}
	paced := ""
	if o.meRate > 0 {
		paced = fmt.Sprintf(" (paced: me at %d/s)", o.meRate)
	}
	s := fmt.Sprintf("%s per scenario (at most %d requests), %s; isolation: %d clients on me%s, a %d-connection sign-in flood; bcrypt cost %d",
		o.duration, o.maxRequests, load, o.meClients, paced, o.flood, o.cost)
	if o.quick {
		s += "; -quick"
	}
	return s
}

// run carries out one benchmark run: it writes the report to stdout (and o.out) and
// progress to progress. It returns an error only when the run could not be made.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, progress io.Writer) error {
	_, err := runReport(ctx, args, getenv, stdout, progress)
	return err
}

// runReport is run, returning the report it wrote (the zero report after -h).
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, progress io.Writer) (report, error) {
	o, err := parseOptions(args, getenv, progress)
	if errors.Is(err, flag.ErrHelp) {
		return report{}, nil
	}
	if err != nil {
		return report{}, err
	}
	rep, err := measure(ctx, o, progress)
	if err != nil {
		return rep, err
	}
	md := rep.Markdown()
	if _, err := io.WriteString(stdout, md); err != nil {
		return rep, err
	}
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(md), 0o644); err != nil {
			return rep, fmt.Errorf("write the report: %w", err)
		}
		fmt.Fprintf(progress, "wrote %s\n", o.out)
	}
	return rep, nil
}

// measure runs every dialect o asks for, one fresh server after the other.
func measure(ctx context.Context, o options, progress io.Writer) (report, error) {
	rep := report{Settings: o.settings(), Note: o.note}
	if _, err := os.Stat(o.bin); err != nil {
		return rep, fmt.Errorf("no server binary (make build makes one): %w", err)
	}
	dir, err := os.MkdirTemp("", "gatehouse-bench-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(dir)
	logs := dir
	if o.logs != "" {
		if logs, err = filepath.Abs(o.logs); err != nil {
			return rep, err
		}
		if err := os.MkdirAll(logs, 0o755); err != nil {
			return rep, err
		}
	}

	rep.Machine = describeMachine(o.bin)
	if o.sqlite {
		d, err := benchDialect(ctx, o, "SQLite", filepath.Join(dir, "gatehouse.db"), logs, progress)
		if err != nil {
			return rep, err
		}
		rep.Dialects = append(rep.Dialects, d)
	}
	if o.postgresURL != "" {
		d, err := benchPostgres(ctx, o, logs, progress)
		if err != nil {
			return rep, err
		}
		rep.Dialects = append(rep.Dialects, d)
	}
	rep.Machine.LoadAfter = loadAverage()
	return rep, nil
}

// benchPostgres runs the PostgreSQL dialect in a schema of its own and drops it afterwards,
// whatever happened.
func benchPostgres(ctx context.Context, o options, logs string, progress io.Writer) (d dialectReport, err error) {
	databaseURL, drop, err := postgresSchema(ctx, o.postgresURL)
	if err != nil {
		return d, fmt.Errorf("PostgreSQL: %w", err)
	}
	defer func() {
		if dropErr := drop(); dropErr != nil && err == nil {
			err = dropErr
		}
	}()
	return benchDialect(ctx, o, "PostgreSQL", databaseURL, logs, progress)
}
