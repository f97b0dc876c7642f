package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
)

// The benchmarks go through the whole handler over loopback HTTP, on SQLite, at bcrypt's
// lowest cost so that they measure Gatehouse rather than bcrypt (password's BenchmarkHash
// gives bcrypt's own figures at 10 and 12).
func BenchmarkAPI(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	a := newAPI(b, st, apiOptions{})
	u := a.register("bench@example.com")

	var n atomic.Int64
	b.Run("Register", func(b *testing.B) {
		for b.Loop() {
			r := a.req("POST", "/api/auth/register", map[string]string{
				"email": fmt.Sprintf("u%d@example.com", n.Add(1)), "first_name": "B", "last_name": "M", "password": "password123",
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
