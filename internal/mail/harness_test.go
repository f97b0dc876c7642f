package mail_test

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse/gatehouse/internal/store"
)

const (
	publicURL = "https://accounts.example.com"
	from      = "Gatehouse <noreply@example.com>"
	domain    = "accounts.example.com"
)

// t0 is the tests' starting time, at the microsecond precision the store keeps.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is a fixed clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func renderer(t *testing.T) *mail.Renderer {
	t.Helper()
	r, err := mail.NewRenderer("Gatehouse", publicURL)
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}

// smtpSender returns a sender to srv that trusts its certificate.
func smtpSender(t *testing.T, srv *mailtest.Server, tlsMode string) *mail.SMTPSender {
	t.Helper()
	server, err := mail.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatalf("ParseSMTPURL: %v", err)
	}
	if tlsMode != "" {
		server.TLS = tlsMode
	}
	s, err := mail.NewSMTPSender(mail.SMTPOptions{
		Server: server, From: from, Domain: domain, Timeout: 5 * time.Second, TLSConfig: srv.ClientTLS(),
	})
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	return s
}

// relayFor returns a relay over st and sender on clk, logging at debug into logs, whose waits
// are always the longest the backoff allows (so the schedule is exact).
func relayFor(st *store.Store, sender mail.Sender, clk *clock, logs *syncBuffer, maxAttempts int) *mail.Relay {
	return mail.NewRelay(mail.RelayOptions{
		Store: st, Sender: sender, Now: clk.Now, MaxAttempts: maxAttempts,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Jitter: func(n int64) int64 { return n - 1 },
	})
}

// queueReset queues a password-reset mail to "to" at now with token and code.
func queueReset(t *testing.T, st *store.Store, now time.Time, to, token, code string) *mail.Message {
	t.Helper()
	m, err := renderer(t).PasswordReset(to, mail.PasswordReset{Name: "Ada", Token: token, Code: code, ValidFor: time.Hour})
	if err != nil {
		t.Fatalf("PasswordReset: %v", err)
	}
	if err := st.EnqueueMail(t.Context(), now, m); err != nil {
		t.Fatalf("EnqueueMail: %v", err)
	}
	return m
}

func record(t *testing.T, st *store.Store, m *mail.Message) *mail.Record {
	t.Helper()
	r, err := st.FindMail(t.Context(), m.ID)
	if err != nil {
		t.Fatalf("FindMail: %v", err)
	}
	return r
}

func run(t *testing.T, r *mail.Relay) {
	t.Helper()
	if err := r.Run(t.Context()); err != nil {
		t.Fatalf("Relay.Run: %v", err)
	}
}
