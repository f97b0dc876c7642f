// Command gatehouse serves Gatehouse: the registration and sign-in API and its web app, from
// one binary. main only wires; run is what tests call.
package main

import (
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
	"runtime/debug"
	"syscall"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/web"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module's.
var version = ""

const usage = `usage: gatehouse [command] [flags]

commands:
  serve       migrate the database and serve the API and web app (default)
  migrate     apply database migrations and exit
  rotate-key  make a new access-token signing key; the old one verifies until its tokens expire
  openapi     print the OpenAPI 3.1 document
  version     print the version

Every flag has a GATEHOUSE_* environment variable; "gatehouse serve -h" lists them.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
		os.Exit(1)
	}
}

// run carries out one command. It returns when the command is done or, for serve, when ctx
// ends and in-flight requests have finished.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cmd, rest := "serve", args[1:]
	if len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "version":
		_, err := fmt.Fprintln(stdout, "gatehouse", buildVersion())
		return err
	case "openapi":
		_, err := stdout.Write(append(httpapi.Spec(buildVersion()), '\n'))
		return err
	case "help":
		_, err := io.WriteString(stdout, usage)
		return err
	case "serve", "migrate", "rotate-key":
	default:
		return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
	}

	cfg, err := config.Load(getenv, rest, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flags' usage was printed
	}
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := newLogger(cfg, stdout)
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	switch cmd {
	case "migrate":
		log.Info("migrations applied", "dialect", st.Dialect())
		return nil
	case "rotate-key":
		keys, err := token.NewKeyring(ctx, st, cfg.AccessTokenTTL, time.Now)
		if err != nil {
			return err
		}
		key, err := keys.Rotate(ctx)
		if err != nil {
			return err
		}
		log.Info("signing key rotated: published now, signing once cached key sets have it", "kid", key.ID)
		return nil
	}
	return serve(ctx, cfg, st, log, stdout)
}

func serve(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger, stdout io.Writer) error {
	keys, err := token.NewKeyring(ctx, st, cfg.AccessTokenTTL, time.Now)
	if err != nil {
		return err
	}
	hasher, err := password.NewBcrypt(cfg.BcryptCost)
	if err != nil {
		return err
	}
	svc, err := auth.NewService(auth.Options{
		Store: st, Hasher: hasher, Logger: log,
		Tokens:     token.NewIssuer(keys, cfg.Issuer, cfg.Audience, cfg.AccessTokenTTL),
		RefreshTTL: cfg.RefreshTokenTTL, ReuseGrace: cfg.RefreshReuseGrace,
	})
	if err != nil {
		return err
	}
	handler := httpapi.NewServer(svc, keys, httpapi.Options{
		Logger: log, TrustedProxies: cfg.TrustedProxies, SecureCookies: cfg.SecureCookies,
		RefreshTTL: cfg.RefreshTokenTTL, AllowedOrigins: cfg.AllowedOrigins, HSTSMaxAge: cfg.HSTSMaxAge,
		Web: web.Dist(), AppRoutes: web.Routes(), Version: buildVersion(),
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

	bg, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	go keys.Run(bg, token.ReloadInterval, cfg.SigningKeyRotation, func(err error) { log.Warn("signing keys", "error", err) })
	go sweep(bg, svc, log)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "url", "http://"+ln.Addr().String(), "dialect", st.Dialect(), "version", buildVersion())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sweep deletes expired sessions hourly, so the tables hold only what can still be used.
func sweep(ctx context.Context, svc *auth.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := svc.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("delete expired sessions", "error", err)
		} else if n > 0 {
			log.Info("expired sessions deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
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
