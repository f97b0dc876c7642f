package metrics

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/prometheus/client_golang/prometheus"
)

// HashQueueStats is a snapshot of the password-hashing queue.
type HashQueueStats struct {
	// Depth is how many hash requests wait for a hasher now; Capacity is the queue's bound.
	Depth, Capacity int
	// Busy is how many hashers are hashing now; Hashers is how many there are.
	Busy, Hashers int
	// Waits counts the requests that have left the queue for a hasher since start, and
	// WaitTime is the total time they waited: rate(wait)/rate(waits) is the mean wait.
	Waits    uint64
	WaitTime time.Duration
	// Rejected counts the requests turned away (503) because the queue was full or their wait
	// would pass the maximum; Abandoned those whose client left while they waited.
	Rejected, Abandoned uint64
	// HashCPU is the CPU time the hashers have used (0 where it cannot be measured).
	HashCPU time.Duration
}

// HashQueue is the hashing queue as metrics read it, at each scrape. Stats must be cheap
// (a few atomic loads) and safe for concurrent use. The queue lives in a domain package,
// which never imports this one, so cmd adapts its own stats type with HashQueueFunc.
type HashQueue interface {
	Stats() HashQueueStats
}

// HashQueueFunc adapts a function to HashQueue.
type HashQueueFunc func() HashQueueStats

// Stats calls f.
func (f HashQueueFunc) Stats() HashQueueStats { return f() }

// OutboxSource is the mail outbox as metrics read it; *store.Store implements it.
type OutboxSource interface {
	MailStats(ctx context.Context) (mail.Stats, error)
}

var (
	hashDepthDesc    = desc("hash_queue_depth", "Password hash requests waiting for a hasher.")
	hashCapDesc      = desc("hash_queue_capacity", "The hashing queue's bound.")
	hashBusyDesc     = desc("hash_queue_busy_hashers", "Hashers hashing now.")
	hashHashersDesc  = desc("hash_queue_hashers", "Hashers (goroutines running bcrypt).")
	hashWaitsDesc    = desc("hash_queue_waits_total", "Hash requests that left the queue for a hasher.")
	hashWaitDesc     = desc("hash_queue_wait_seconds_total", "Total time hash requests waited in the queue.")
	hashRejectDesc   = desc("hash_queue_rejected_total", "Hash requests refused with 503 because the queue was full or the wait too long.")
	hashAbandonDesc  = desc("hash_queue_abandoned_total", "Hash requests whose client left while they waited.")
	hashCPUDesc      = desc("hash_cpu_seconds_total", "CPU time the hashers have used (their threads' own clocks): its rate against the cores is the share of the machine hashing got.")
	outboxDesc       = desc("mail_outbox_messages", "Mails in the outbox by state (pending, sending, dead; sent ones are kept 30 days).", "state")
	outboxOldestDesc = desc("mail_outbox_oldest_pending_age_seconds", "Age of the oldest mail not yet sent; 0 when none waits.")
	dbOpenDesc       = desc("db_open_connections", "Open database connections, in use or idle.")
	dbInUseDesc      = desc("db_in_use_connections", "Database connections in use.")
	dbIdleDesc       = desc("db_idle_connections", "Idle database connections.")
	dbMaxOpenDesc    = desc("db_max_open_connections", "The pool's bound on open connections.")
	dbWaitCountDesc  = desc("db_wait_count_total", "Times a query waited for a free connection.")
	dbWaitDesc       = desc("db_wait_duration_seconds_total", "Total time queries waited for a free connection.")
	dbClosedDesc     = desc("db_closed_connections_total", "Connections the pool closed, by reason (max_idle, max_idle_time, max_lifetime): steady churn means the pool is too small to keep its connections.", "reason")
)

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(Namespace, "", name), help, labels, nil)
}

// hashQueueCollector reads the hashing queue at scrape time; without one it reports zeros.
type hashQueueCollector struct{ source func() HashQueue }

func newHashQueueCollector(source func() HashQueue) prometheus.Collector {
	return hashQueueCollector{source}
}

func (c hashQueueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{hashDepthDesc, hashCapDesc, hashBusyDesc, hashHashersDesc, hashWaitsDesc, hashWaitDesc, hashRejectDesc, hashAbandonDesc, hashCPUDesc} {
		ch <- d
	}
}

func (c hashQueueCollector) Collect(ch chan<- prometheus.Metric) {
	var s HashQueueStats
	if q := c.source(); q != nil {
		s = q.Stats()
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(hashDepthDesc, float64(s.Depth))
	gauge(hashCapDesc, float64(s.Capacity))
	gauge(hashBusyDesc, float64(s.Busy))
	gauge(hashHashersDesc, float64(s.Hashers))
	counter(hashWaitsDesc, float64(s.Waits))
	counter(hashWaitDesc, s.WaitTime.Seconds())
	counter(hashRejectDesc, float64(s.Rejected))
	counter(hashAbandonDesc, float64(s.Abandoned))
	counter(hashCPUDesc, s.HashCPU.Seconds())
}

// outboxCollector reads the outbox's depth at scrape time, with a timeout, and keeps the
// answer (or the failure) for ttl: several Prometheus servers scraping every few seconds
// cost the database one count query per ttl, never one each.
type outboxCollector struct {
	source       OutboxSource
	timeout, ttl time.Duration
	now          func() time.Time

	mu   sync.Mutex
	at   time.Time
	last mail.Stats
	err  error
}

func newOutboxCollector(source OutboxSource, timeout, ttl time.Duration, now func() time.Time) *outboxCollector {
	return &outboxCollector{source: source, timeout: timeout, ttl: ttl, now: now}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxDesc
	ch <- outboxOldestDesc
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	if c.source == nil {
		return
	}
	st, err := c.stats()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDesc, err)
		return
	}
	for _, s := range []struct {
		state string
		n     int
	}{{"pending", st.Pending}, {"sending", st.Sending}, {"sent", st.Sent}, {"dead", st.Dead}} {
		ch <- prometheus.MustNewConstMetric(outboxDesc, prometheus.GaugeValue, float64(s.n), s.state)
	}
	age := 0.0
	if !st.OldestPending.IsZero() {
		age = max(0, c.now().Sub(st.OldestPending).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, age)
}

// stats returns the cached stats, asking the outbox again once they are older than ttl. The
// lock is held while asking, so concurrent scrapes wait for one query rather than each
// sending their own.
func (c *outboxCollector) stats() (mail.Stats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && c.now().Sub(c.at) < c.ttl {
		return c.last, c.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	c.last, c.err = c.source.MailStats(ctx)
	c.at = c.now()
	return c.last, c.err
}

// dbCollector reads the database pool's sql.DBStats at scrape time (a mutex and a copy).
type dbCollector struct{ stats func() sql.DBStats }

func newDBCollector(stats func() sql.DBStats) prometheus.Collector { return dbCollector{stats} }

func (c dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbOpenDesc, dbInUseDesc, dbIdleDesc, dbMaxOpenDesc, dbWaitCountDesc, dbWaitDesc, dbClosedDesc} {
		ch <- d
	}
}

func (c dbCollector) Collect(ch chan<- prometheus.Metric) {
	if c.stats == nil {
		return
	}
	s := c.stats()
	gauge := func(d *prometheus.Desc, v float64, l ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, l...)
	}
	counter := func(d *prometheus.Desc, v float64, l ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, l...)
	}
	gauge(dbOpenDesc, float64(s.OpenConnections))
	gauge(dbInUseDesc, float64(s.InUse))
	gauge(dbIdleDesc, float64(s.Idle))
	gauge(dbMaxOpenDesc, float64(s.MaxOpenConnections))
	counter(dbWaitCountDesc, float64(s.WaitCount))
	counter(dbWaitDesc, s.WaitDuration.Seconds())
	counter(dbClosedDesc, float64(s.MaxIdleClosed), "max_idle")
	counter(dbClosedDesc, float64(s.MaxIdleTimeClosed), "max_idle_time")
	counter(dbClosedDesc, float64(s.MaxLifetimeClosed), "max_lifetime")
}
