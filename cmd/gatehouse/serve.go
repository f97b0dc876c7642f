package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/web"
)

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
		RefreshTTL: cfg.RefreshTokenTTL, AllowedOrigins: cfg.AllowedOrigins,
		Web: web.Dist(), Version: buildVersion(),
	})

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

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on GATEHOUSE_ADDR %s: %w", cfg.Addr, err)
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

	jobsCtx, stopJobs := context.WithCancel(ctx)
	waitJobs := bg.start(jobsCtx)
	// However serve ends, the jobs stop and serve returns only once they have.
	defer waitJobs()
	defer stopJobs()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "url", "http://"+ln.Addr().String(), "dialect", st.Dialect(), "version", buildVersion())

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests and background jobs")
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

// rotateKey makes a new signing key.
func rotateKey(ctx context.Context, e *env) error {
	keys, err := token.NewKeyring(ctx, e.store, e.cfg.AccessTokenTTL, time.Now)
	if err != nil {
		return err
	}
	key, err := keys.Rotate(ctx)
	if err != nil {
		return err
	}
	e.log.Info("signing key rotated: published now, signing once cached key sets have it", "kid", key.ID)
	return nil
}

// rotateSecret reseals every stored secret under the current secret key.
func rotateSecret(ctx context.Context, e *env) error {
	n, err := e.store.ResealSecrets(ctx)
	if err != nil {
		return err
	}
	e.log.Info("secrets resealed under GATEHOUSE_SECRET_KEY: GATEHOUSE_SECRET_KEY_PREVIOUS can now be removed",
		"resealed", n, "secret_key_id", e.secrets.KeyID())
	return nil
}
