package metrics

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Route returns the observer of one route, named by its method and path pattern as the route
// table spells them ("GET", "/api/users/me/sessions/{id}"). The HTTP edge calls it once per
// route as it builds its mux, so the series of every route exist, at zero, from the start, and
// a request costs no label lookup. begin marks a request in flight and end records its status
// and duration. It implements httpapi.RequestObserver.
func (m *Metrics) Route(method, pattern string) (begin func(), end func(status int, elapsed time.Duration)) {
	rm := m.route(method, pattern)
	return rm.Begin, rm.End
}

func (m *Metrics) route(method, pattern string) *RouteMetrics {
	rm := &RouteMetrics{
		m: m, method: method, pattern: pattern,
		duration: m.durations.WithLabelValues(pattern, method),
		codes:    map[int]prometheus.Counter{},
	}
	// The common answers exist from the start, so a dashboard shows 0, not "no data".
	rm.counter(200)
	return rm
}

// RouteMetrics counts and times one route's requests.
type RouteMetrics struct {
	m               *Metrics
	method, pattern string
	duration        prometheus.Observer

	mu    sync.RWMutex
	codes map[int]prometheus.Counter
}

// Begin marks a request of the route as in flight.
func (rm *RouteMetrics) Begin() { rm.m.inFlight.Inc() }

// End records a request Begin started: its status code and how long it took.
func (rm *RouteMetrics) End(status int, elapsed time.Duration) {
	rm.m.inFlight.Dec()
	rm.duration.Observe(elapsed.Seconds())
	rm.counter(status).Inc()
}

// counter is the route's counter for status, made on first use. A status outside 100–599
// (a handler bug) is counted as 500 rather than growing the label set.
func (rm *RouteMetrics) counter(status int) prometheus.Counter {
	if status < 100 || status > 599 {
		status = 500
	}
	rm.mu.RLock()
	c, ok := rm.codes[status]
	rm.mu.RUnlock()
	if ok {
		return c
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	if c, ok = rm.codes[status]; !ok {
		c = rm.m.requests.WithLabelValues(rm.pattern, rm.method, strconv.Itoa(status))
		rm.codes[status] = c
	}
	return c
}
