package httpapi_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// barrierHasher holds each Hash call made while armed until n have arrived (at most a minute),
// so n password changes have all verified the current password before any of them writes.
type barrierHasher struct {
	*password.Bcrypt
	armed   atomic.Bool
	arrived atomic.Int32
	n       int32
	all     chan struct{}
}

func (b *barrierHasher) Hash(pw string) (string, error) {
	if b.armed.Load() {
		if b.arrived.Add(1) == b.n {
			close(b.all)
		}
		select {
		case <-b.all:
		case <-time.After(time.Minute):
		}
	}
	return b.Bcrypt.Hash(pw)
}

// Two devices that change the password at once: one gets 204 and its password works; the
// other gets 409 credentials_changed, never a 204 for a password that does not work.
func TestAPI_ChangePassword_Concurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		bc, err := password.NewBcrypt(testCost)
		if err != nil {
			t.Fatal(err)
		}
		b := &barrierHasher{Bcrypt: bc, n: 2, all: make(chan struct{})}
		a := newAPI(t, st, apiOptions{hasher: b})
		devices := []user{a.register("ada@example.com")}
		devices = append(devices, a.login(devices[0]))

		b.armed.Store(true)
		replies := make([]reply, len(devices))
		var wg sync.WaitGroup
		for i, d := range devices {
			wg.Go(func() {
				replies[i] = a.req("POST", "/api/users/me/password", map[string]string{
					"current_password": d.password, "new_password": fmt.Sprint("new password ", i),
				}, bearer(d.access)...)
			})
		}
		wg.Wait()
		b.armed.Store(false)

		won := 0
		if replies[0].status != http.StatusNoContent {
			won = 1
		}
		wantStatus(t, replies[won], http.StatusNoContent)
		lost := replies[1-won]
		wantStatus(t, lost, http.StatusConflict)
		wantJSON(t, lost, fmt.Sprintf(`{"detail": %q, "code": "credentials_changed"}`, auth.ErrCredentialsChanged.Message))

		wantStatus(t, a.req("POST", "/api/auth/token", loginForm(devices[0].email, fmt.Sprint("new password ", won))), http.StatusOK)
		wantStatus(t, a.req("POST", "/api/auth/token", loginForm(devices[0].email, fmt.Sprint("new password ", 1-won))), http.StatusUnauthorized)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(devices[won].access)...), http.StatusOK)
		wantStatus(t, a.req("GET", "/api/users/me", nil, bearer(devices[1-won].access)...), http.StatusUnauthorized)
	})
}
