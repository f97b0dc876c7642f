// Package metrics is Gatehouse's Prometheus instrumentation. It owns a private registry (never
// the global default one, so no library can add series behind our back) and observes the rest
// of the server through small interfaces: the HTTP edge reports requests, the hashing queue,
// the rate limiter, the CAPTCHA and the mail relay report through interfaces they declare
// themselves, and the outbox and the database pool are read at scrape time. No domain package
// imports this one.
//
// Labels hold only values from fixed sets: a route's path pattern (never the raw URL, which
// carries ids), a method, a status code, a limit's or an outcome's name. Never a token, an
// email address or an id.
package metrics

import (
	"database/sql"
	"net/http"
	"net/http/pprof"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every metric of ours.
const Namespace = "gatehouse"

// LatencyBuckets are the request latency histogram's upper bounds in seconds: fine below a
// millisecond, where a cheap request like GET /api/users/me lives (~0.2 ms), and spread up to
// 10 s, where a sign-in waiting for a busy hasher ends up.
var LatencyBuckets = []float64{
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
}

// Options configures New. Every source is optional: a nil one exports its metrics as zero
// (or, for the collected ones, not at all until it is set).
type Options struct {
	// Version is exported as gatehouse_build_info's version label.
	Version string
	// Outbox is read for the outbox's depth at scrape time.
	Outbox OutboxSource
	// DB is read for the database pool's stats at scrape time.
	DB func() sql.DBStats
	// HashQueue is read for the hashing queue's depth and wait at scrape time.
	HashQueue HashQueue
}

// Metrics is the registry and the instruments the server reports through. Its methods are
// safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	inFlight  prometheus.Gauge

	rateLimit *prometheus.CounterVec
	captcha   *prometheus.CounterVec
	mail      *prometheus.CounterVec

	hashMu    sync.RWMutex
	hashQueue HashQueue
}

// New returns a registry holding every Gatehouse metric, the Go runtime's and the process's.
func New(o Options) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), hashQueue: o.HashQueue}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "http_requests_total",
		Help: "HTTP requests served, by route (the route table's path pattern), method and status code.",
	}, []string{"route", "method", "code"})
	m.durations = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "http_request_duration_seconds",
		Help:    "Time from routing a request to its handler's return, by route and method.",
		Buckets: LatencyBuckets,
	}, []string{"route", "method"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "http_requests_in_flight",
		Help: "Routed HTTP requests being served now.",
	})
	m.rateLimit = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "ratelimit_decisions_total",
		Help: "Rate-limit decisions, by limit name and decision (allowed or limited).",
	}, []string{"limit", "decision"})
	m.captcha = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "captcha_decisions_total",
		Help: "CAPTCHA decisions, by outcome.",
	}, []string{"outcome"})
	m.mail = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "mail_delivery_attempts_total",
		Help: "Mail delivery attempts by this instance's relay, by result (sent, failed: will retry, dead: given up).",
	}, []string{"result"})
	for _, r := range []string{MailSent, MailFailed, MailDead} {
		m.mail.WithLabelValues(r)
	}

	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "build_info",
		Help:        "Always 1; its labels name the running build.",
		ConstLabels: prometheus.Labels{"version": o.Version, "goversion": runtime.Version()},
	})
	build.Set(1)

	m.reg.MustRegister(
		m.requests, m.durations, m.inFlight, m.rateLimit, m.captcha, m.mail, build,
		newHashQueueCollector(m.currentHashQueue),
		newOutboxCollector(o.Outbox, 2*time.Second, 5*time.Second, time.Now),
		newDBCollector(o.DB),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Registry is the private registry, for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SetHashQueue sets the hashing queue read at scrape time; nil unsets it. Until it is set the
// queue's gauges read zero.
func (m *Metrics) SetHashQueue(q HashQueue) {
	m.hashMu.Lock()
	m.hashQueue = q
	m.hashMu.Unlock()
}

func (m *Metrics) currentHashQueue() HashQueue {
	m.hashMu.RLock()
	defer m.hashMu.RUnlock()
	return m.hashQueue
}

// HandlerOptions configures Handler.
type HandlerOptions struct {
	// PProf serves net/http/pprof under /debug/pprof/ besides /metrics. Profiles show the code
	// and can cost CPU for their duration (a CPU profile for 30 s by default): serve them only
	// where the metrics listener is private.
	PProf bool
}

// Handler serves /metrics from the private registry and, with o.PProf, net/http/pprof, on a
// mux of its own. Importing net/http/pprof also registers its handlers on
// http.DefaultServeMux, which is why no Gatehouse server ever serves that mux: the public
// listener has its own handler, and this one serves pprof only when asked. Everything else is
// 404.
func (m *Metrics) Handler(o HandlerOptions) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		// A collector's failure (the database not answering for the outbox's depth) drops
		// that metric from the scrape, not the whole scrape.
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	}))
	if o.PProf {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return mux
}
