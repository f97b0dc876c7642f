package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/metrics"
)

// metricsServer is the private listener serving /metrics (and pprof when asked), apart from
// the public one so that a firewall or a loopback address keeps it from the internet.
type metricsServer struct {
	srv  *http.Server
	errc chan error
	// url is the listener's /metrics URL; with port 0 the port is the one picked.
	url string
}

// startMetrics listens on cfg.MetricsAddr and serves m there. serve logs its url
// ("metrics listening") after the main "listening" line, which stays the first. Without
// MetricsAddr it serves nothing and returns nil.
func startMetrics(cfg config.Config, m *metrics.Metrics, log *slog.Logger) (*metricsServer, error) {
	if cfg.MetricsAddr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen: %w", err)
	}
	ms := &metricsServer{errc: make(chan error, 1), srv: &http.Server{
		Handler:           m.Handler(metrics.HandlerOptions{PProf: cfg.PProf}),
		ReadHeaderTimeout: 5 * time.Second,
		// No WriteTimeout: a CPU profile or trace streams for its ?seconds= (30 s by default).
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 8 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}}
	ms.url = "http://" + ln.Addr().String() + "/metrics"
	go func() { ms.errc <- ms.srv.Serve(ln) }()
	return ms, nil
}

// shutdown stops the listener, letting scrapes in flight finish until ctx ends.
func (ms *metricsServer) shutdown(ctx context.Context) error {
	if ms == nil {
		return nil
	}
	if err := ms.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("metrics shutdown: %w", err)
	}
	if err := <-ms.errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics serve: %w", err)
	}
	return nil
}
