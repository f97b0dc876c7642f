package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// fixedQueue is a hashing queue whose stats are what the test sets.
type fixedQueue struct{ s HashQueueStats }

func (q fixedQueue) Stats() HashQueueStats { return q.s }

// countingOutbox is the real store, counting the MailStats calls that reach it.
type countingOutbox struct {
	*store.Store
	calls atomic.Int64
}

func (c *countingOutbox) MailStats(ctx context.Context) (mail.Stats, error) {
	c.calls.Add(1)
	return c.Store.MailStats(ctx)
}

// newTestMetrics is a registry as serve builds it, on a real SQLite store, with one route
// observed as the HTTP edge does at start.
func newTestMetrics(t *testing.T) *Metrics {
	st := storetest.OpenSQLite(t)
	m := New(Options{Version: "test", Outbox: st, DB: st.DBStats})
	m.Route("GET", "/api/users/me")
	return m
}

func scrape(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b)
}

func TestRoute(t *testing.T) {
	m := New(Options{})
	begin, end := m.Route("DELETE", "/api/users/me/sessions/{id}")
	if got := testutil.ToFloat64(m.requests.WithLabelValues("/api/users/me/sessions/{id}", "DELETE", "200")); got != 0 {
		t.Errorf("a route's 200 series before any request: got %v, want 0 (present)", got)
	}
	begin()
	begin()
	if got := testutil.ToFloat64(m.inFlight); got != 2 {
		t.Errorf("in flight: got %v, want 2", got)
	}
	end(404, 3*time.Millisecond)
	end(0, time.Millisecond) // a status never written: counted as 500
	if got := testutil.ToFloat64(m.inFlight); got != 0 {
		t.Errorf("in flight after: got %v, want 0", got)
	}
	for code, want := range map[string]float64{"404": 1, "500": 1, "200": 0} {
		if got := testutil.ToFloat64(m.requests.WithLabelValues("/api/users/me/sessions/{id}", "DELETE", code)); got != want {
			t.Errorf("code %s: got %v, want %v", code, got, want)
		}
	}
	_, body := scrape(t, m.Handler(HandlerOptions{}), "/metrics")
	for _, want := range []string{
		`gatehouse_http_request_duration_seconds_count{method="DELETE",route="/api/users/me/sessions/{id}"} 2`,
		`gatehouse_http_request_duration_seconds_bucket{method="DELETE",route="/api/users/me/sessions/{id}",le="0.00025"} 0`,
		`gatehouse_http_request_duration_seconds_bucket{method="DELETE",route="/api/users/me/sessions/{id}",le="0.001"} 1`,
		`gatehouse_http_request_duration_seconds_bucket{method="DELETE",route="/api/users/me/sessions/{id}",le="0.005"} 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
}

// Decisions are counted by name; a name that is not a short identifier becomes "other", so
// user input passed by mistake never becomes a label.
func TestDecisions(t *testing.T) {
	m := New(Options{})
	m.RateLimitDecision("login", true)
	m.RateLimitDecision("login", false)
	m.RateLimitDecision("login", false)
	m.RateLimitDecision("someone@example.com", true)
	m.CaptchaDecision("passed")
	m.CaptchaDecision("Bearer eyJhbGciOi")
	m.MailDelivery(MailSent)
	m.MailDelivery("550 mailbox unavailable")
	for _, c := range []struct {
		got, want float64
		what      string
	}{
		{testutil.ToFloat64(m.rateLimit.WithLabelValues("login", "allowed")), 1, "login allowed"},
		{testutil.ToFloat64(m.rateLimit.WithLabelValues("login", "limited")), 2, "login limited"},
		{testutil.ToFloat64(m.rateLimit.WithLabelValues("other", "allowed")), 1, "other allowed"},
		{testutil.ToFloat64(m.captcha.WithLabelValues("passed")), 1, "captcha passed"},
		{testutil.ToFloat64(m.captcha.WithLabelValues("other")), 1, "captcha other"},
		{testutil.ToFloat64(m.mail.WithLabelValues("sent")), 1, "mail sent"},
		{testutil.ToFloat64(m.mail.WithLabelValues("other")), 1, "mail other"},
		{testutil.ToFloat64(m.mail.WithLabelValues("dead")), 0, "mail dead"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	_, body := scrape(t, m.Handler(HandlerOptions{}), "/metrics")
	for line := range strings.SplitSeq(body, "\n") {
		if strings.HasPrefix(line, "gatehouse_") && (strings.Contains(line, "example.com") || strings.Contains(line, "eyJ") || strings.Contains(line, "550")) {
			t.Errorf("a label holds input: %s", line)
		}
	}
}

// Without a hashing queue its gauges read zero; once set, they read the queue at each scrape.
func TestHashQueue(t *testing.T) {
	m := New(Options{})
	if _, body := scrape(t, m.Handler(HandlerOptions{}), "/metrics"); !strings.Contains(body, "gatehouse_hash_queue_depth 0\n") {
		t.Error("without a queue: depth not 0")
	}
	m.SetHashQueue(fixedQueue{HashQueueStats{Depth: 3, Capacity: 64, Busy: 2, Hashers: 2, Waits: 10, WaitTime: 1500 * time.Millisecond, Rejected: 4, HashCPU: 2500 * time.Millisecond}})
	_, body := scrape(t, m.Handler(HandlerOptions{}), "/metrics")
	for _, want := range []string{
		"gatehouse_hash_queue_depth 3\n", "gatehouse_hash_queue_capacity 64\n", "gatehouse_hash_queue_busy_hashers 2\n",
		"gatehouse_hash_queue_waits_total 10\n", "gatehouse_hash_queue_wait_seconds_total 1.5\n", "gatehouse_hash_queue_rejected_total 4\n",
		"gatehouse_hash_cpu_seconds_total 2.5\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	m.SetHashQueue(nil)
	if _, body := scrape(t, m.Handler(HandlerOptions{}), "/metrics"); !strings.Contains(body, "gatehouse_hash_queue_depth 0\n") {
		t.Error("after SetHashQueue(nil): depth not 0")
	}
}

// The outbox is asked at most once per ttl, however often it is scraped, and its answer is
// the store's.
func TestOutbox_Cached(t *testing.T) {
	st := storetest.OpenSQLite(t)
	now := time.Now().Truncate(time.Second) // as the store keeps it
	queued := now.Add(-90 * time.Second)
	if err := st.EnqueueMail(context.Background(), queued, &mail.Message{Kind: mail.KindVerifyEmail, To: "a@example.com", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	src := &countingOutbox{Store: st}
	c := newOutboxCollector(src, time.Second, 5*time.Second, func() time.Time { return now })
	for range 3 {
		if got := testutil.CollectAndCount(c); got != 5 {
			t.Fatalf("got %d series, want 5 (4 states and the oldest's age)", got)
		}
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("three scrapes within the ttl asked the store %d times, want 1", n)
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	_, body := scrape(t, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), "/metrics")
	for _, want := range []string{
		`gatehouse_mail_outbox_messages{state="pending"} 1` + "\n", `gatehouse_mail_outbox_messages{state="dead"} 0` + "\n",
		"gatehouse_mail_outbox_oldest_pending_age_seconds 90\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q:\n%s", want, body)
		}
	}
	now = now.Add(6 * time.Second)
	testutil.CollectAndCount(c)
	if n := src.calls.Load(); n != 2 {
		t.Errorf("a scrape after the ttl: %d calls, want 2", n)
	}
}

// A database that does not answer drops the outbox's metrics from the scrape, not the scrape.
func TestOutbox_Failure(t *testing.T) {
	st := storetest.OpenSQLite(t)
	m := New(Options{Outbox: st, DB: st.DBStats})
	st.Close()
	status, body := scrape(t, m.Handler(HandlerOptions{}), "/metrics")
	if status != http.StatusOK || !strings.Contains(body, "gatehouse_http_requests_in_flight 0") ||
		strings.Contains(body, "gatehouse_mail_outbox_messages{") {
		t.Errorf("got %d\n%s", status, body)
	}
}

// pprof is served only when asked, on the metrics handler's own mux.
func TestHandler_PProf(t *testing.T) {
	m := New(Options{})
	if status, _ := scrape(t, m.Handler(HandlerOptions{}), "/debug/pprof/"); status != http.StatusNotFound {
		t.Errorf("pprof off: got %d, want 404", status)
	}
	if status, body := scrape(t, m.Handler(HandlerOptions{PProf: true}), "/debug/pprof/"); status != http.StatusOK || !strings.Contains(body, "heap") {
		t.Errorf("pprof on: got %d", status)
	}
	if status, _ := scrape(t, m.Handler(HandlerOptions{PProf: true}), "/elsewhere"); status != http.StatusNotFound {
		t.Errorf("another path: got %d, want 404", status)
	}
}

// The cost of observing one request: begin and end, as the HTTP edge calls them.
func BenchmarkRoute(b *testing.B) {
	m := New(Options{})
	begin, end := m.Route("GET", "/api/users/me")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			begin()
			end(200, 250*time.Microsecond)
		}
	})
}

func TestHashQueueFunc(t *testing.T) {
	m := New(Options{HashQueue: HashQueueFunc(func() HashQueueStats { return HashQueueStats{Depth: 7} })})
	if _, body := scrape(t, m.Handler(HandlerOptions{}), "/metrics"); !strings.Contains(body, "gatehouse_hash_queue_depth 7\n") {
		t.Error("HashQueueFunc's depth not exported")
	}
}
