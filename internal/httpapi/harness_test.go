package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/web"
)

// testCost is bcrypt's lowest cost: hashing is what the tests would otherwise wait on.
const testCost = 4

// syncBuffer collects the server's log lines from concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// api is a real server (real service, real store, real keys) behind httptest.
type api struct {
	t    testing.TB
	url  string
	logs *syncBuffer
	// client trusts the server's certificate when it serves TLS.
	client *http.Client
	// handler is the server's handler, for requests that httptest's loopback cannot make.
	handler http.Handler
}

type apiOptions struct {
	grace   time.Duration
	web     fstest.MapFS
	origins []string
	// hasher replaces bcrypt at testCost; maxHashes and hashWait bound the hashing slots.
	hasher    auth.Hasher
	maxHashes int
	hashWait  time.Duration
	// tls serves over TLS (a self-signed certificate the client trusts); hsts is HSTSMaxAge.
	tls     bool
	hsts    time.Duration
	trusted []netip.Prefix
	// captcha is the CAPTCHA gate; nil is off.
	captcha *captcha.Gate
	// limits turns the rate limits on (memory backend unless limiter is set); nil leaves them off.
	limits  *testLimits
	limiter ratelimit.Limiter
	// maxSessions is the per-user session bound; 0 none.
	maxSessions int
	// requests is the server's RequestObserver.
	requests httpapi.RequestObserver
	// email configures the email flows; devMailbox is served at /dev/mailbox.
	email      auth.EmailOptions
	devMailbox *mail.DevMailbox
	// noNotices turns newFlows' security notices off (GATEHOUSE_SECURITY_NOTICES=false).
	noNotices bool
	// policy is the password policy; nil is password.DefaultPolicy().
	policy *password.Policy
}

// testLimits are every limit a test server enforces.
type testLimits struct {
	guard guard.Limits
	route httpapi.RouteLimits
}

func newAPI(t testing.TB, st *store.Store, opt apiOptions) *api {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(httpapi.LogHandler(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx := context.Background()
	keys, err := token.NewKeyring(ctx, st, 15*time.Minute, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var hasher auth.Hasher = opt.hasher
	if hasher == nil {
		if hasher, err = password.NewBcrypt(testCost); err != nil {
			t.Fatal(err)
		}
	}
	var g auth.Guard
	var lim ratelimit.Limiter
	var routeLimits httpapi.RouteLimits
	if opt.limits != nil {
		lim = opt.limiter
		if lim == nil {
			lim = ratelimit.NewMemory(ratelimit.MemoryOptions{})
		}
		g = guard.New(guard.Options{Limiter: lim, Limits: opt.limits.guard, Key: []byte("test device-token key, 32 bytes!"), Logger: log})
		routeLimits = opt.limits.route
	}
	svc, err := auth.NewService(auth.Options{
		Store: st, Hasher: hasher, Logger: log, MaxConcurrentHashes: opt.maxHashes, HashWait: opt.hashWait,
		Tokens:     token.NewIssuer(keys, "http://gatehouse.test", "gatehouse", 15*time.Minute),
		RefreshTTL: 720 * time.Hour, ReuseGrace: opt.grace, Guard: g, MaxSessionsPerUser: opt.maxSessions, Email: opt.email,
		PasswordPolicy: opt.policy,
		// Other test binaries share the cores at normal priority; at nice 19 a burst of
		// hashes here could wait out HashWait behind them and answer busy.
		HashNormalPriority: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	jobs, stopJobs := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); svc.RunMailRequests(jobs) }()
	t.Cleanup(func() { stopJobs(); <-done })
	var dist = fstest.MapFS{}
	if opt.web != nil {
		dist = opt.web
	}
	h := httpapi.NewServer(svc, keys, httpapi.Options{
		Logger: log, SecureCookies: true, RefreshTTL: 720 * time.Hour, Web: dist, Version: "test",
		AllowedOrigins: opt.origins, AppRoutes: web.Routes(), HSTSMaxAge: opt.hsts, TrustedProxies: opt.trusted,
		Mailboxes: mailbox.NewService(mailbox.Options{Store: st}), Captcha: opt.captcha, Requests: opt.requests,
		Limiter: lim, Limits: routeLimits, DeviceTTL: guard.DefaultDeviceTTL, DevMailbox: opt.devMailbox,
	})
	srv := httptest.NewUnstartedServer(h)
	client := http.DefaultClient
	if opt.tls {
		srv.StartTLS()
		client = srv.Client()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return &api{t: t, url: srv.URL, logs: logs, client: client, handler: h}
}

// reply is a response read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
	resp   *http.Response
}

func (r reply) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return m
}

// req sends one request. body is JSON-encoded unless it is a string (sent as is) or
// url.Values (sent as a form).
func (a *api) req(method, path string, body any, headers ...string) reply {
	a.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	r, err := http.NewRequest(method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.client.Do(r)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b, resp: resp}
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

type user struct {
	email, password string
	access, refresh string
}

// register makes an account and signs it in through the token endpoint.
func (a *api) register(email string) user {
	a.t.Helper()
	u := user{email: email, password: "violet-kayak-mercury-19"}
	if r := a.req("POST", "/api/auth/register", map[string]string{
		"email": email, "first_name": "Ada", "last_name": "Lovelace", "password": u.password,
	}); r.status != http.StatusCreated {
		a.t.Fatalf("register %s: got %d %s, want 201", email, r.status, r.body)
	}
	return a.login(u)
}

func (a *api) login(u user) user {
	a.t.Helper()
	r := a.req("POST", "/api/auth/token", url.Values{"username": {u.email}, "password": {u.password}})
	if r.status != http.StatusOK {
		a.t.Fatalf("sign in %s: got %d %s, want 200", u.email, r.status, r.body)
	}
	m := r.json()
	u.access, u.refresh = m["access_token"].(string), m["refresh_token"].(string)
	return u
}

// wantStatus fails unless r has status.
func wantStatus(t testing.TB, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("got %d %s, want %d", r.status, r.body, status)
	}
}

// wantJSON fails unless r's body is the JSON want (compared as values).
func wantJSON(t testing.TB, r reply, want string) {
	t.Helper()
	var got, exp any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", r.body, err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	g, _ := json.Marshal(got)
	e, _ := json.Marshal(exp)
	if !bytes.Equal(g, e) {
		t.Fatalf("got body %s, want %s", g, e)
	}
}
