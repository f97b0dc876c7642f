package auth_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/token"
)

const (
	testEmail    = "ada@example.com"
	testPassword = "correct horse battery"
	// strongPassword72 is a strong password of exactly 72 bytes, bcrypt's limit.
	strongPassword72 = "correct-lantern-harbour-oboe-velvet-quartz-meadow-tangerine-ok12-xq7Zb!9"
	refreshTTL       = 30 * 24 * time.Hour
	accessTTL        = 15 * time.Minute
	reuseGrace       = 10 * time.Second
)

// clock is a fixed clock that tests move on by hand. It is safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logRecord is one record as the recorder saw it: every attr, the handler's own included,
// flattened into Text.
type logRecord struct {
	Level   slog.Level
	Message string
	Text    string
}

// logRecorder keeps every record its handlers receive.
type logRecorder struct {
	mu      sync.Mutex
	records []logRecord
}

func (r *logRecorder) all() []logRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.records)
}

// recordingHandler is a slog.Handler writing to a logRecorder; WithAttrs and WithGroup
// derive handlers that share it.
type recordingHandler struct {
	rec    *logRecorder
	prefix string
	attrs  []string
}

func (h *recordingHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *recordingHandler) Handle(_ context.Context, r slog.Record) error {
	parts := append([]string{r.Message}, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		parts = appendAttr(parts, h.prefix, a)
		return true
	})
	h.rec.mu.Lock()
	defer h.rec.mu.Unlock()
	h.rec.records = append(h.rec.records, logRecord{Level: r.Level, Message: r.Message, Text: strings.Join(parts, " ")})
	return nil
}

func (h *recordingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	attrs := slices.Clone(h.attrs)
	for _, a := range as {
		attrs = appendAttr(attrs, h.prefix, a)
	}
	return &recordingHandler{rec: h.rec, prefix: h.prefix, attrs: attrs}
}

func (h *recordingHandler) WithGroup(name string) slog.Handler {
	return &recordingHandler{rec: h.rec, prefix: h.prefix + name + ".", attrs: h.attrs}
}

func appendAttr(parts []string, prefix string, a slog.Attr) []string {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			parts = appendAttr(parts, prefix+a.Key+".", g)
		}
		return parts
	}
	return append(parts, fmt.Sprintf("%s%s=%+v", prefix, a.Key, v.Any()))
}

// env is a service over a real SQLite store, with its clock and its log.
type env struct {
	svc   *auth.Service
	store *store.Store
	clock *clock
	logs  *logRecorder
}

// newService returns a service on a fresh SQLite file: bcrypt cost 4, access tokens for 15
// minutes, sessions for 30 days, a 10-second reuse grace and a clock fixed until advanced.
// opts change the Options before the service is made.
func newService(tb testing.TB, opts ...func(*auth.Options)) *env {
	tb.Helper()
	e := &env{clock: &clock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}, logs: &logRecorder{}}
	o := auth.Options{
		Hasher: bcryptAt(tb, 4), RefreshTTL: refreshTTL, ReuseGrace: reuseGrace,
		Logger: slog.New(&recordingHandler{rec: e.logs}), Now: e.clock.Now,
		// Other test binaries share the cores at normal priority; at nice 19 a burst of
		// hashes here could wait out HashWait behind them and answer busy.
		HashNormalPriority: true,
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.Store == nil {
		o.Store = storetest.OpenSQLite(tb)
	}
	e.store = o.Store.(*store.Store)
	keys, err := token.NewKeyring(context.Background(), e.store, accessTTL, e.clock.Now)
	if err != nil {
		tb.Fatalf("NewKeyring: %v", err)
	}
	o.Tokens = token.NewIssuer(keys, "https://gatehouse.test", "gatehouse", accessTTL)
	if e.svc, err = auth.NewService(o); err != nil {
		tb.Fatalf("NewService: %v", err)
	}
	return e
}

func bcryptAt(tb testing.TB, cost int) *password.Bcrypt {
	tb.Helper()
	h, err := password.NewBcrypt(cost)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func withCost(tb testing.TB, cost int) func(*auth.Options) {
	h := bcryptAt(tb, cost)
	return func(o *auth.Options) { o.Hasher = h }
}

// withStore makes the service share st with another.
func withStore(st *store.Store) func(*auth.Options) {
	return func(o *auth.Options) { o.Store = st }
}

func withGrace(d time.Duration) func(*auth.Options) {
	return func(o *auth.Options) { o.ReuseGrace = d }
}

// register creates a user named Ada Lovelace or fails the test.
func (e *env) register(t *testing.T, email, pw string) *auth.User {
	t.Helper()
	u, err := e.svc.Register(t.Context(), auth.RegisterInput{
		Email: email, FirstName: "Ada", LastName: "Lovelace", Password: pw,
	})
	if err != nil {
		t.Fatalf("Register(%q): %v", email, err)
	}
	return u
}

// login signs in or fails the test.
func (e *env) login(t *testing.T, email, pw string) auth.Tokens {
	t.Helper()
	tok, err := e.svc.Login(t.Context(), email, pw, auth.Client{IP: "192.0.2.1", UserAgent: "test"})
	if err != nil {
		t.Fatalf("Login(%q): %v", email, err)
	}
	return tok
}

// signUp registers testEmail and signs in once.
func (e *env) signUp(t *testing.T) auth.Tokens {
	t.Helper()
	e.register(t, testEmail, testPassword)
	return e.login(t, testEmail, testPassword)
}

// refresh exchanges a refresh token or fails the test.
func (e *env) refresh(t *testing.T, rt string) auth.Tokens {
	t.Helper()
	tok, err := e.svc.Refresh(t.Context(), rt, auth.Client{IP: "192.0.2.2", UserAgent: "refresher"})
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	return tok
}

// wantAuthenticated fails the test unless the access token authenticates as tok's session.
func (e *env) wantAuthenticated(t *testing.T, tok auth.Tokens) {
	t.Helper()
	p, err := e.svc.Authenticate(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatalf("Authenticate: got %v, want nil", err)
	}
	if want := principal(tok); p.UserID != want.UserID || p.SessionID != want.SessionID {
		t.Fatalf("Authenticate: got %+v, want %+v", p, want)
	}
}

// wantNotAuthenticated fails the test unless the access token is refused.
func (e *env) wantNotAuthenticated(t *testing.T, access string) {
	t.Helper()
	if _, err := e.svc.Authenticate(t.Context(), access); !errors.Is(err, auth.ErrNotAuthenticated) {
		t.Fatalf("Authenticate: got %v, want ErrNotAuthenticated", err)
	}
}

func principal(tok auth.Tokens) auth.Principal {
	return auth.Principal{UserID: tok.UserID, SessionID: tok.SessionID}
}

// wantErr fails the test unless errors.Is(err, want).
func wantErr(t *testing.T, op string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got %v, want %v", op, err, want)
	}
}

// wantFields fails the test unless err is a validation error listing exactly these
// "field type" pairs, in order, each with a message.
func wantFields(t *testing.T, err error, want ...string) {
	t.Helper()
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.Code != auth.CodeInvalidInput {
		t.Fatalf("got %v, want an %s error", err, auth.CodeInvalidInput)
	}
	var got []string
	for _, f := range ae.Fields {
		got = append(got, f.Field+" "+f.Type)
		if f.Msg == "" {
			t.Errorf("field %s: got an empty Msg, want a sentence", f.Field)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("fields: got %q, want %q", got, want)
	}
}

func mustUser(t *testing.T, e *env, email string) *auth.User {
	t.Helper()
	u, err := e.store.FindUserByEmail(t.Context(), email)
	if err != nil {
		t.Fatalf("FindUserByEmail(%q): %v", email, err)
	}
	return u
}

func hashCost(t *testing.T, e *env, email string) int {
	t.Helper()
	cost, err := bcrypt.Cost([]byte(mustUser(t, e, email).PasswordHash))
	if err != nil {
		t.Fatalf("bcrypt.Cost: %v", err)
	}
	return cost
}
