package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/ratelimit/ratelimittest"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// huge is a limit no benchmark reaches: every request pays the check and none is refused.
var huge = ratelimit.Limit{Rate: 1 << 30, Period: time.Second, Burst: 1 << 30}

// BenchmarkRoute compares a limited route (register with an invalid body: the per-IP check,
// then a 422 without hashing) with the limiter off, on memory and on Redis, and GET
// /api/users/me, which has no limit, with the limiter on and off: it must cost the same.
func BenchmarkRoute(b *testing.B) {
	limits := &testLimits{route: httpapi.RouteLimits{RegisterIP: huge, SignInIP: huge}}
	backends := []struct {
		name   string
		limits *testLimits
		lim    func(b *testing.B) ratelimit.Limiter
	}{
		{"off", nil, nil},
		{"memory", limits, func(*testing.B) ratelimit.Limiter { return ratelimit.NewMemory(ratelimit.MemoryOptions{}) }},
		{"redis", limits, func(b *testing.B) ratelimit.Limiter {
			rdb, err := ratelimit.NewRedisClient(ratelimittest.RedisURL(b), 0)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { rdb.Close() })
			return ratelimit.NewRedis(rdb, ratelimit.RedisOptions{Prefix: ratelimittest.Prefix(b)})
		}},
	}
	for _, be := range backends {
		b.Run("register/"+be.name, func(b *testing.B) {
			opt := apiOptions{limits: be.limits}
			if be.lim != nil {
				opt.limiter = be.lim(b)
			}
			a := newAPI(b, storetest.OpenSQLite(b), opt)
			for b.Loop() {
				if r := a.req("POST", "/api/auth/register", `{"email":"not an email"}`); r.status != http.StatusUnprocessableEntity {
					b.Fatalf("got %d %s", r.status, r.body)
				}
			}
		})
		b.Run("me/"+be.name, func(b *testing.B) {
			opt := apiOptions{limits: be.limits}
			if be.lim != nil {
				opt.limiter = be.lim(b)
			}
			a := newAPI(b, storetest.OpenSQLite(b), opt)
			u := a.register("ada@example.com")
			for b.Loop() {
				if r := a.req("GET", "/api/users/me", nil, bearer(u.access)...); r.status != http.StatusOK {
					b.Fatalf("got %d", r.status)
				}
			}
		})
	}
}
