package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// newDeviceSubject is what the new-device notice's subject holds.
const newDeviceSubject = "New sign-in to your"

// queued claims the mails queued since the last claim and returns their subjects and texts;
// the long lease keeps a claimed mail from being claimed again as the clock moves on.
func (e *env) queued(t *testing.T) (subjects, texts []string) {
	t.Helper()
	q, err := e.store.ClaimMail(t.Context(), e.clock.Now().Add(time.Hour), 1000*time.Hour, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range q {
		subjects, texts = append(subjects, m.Subject), append(texts, m.Text)
	}
	return subjects, texts
}

// TestService_NewDeviceNotice: a trusted sign-in of an account never marked (imported, or
// older than the mark) marks it and tells nobody; then a client without the device token is
// told of, naming its user agent and IP, and one with it is not; no sign-in after the first
// writes the mark again.
func TestService_NewDeviceNotice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var g *guard.Guard
		e := newService(t, withStore(st), func(o *auth.Options) {
			o.Email.Notices = true
			g = guard.New(guard.Options{Limiter: ratelimit.NewMemory(ratelimit.MemoryOptions{}), Limits: guard.DefaultLimits(),
				Key: []byte("test device-token key, 32 bytes!"), Now: o.Now})
			o.Guard = g
		})
		const pw = "violet-kayak-mercury-19"
		u := e.register(t, testEmail, pw)
		e.queued(t) // the verification
		// A device token issued before the account was ever marked.
		device, err := g.Succeeded(t.Context(), auth.Attempt{Email: testEmail, IP: "192.0.2.1"}, u.ID)
		if err != nil || device == "" {
			t.Fatalf("Succeeded: %q, %v", device, err)
		}
		trusted := auth.Client{IP: "192.0.2.1", UserAgent: "trusted browser", DeviceToken: device}
		if _, err := e.svc.Login(t.Context(), testEmail, pw, trusted); err != nil {
			t.Fatal(err)
		}
		marked, err := e.store.FindUserByID(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if marked.FirstSignedInAt == nil || !marked.FirstSignedInAt.Equal(e.clock.Now()) {
			t.Fatalf("after a trusted first sign-in: FirstSignedInAt %v, want %v", marked.FirstSignedInAt, e.clock.Now())
		}
		if s, _ := e.queued(t); len(s) != 0 {
			t.Fatalf("a trusted first sign-in queued %q, want nothing", s)
		}

		e.clock.Advance(time.Hour)
		const agent, ip = "Firefox/140.0 (stranger)", "198.51.100.23"
		if _, err := e.svc.Login(t.Context(), testEmail, pw, auth.Client{IP: ip, UserAgent: agent}); err != nil {
			t.Fatal(err)
		}
		s, texts := e.queued(t)
		if len(s) != 1 || !strings.Contains(s[0], newDeviceSubject) {
			t.Fatalf("a sign-in from an unknown client queued %q, want the new-device notice", s)
		}
		if !strings.Contains(texts[0], agent) || !strings.Contains(texts[0], ip) || strings.Contains(texts[0], pw) {
			t.Fatalf("the notice should name %q and %s and hold no password:\n%s", agent, ip, texts[0])
		}

		e.clock.Advance(time.Hour)
		if _, err := e.svc.Login(t.Context(), testEmail, pw, trusted); err != nil {
			t.Fatal(err)
		}
		if s, _ := e.queued(t); len(s) != 0 {
			t.Fatalf("a trusted sign-in queued %q, want nothing", s)
		}
		again, err := e.store.FindUserByID(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !again.FirstSignedInAt.Equal(*marked.FirstSignedInAt) {
			t.Fatalf("FirstSignedInAt moved from %v to %v", marked.FirstSignedInAt, again.FirstSignedInAt)
		}
	})
}

// TestService_NewDeviceNotice_FirstSignIn: the very first sign-in, from a client without a
// device token (right after registering), marks the account and tells nobody; without a
// Guard there are no device tokens, and no sign-in is told of.
func TestService_NewDeviceNotice_FirstSignIn(t *testing.T) {
	t.Run("Guard", func(t *testing.T) {
		e := newService(t, func(o *auth.Options) {
			o.Email.Notices = true
			o.Guard = guard.New(guard.Options{Limiter: ratelimit.NewMemory(ratelimit.MemoryOptions{}), Limits: guard.DefaultLimits(),
				Key: []byte("test device-token key, 32 bytes!"), Now: o.Now})
		})
		e.register(t, testEmail, "violet-kayak-mercury-19")
		e.queued(t)
		e.login(t, testEmail, "violet-kayak-mercury-19")
		if s, _ := e.queued(t); len(s) != 0 {
			t.Fatalf("the first sign-in queued %q, want nothing", s)
		}
	})
	t.Run("NoGuard", func(t *testing.T) {
		e := newService(t, func(o *auth.Options) { o.Email.Notices = true })
		u := e.register(t, testEmail, "violet-kayak-mercury-19")
		e.queued(t)
		e.login(t, testEmail, "violet-kayak-mercury-19")
		e.login(t, testEmail, "violet-kayak-mercury-19")
		if s, _ := e.queued(t); len(s) != 0 {
			t.Fatalf("sign-ins without a Guard queued %q, want nothing", s)
		}
		got, err := e.store.FindUserByID(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FirstSignedInAt != nil {
			t.Fatalf("without a Guard: FirstSignedInAt %v, want no write", got.FirstSignedInAt)
		}
	})
}
