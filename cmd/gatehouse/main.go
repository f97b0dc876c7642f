// Command gatehouse serves Gatehouse: the registration and sign-in API and its web app, from
// one binary. main only wires; run is what tests call.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/metrics"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/web"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module's.
var version = ""

// command is one subcommand: a line for "gatehouse --help", a paragraph for its own -h, the
// settings it reads, and what it does. Adding a subcommand is one entry in commands.
type command struct {
	name    string
	summary string
	doc     string
	// scope is the settings it reads (and offers as flags); commands with a scope open and
	// migrate the database before run. 0: no settings, no database.
	scope config.Scope
	run   func(ctx context.Context, e *env) error
	// flags, when set, defines the command's own flags on fs, and returns what run reads
	// them from (as env.opts).
	flags func(fs *flag.FlagSet) any
	// target names the one argument the command takes before its flags ("" for none), as
	// "gatehouse users show EMAIL|ID" takes it.
	target string
}

// env is what a command runs with.
type env struct {
	cfg    config.Config
	log    *slog.Logger
	stdout io.Writer
	stdin  io.Reader
	// opts is what the command's own flags parsed into; target its argument.
	opts   any
	target string
	// store is open, migrated and sealed, with secrets; both nil for commands without a scope.
	store   *store.Store
	secrets *secret.Keyring
}

// commands lists every subcommand in the order "gatehouse --help" shows them; the first is
// the default.
var commands = []command{
	{
		name:    "serve",
		summary: "migrate the database, then serve the API and the web app (the default)",
		doc: "Apply pending migrations and seal plaintext secrets, then serve the API and the web app until\n" +
			"SIGTERM or Ctrl-C, when it lets requests in flight finish (20 s at most) and stops its\n" +
			"background jobs.",
		scope: config.ScopeServe, run: serve,
	},
	{
		name:    "migrate",
		summary: "apply database migrations, seal plaintext secrets, and exit",
		doc: "Apply the database migrations that have not run yet, seal any secret still stored in\n" +
			"plaintext, and exit. Safe while other instances serve, and when several start at once.",
		scope: config.ScopeDatabase, run: func(ctx context.Context, e *env) error {
			e.log.Info("migrations applied", "dialect", e.store.Dialect())
			return nil
		},
	},
	{
		name:    "rotate-key",
		summary: "make a new access-token signing key; the old one verifies until its tokens expire",
		doc: "Make a new access-token signing key. It is published in the JWKS at once and signs once\n" +
			"cached key sets have it; the old key verifies until every token it signed has expired.\n" +
			"Pass the -access-token-ttl the servers use.",
		scope: config.ScopeSigningKeys, run: rotateKey,
	},
	{
		name:    "rotate-secret",
		summary: "reseal every stored secret under GATEHOUSE_SECRET_KEY, so previous keys can go",
		doc: "Reseal every secret stored in the database (signing-key seeds, queued mail, the CAPTCHA key) under the current\n" +
			"GATEHOUSE_SECRET_KEY, opening them with it or with GATEHOUSE_SECRET_KEY_PREVIOUS.\n" +
			"To rotate: give every instance the new key as GATEHOUSE_SECRET_KEY and the old one as\n" +
			"GATEHOUSE_SECRET_KEY_PREVIOUS and restart them; run rotate-secret; then remove\n" +
			"GATEHOUSE_SECRET_KEY_PREVIOUS and restart again.",
		scope: config.ScopeDatabase, run: rotateSecret,
	},
	importCommand,
	usersList, usersShow, usersCreate, usersSetPassword, usersVerifyEmail, usersRevokeSessions, usersDelete,
	{
		name: "openapi", summary: "print the OpenAPI 3.1 document",
		doc: "Print the OpenAPI 3.1 document of the API, as /openapi.json serves it.",
		run: func(ctx context.Context, e *env) error {
			_, err := e.stdout.Write(append(httpapi.Spec(buildVersion()), '\n'))
			return err
		},
	},
	{
		name: "version", summary: "print the version",
		doc: "Print the version of this binary.",
		run: func(ctx context.Context, e *env) error {
			_, err := fmt.Fprintln(e.stdout, "gatehouse", buildVersion())
			return err
		},
	},
	{
		name: "help", summary: `print this list, or "help COMMAND" a command's help`,
		doc: "Print the list of commands, or with a command's name that command's help.",
		run: nil, // run answers help itself: it needs the table, which needs help
	},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runIO(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
		os.Exit(exitCode(err))
	}
}

// run carries out one command. It returns when the command is done or, for serve, when ctx
// ends and in-flight requests and background jobs have finished.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	return runIO(ctx, args, getenv, os.Stdin, stdout)
}

// runIO is run reading the terminal's input (a password, a confirmation) from stdin.
func runIO(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	name, rest := commands[0].name, args[1:]
	if len(rest) > 0 {
		switch {
		case isHelpFlag(rest[0]):
			return writeUsage(stdout)
		case rest[0] != "" && rest[0][0] != '-':
			name, rest = rest[0], rest[1:]
		}
	}
	if name == "help" {
		if len(rest) == 0 {
			return writeUsage(stdout)
		}
		name, rest = rest[0], []string{"-h"}
		if isHelpFlag(name) {
			name = "help"
		}
	}
	name, rest = subcommand(name, rest)
	cmd, ok := find(name)
	if !ok {
		return usageError(fmt.Errorf("unknown command %q\n\n%s", name, usage()))
	}

	e := &env{stdout: stdout, stdin: stdin}
	if cmd.target != "" && !(len(rest) > 0 && isHelpFlag(rest[0])) {
		if len(rest) == 0 || rest[0] == "" || rest[0][0] == '-' {
			return usageError(fmt.Errorf("usage: gatehouse %s %s [flags]", cmd.name, cmd.target))
		}
		e.target, rest = rest[0], rest[1:]
	}
	fs := flag.NewFlagSet("gatehouse "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { writeCommandHelp(stdout, cmd, fs) }
	if cmd.flags != nil {
		e.opts = cmd.flags(fs)
	}
	var err error
	if cmd.scope == 0 {
		err = fs.Parse(rest)
		if err == nil && fs.NArg() > 0 {
			err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
		}
	} else {
		e.cfg, err = config.Parse(getenv, fs, rest, cmd.scope)
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil // the command's help was printed
	}
	if err != nil {
		return usageError(fmt.Errorf("configuration: %w", err))
	}
	if cmd.scope == 0 {
		return cmd.run(ctx, e)
	}
	e.log = newLogger(e.cfg, stdout)
	st, secrets, err := openStore(ctx, e.cfg, e.log)
	if err != nil {
		return err
	}
	defer st.Close()
	e.store, e.secrets = st, secrets
	return cmd.run(ctx, e)
}

// serve runs the server and its background jobs until ctx ends.
func serve(ctx context.Context, e *env) error {
	cfg, st, log := e.cfg, e.store, e.log
	keys, err := token.NewKeyring(ctx, st, cfg.AccessTokenTTL, time.Now)
	if err != nil {
		return err
	}
	hasher, err := password.NewBcrypt(cfg.BcryptCost)
	if err != nil {
		return err
	}
	workers := cmp.Or(cfg.HashWorkers, runtime.GOMAXPROCS(0))
	// Headroom for Go's scheduler: a running hash holds a P, so without Ps beyond the hashing
	// workers a request would wait for Go's preemption, however low the kernel ranks the
	// hashing threads (internal/hashpool). GOMAXPROCS, set or not, stays what requests get.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + workers))
	depth := cfg.HashQueueDepth
	if depth == 0 {
		depth = -1 // none may wait
	}
	// The registry exists whether or not it is served: recording costs a few atomic adds, and
	// one code path is one to test.
	mx := metrics.New(metrics.Options{Version: buildVersion(), Outbox: st, DB: st.DBStats})
	lim, err := newLimiter(cfg, log)
	if err != nil {
		return err
	}
	defer lim.close()
	// The device-token key is derived from GATEHOUSE_SECRET_KEY, so every instance sharing
	// it accepts the others' tokens and none is stored.
	grd := guard.New(guard.Options{
		Limiter: lim, Limits: guardLimits(cfg.Rates), Key: e.secrets.Derive("gatehouse device tokens v1"), Logger: log,
		Decisions: mx,
	})
	renderer, err := mail.NewRenderer(cfg.SiteName, cfg.PublicURL)
	if err != nil {
		return err
	}
	sender, devBox, err := mailSender(cfg, log)
	if err != nil {
		return err
	}
	policy, err := passwordPolicy(cfg.Password, log)
	if err != nil {
		return err
	}
	svc, err := auth.NewService(auth.Options{
		PasswordPolicy: policy,
		Store:          st, Hasher: hasher, Logger: log,
		Tokens:     token.NewIssuer(keys, cfg.Issuer, cfg.Audience, cfg.AccessTokenTTL),
		RefreshTTL: cfg.RefreshTokenTTL, ReuseGrace: cfg.RefreshReuseGrace,
		MaxConcurrentHashes: workers, HashQueueDepth: depth, HashWait: cfg.HashQueueWait,
		HashNormalPriority: cfg.HashPriority == "normal",
		Guard:              grd, MaxSessionsPerUser: cfg.MaxSessionsPerUser,
		Email: auth.EmailOptions{
			Mail: renderer, VerifyTTL: cfg.VerifyEmailTTL, ResetTTL: cfg.PasswordResetTTL,
			ChangeTTL: cfg.EmailChangeTTL, RequireVerified: cfg.RequireVerifiedEmail,
			Notices: cfg.SecurityNotices, PrivateRegistration: cfg.RegistrationPrivate,
			// The mail limits count on the shared limiter, so they hold across instances.
			Limiter: lim,
		},
	})
	if err != nil {
		return err
	}
	gate, closeCaptcha, err := newCaptcha(ctx, cfg, st, grd, mx, log)
	if err != nil {
		return err
	}
	defer closeCaptcha()
	mx.SetHashQueue(metrics.HashQueueFunc(func() metrics.HashQueueStats {
		h := svc.HashStats()
		return metrics.HashQueueStats{
			Depth: h.Queued, Capacity: h.QueueDepth, Busy: h.Running, Hashers: h.Workers,
			Waits: h.Completed, WaitTime: h.Waited, Rejected: h.Refused, Abandoned: h.Abandoned, HashCPU: h.WorkCPU,
		}
	}))
	handler := httpapi.NewServer(svc, keys, httpapi.Options{
		Captcha: gate,
		Logger:  log, TrustedProxies: cfg.TrustedProxies, SecureCookies: cfg.SecureCookies,
		RefreshTTL: cfg.RefreshTokenTTL, AllowedOrigins: cfg.AllowedOrigins, HSTSMaxAge: cfg.HSTSMaxAge,
		Mailboxes: mailbox.NewService(mailbox.Options{Store: st}),
		Web:       web.Dist(), AppRoutes: web.Routes(), Version: buildVersion(),
		Limiter: lim, Limits: routeLimits(cfg.Rates), DeviceTTL: guard.DefaultDeviceTTL,
		Requests: mx, Decisions: mx,
		DevMailbox: devBox,
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	// The server's background work: adding a job is one line.
	bg := &jobs{log: log}
	bg.add("signing keys", token.ReloadInterval, func(ctx context.Context) error {
		return keys.Refresh(ctx, cfg.SigningKeyRotation)
	})
	bg.add("delete expired sessions", time.Hour, func(ctx context.Context) error {
		n, err := svc.DeleteExpiredSessions(ctx)
		if n > 0 {
			log.Info("expired sessions deleted", "count", n)
		}
		return err
	})
	// Signed-out requests for a mail (reset, verification) are looked up and queued here, off
	// the request path, so that their answer takes as long whatever the address.
	bg.add("mail requests", time.Second, svc.RunMailRequests)
	// Mail queued by any instance goes out through whichever relay claims it first. Without a
	// sender the relay does not run: mail waits in the outbox, and its depth is logged.
	relay := mail.NewRelay(mail.RelayOptions{Store: st, Sender: sender, Logger: log, Observer: mx})
	if sender != nil {
		bg.add("mail relay", mail.RelayInterval, relay.Run)
	}
	bg.add("mail outbox report", mail.ReportInterval, relay.ReportBacklog)
	bg.add("delete old mail", time.Hour, func(ctx context.Context) error {
		n, err := st.DeleteMailBefore(ctx, time.Now().Add(-mail.Retention))
		if n > 0 {
			log.Info("old mail deleted from the outbox", "count", n)
		}
		return err
	})
	bg.add("delete used captchas", time.Hour, func(ctx context.Context) error {
		_, err := st.DeleteExpiredCaptchas(ctx, time.Now())
		return err
	})
	bg.add("sweep rate limits", sweepInterval, lim.sweep)
	jobsCtx, stopJobs := context.WithCancel(ctx)
	waitJobs := bg.start(jobsCtx)
	// However serve ends, the jobs stop and serve returns only once they have.
	defer waitJobs()
	defer stopJobs()

	msrv, err := startMetrics(cfg, mx, log)
	if err != nil {
		ln.Close()
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "url", "http://"+ln.Addr().String(), "dialect", st.Dialect(), "version", buildVersion(),
		"rate_limit", lim.Backend())
	if msrv != nil {
		log.Info("metrics listening", "url", msrv.url, "pprof", cfg.PProf)
	}

	select {
	case err := <-errc:
		_ = msrv.shutdown(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests and background jobs")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Metrics stay scrapable while requests drain; they stop last.
	defer func() {
		if err := msrv.shutdown(shutdownCtx); err != nil {
			log.Warn("metrics listener did not stop cleanly", "error", err)
		}
	}()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(httpapi.LogHandler(h))
}

func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
