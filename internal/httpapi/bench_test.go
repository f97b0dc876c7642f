package httpapi_test

import (
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// The benchmarks go through the whole handler over loopback HTTP, on SQLite and (when
// TEST_DATABASE_URL is set) PostgreSQL, at bcrypt's lowest cost so that they measure Gatehouse
// rather than bcrypt: password's BenchmarkHash gives bcrypt's own figures at 10 and 12.
func BenchmarkAPI(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAPI(b, storetest.OpenSQLite(b)) })
	if os.Getenv("TEST_DATABASE_URL") != "" {
		b.Run("postgres", func(b *testing.B) { benchAPI(b, storetest.OpenPostgres(b)) })
	}
}

func benchAPI(b *testing.B, st *store.Store) {
	a := newAPI(b, st, apiOptions{})
	u := a.register("bench@example.com")

	var n atomic.Int64
	b.Run("Register", func(b *testing.B) {
		for b.Loop() {
			r := a.req("POST", "/api/auth/register", map[string]string{
				"email": fmt.Sprintf("u%d@example.com", n.Add(1)), "first_name": "B", "last_name": "M", "password": "violet-kayak-mercury-19",
			})
			if r.status != http.StatusCreated {
				b.Fatalf("got %d", r.status)
			}
		}
	})
	b.Run("SignIn", func(b *testing.B) {
		for b.Loop() {
			if r := a.req("POST", "/api/auth/token", loginForm(u.email, u.password)); r.status != http.StatusOK {
				b.Fatalf("got %d", r.status)
			}
		}
	})
	b.Run("Refresh", func(b *testing.B) {
		tok := a.login(u).refresh // each run starts a session: a spent token would be reuse
		for b.Loop() {
			r := refresh(a, tok)
			if r.status != http.StatusOK {
				b.Fatalf("got %d", r.status)
			}
			tok = r.json()["refresh_token"].(string)
		}
	})
	b.Run("Me", func(b *testing.B) {
		for b.Loop() {
			if r := a.req("GET", "/api/users/me", nil, bearer(u.access)...); r.status != http.StatusOK {
				b.Fatalf("got %d", r.status)
			}
		}
	})
	b.Run("MeParallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if r := a.req("GET", "/api/users/me", nil, bearer(u.access)...); r.status != http.StatusOK {
					b.Errorf("got %d", r.status)
					return
				}
			}
		})
	})
}
