package password

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// rangeServer is a local Pwned Passwords range server: it answers /range/{prefix} from the
// breached passwords it holds, with padding entries (count 0), and records what it was sent.
type rangeServer struct {
	mu       sync.Mutex
	paths    []string
	padding  []string
	delay    time.Duration
	status   int
	breached map[string]int
}

func (s *rangeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path+" padding="+r.Header.Get("Add-Padding"))
	s.mu.Unlock()
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-r.Context().Done():
			return
		}
	}
	if s.status != 0 {
		w.WriteHeader(s.status)
		return
	}
	prefix := strings.TrimPrefix(r.URL.Path, "/range/")
	for pw, n := range s.breached {
		if d := sha1Hex(pw); d[:5] == prefix {
			fmt.Fprintf(w, "%s:%d\r\n", d[5:], n)
		}
	}
	for _, d := range s.padding {
		if d[:5] == prefix {
			fmt.Fprintf(w, "%s:0\r\n", d[5:])
		}
	}
	fmt.Fprint(w, "0123456789ABCDEF0123456789ABCDEF012:3\r\n")
}

func sha1Hex(pw string) string {
	s := sha1.Sum([]byte(pw))
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

func TestHIBP_Breached(t *testing.T) {
	rs := &rangeServer{breached: map[string]int{"P@ssw0rd": 52579}, padding: []string{sha1Hex("padded-but-never-breached")}}
	srv := httptest.NewServer(rs)
	defer srv.Close()
	h := &HIBP{BaseURL: srv.URL + "/", Timeout: time.Second, FailClosed: true}
	for pw, want := range map[string]bool{"P@ssw0rd": true, "padded-but-never-breached": false, "correct lantern harbour oboe": false} {
		got, err := h.Breached(context.Background(), pw)
		if err != nil || got != want {
			t.Errorf("Breached(%q): got (%v, %v), want (%v, nil)", pw, got, err, want)
		}
	}
	// Only the first 5 hex digits of the SHA-1 leave the server, always with padding asked for.
	for _, p := range rs.paths {
		prefix, padding, _ := strings.Cut(strings.TrimPrefix(p, "/range/"), " ")
		if len(prefix) != 5 || padding != "padding=true" {
			t.Errorf("sent %q, want /range/ and 5 hex digits with Add-Padding: true", p)
		}
	}
	if want := "/range/" + sha1Hex("P@ssw0rd")[:5] + " padding=true"; rs.paths[0] != want && rs.paths[1] != want && rs.paths[2] != want {
		t.Errorf("sent %q, want %q among them", rs.paths, want)
	}
}

func TestHIBP_Failures(t *testing.T) {
	slow := &rangeServer{delay: 5 * time.Second}
	down := &rangeServer{status: http.StatusServiceUnavailable}
	for name, rs := range map[string]*rangeServer{"Timeout": slow, "Status": down} {
		srv := httptest.NewServer(rs)
		t.Run(name, func(t *testing.T) {
			closed := &HIBP{BaseURL: srv.URL, Timeout: 50 * time.Millisecond, FailClosed: true}
			if _, err := closed.Breached(context.Background(), "P@ssw0rd"); !errors.Is(err, ErrBreachCheckUnavailable) {
				t.Errorf("fail closed: got %v, want ErrBreachCheckUnavailable", err)
			}
			open := &HIBP{BaseURL: srv.URL, Timeout: 50 * time.Millisecond}
			if got, err := open.Breached(context.Background(), "P@ssw0rd"); got || err != nil {
				t.Errorf("fail open: got (%v, %v), want (false, nil)", got, err)
			}
		})
		srv.Close()
	}
	// Nothing listening: a refused connection fails the same ways.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := (&HIBP{BaseURL: url, FailClosed: true}).Breached(context.Background(), "x")
	if !errors.Is(err, ErrBreachCheckUnavailable) {
		t.Errorf("refused, fail closed: got %v", err)
	}
	// The error is logged: it names neither the URL nor the prefix of the password's hash.
	if prefix := sha1Hex("x")[:5]; err == nil || strings.Contains(err.Error(), prefix) || strings.Contains(err.Error(), "/range/") {
		t.Errorf("refused, fail closed: got %v, want no URL and no prefix (%s)", err, prefix)
	}
	// Failing open, the hook hears of it, in the same terms.
	var heard []error
	open := &HIBP{BaseURL: url, FailedOpen: func(err error) { heard = append(heard, err) }}
	if got, err := open.Breached(context.Background(), "x"); got || err != nil || len(heard) != 1 || strings.Contains(heard[0].Error(), "/range/") {
		t.Errorf("refused, fail open: got (%v, %v), heard %v, want (false, nil) and one error without the URL", got, err, heard)
	}
}

// The policy refuses a password the range server lists as breached.
func TestPolicy_CheckWithHIBP(t *testing.T) {
	pw := "quizzical-otter-marmalade-71"
	srv := httptest.NewServer(&rangeServer{breached: map[string]int{pw: 3}})
	defer srv.Close()
	p := DefaultPolicy()
	p.Breached = &HIBP{BaseURL: srv.URL, Timeout: time.Second}
	if got := refusalType(p.Check(context.Background(), pw, ada)); got != TypeBreached {
		t.Errorf("got %q, want %q", got, TypeBreached)
	}
	if got := refusalType(p.Check(context.Background(), "correct lantern harbour oboe", ada)); got != "" {
		t.Errorf("got %q, want acceptance", got)
	}
}
