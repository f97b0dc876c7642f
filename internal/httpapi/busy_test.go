package httpapi_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// gateHasher is bcrypt whose Verify, once held, announces itself on entered and waits for
// release: a sign-in that keeps its hashing slot for as long as the test wants.
type gateHasher struct {
	*password.Bcrypt
	entered, release chan struct{}
}

func (h gateHasher) Verify(hash, pw string) (bool, error) {
	h.entered <- struct{}{}
	<-h.release
	return h.Bcrypt.Verify(hash, pw)
}

// A sign-in that finds every hashing slot taken is overload, not a bug: 503 busy with
// Retry-After, on the token endpoint and the browser sign-in alike.
func TestAPI_Busy(t *testing.T) {
	bc, err := password.NewBcrypt(testCost)
	if err != nil {
		t.Fatal(err)
	}
	h := gateHasher{Bcrypt: bc, entered: make(chan struct{}), release: make(chan struct{})}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{hasher: h, maxHashes: 1, hashWait: time.Millisecond})
	// Registered after the server's Close, so it runs first: a failing test still lets the
	// held request finish and the server shut down.
	var once sync.Once
	release := func() { once.Do(func() { close(h.release) }) }
	t.Cleanup(release)

	// The one slot is held by a sign-in whose Verify waits.
	done := make(chan reply)
	go func() {
		done <- a.req("POST", "/api/auth/token", loginForm("ada@example.com", "violet-kayak-mercury-19"))
	}()
	<-h.entered

	for _, tt := range []struct {
		path, oauthError string
		headers          []string
	}{
		{"/api/auth/token", "temporarily_unavailable", nil},
		{"/api/auth/session", "", []string{"Origin", a.url}},
	} {
		r := a.req("POST", tt.path, loginForm("eve@example.com", "violet-kayak-mercury-19"), tt.headers...)
		wantStatus(t, r, http.StatusServiceUnavailable)
		if r.header.Get("Retry-After") == "" {
			t.Errorf("%s: a 503 without Retry-After", tt.path)
		}
		if m := r.json(); m["code"] != "busy" || m["detail"] != "The server is busy; try again in a moment" {
			t.Errorf("%s: got %s, want code busy and its detail", tt.path, r.body)
		}
		if got, _ := r.json()["error"].(string); got != tt.oauthError {
			t.Errorf("%s: got error %q, want %q", tt.path, got, tt.oauthError)
		}
	}
	release()
	wantStatus(t, <-done, http.StatusUnauthorized)
}
