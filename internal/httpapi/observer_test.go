package httpapi_test

import (
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/metrics"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// recorder is a RequestObserver that keeps what it is told.
type recorder struct {
	mu       sync.Mutex
	routes   []string
	inFlight int
	ended    []string // "METHOD pattern status"
}

func (rc *recorder) Route(method, pattern string) (func(), func(int, time.Duration)) {
	rc.mu.Lock()
	rc.routes = append(rc.routes, method+" "+pattern)
	rc.mu.Unlock()
	return func() {
			rc.mu.Lock()
			rc.inFlight++
			rc.mu.Unlock()
		}, func(status int, elapsed time.Duration) {
			rc.mu.Lock()
			defer rc.mu.Unlock()
			rc.inFlight--
			if elapsed <= 0 {
				status = -1
			}
			rc.ended = append(rc.ended, method+" "+pattern+" "+http.StatusText(status))
		}
}

// The observer hears of every routed request under its route's pattern, with the status sent,
// errors included; requests no route serves (the web app, a wrong method) are not its business.
func TestRequestObserver(t *testing.T) {
	rc := &recorder{}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{requests: rc})
	if !slices.Contains(rc.routes, "DELETE /api/users/me/sessions/{id}") || !slices.Contains(rc.routes, "GET /api/users/me") {
		t.Fatalf("routes observed: %q", rc.routes)
	}
	u := a.register("observed@example.com")
	a.req("GET", "/api/users/me", nil, bearer(u.access)...)
	a.req("GET", "/api/users/me", nil, bearer("not-a-token")...)
	a.req("DELETE", "/api/users/me/sessions/0b5e1f0c-7d1a-4c57-9a43-2f0e6a1d9c11", nil, bearer(u.access)...)
	a.req("PATCH", "/api/users/me", nil)
	a.req("GET", "/some/page", nil)

	rc.mu.Lock()
	defer rc.mu.Unlock()
	want := []string{
		"POST /api/auth/register Created",
		"POST /api/auth/token OK",
		"GET /api/users/me OK",
		"GET /api/users/me Unauthorized",
		"DELETE /api/users/me/sessions/{id} Not Found",
	}
	if !slices.Equal(rc.ended, want) {
		t.Errorf("observed %q, want %q", rc.ended, want)
	}
	if rc.inFlight != 0 {
		t.Errorf("in flight after: %d", rc.inFlight)
	}
}

// The observer's cost on GET /api/users/me: without one, and with the Prometheus registry.
func BenchmarkMeObserver(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchObserver(b, storetest.OpenSQLite) })
	if os.Getenv("TEST_DATABASE_URL") != "" {
		b.Run("postgres", func(b *testing.B) { benchObserver(b, storetest.OpenPostgres) })
	}
}

func benchObserver(b *testing.B, open func(testing.TB) *store.Store) {
	for _, c := range []struct {
		name string
		obs  func() apiOptions
	}{
		{"nil", func() apiOptions { return apiOptions{} }},
		{"metrics", func() apiOptions { return apiOptions{requests: metrics.New(metrics.Options{})} }},
	} {
		b.Run(c.name, func(b *testing.B) {
			a := newAPI(b, open(b), c.obs())
			u := a.register("bench@example.com")
			b.ReportAllocs()
			for b.Loop() {
				if r := a.req("GET", "/api/users/me", nil, bearer(u.access)...); r.status != http.StatusOK {
					b.Fatalf("got %d", r.status)
				}
			}
		})
	}
}
