package httpapi_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// powGate is the gate serve builds for GATEHOUSE_CAPTCHA=pow: the key from st, used
// challenges in replays (st's table when nil).
func powGate(t testing.TB, st *store.Store, replays captcha.Replays, sig captcha.Signals, always bool) *captcha.Gate {
	t.Helper()
	key, err := st.CaptchaKey(context.Background(), func() ([]byte, error) {
		k := make([]byte, captcha.KeySize)
		_, err := rand.Read(k)
		return k, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if replays == nil {
		replays = captcha.ReplaysFunc(st.SpendCaptcha)
	}
	p, err := captcha.NewPoW(captcha.PoWOptions{Key: key, Replays: replays})
	if err != nil {
		t.Fatal(err)
	}
	g, err := captcha.NewGate(captcha.GateOptions{Provider: captcha.ProviderPoW, PoW: p, Signals: sig, RegisterAlways: always})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// solve fetches a challenge for action from the server and solves it, as a client does.
func (a *api) solve(action string) string {
	a.t.Helper()
	r := a.req("GET", "/api/auth/captcha?action="+action, nil)
	if r.status != http.StatusOK {
		a.t.Fatalf("challenge: got %d %s", r.status, r.body)
	}
	var c captcha.Challenge
	if err := json.Unmarshal(r.body, &c); err != nil {
		a.t.Fatal(err)
	}
	s, err := captcha.Solve(context.Background(), c)
	if err != nil {
		a.t.Fatal(err)
	}
	return s.Encode()
}

// countingHasher is bcrypt that counts every hash and verify.
type countingHasher struct {
	*password.Bcrypt
	n *atomic.Int32
}

func (h countingHasher) Hash(pw string) (string, error) { h.n.Add(1); return h.Bcrypt.Hash(pw) }
func (h countingHasher) Verify(hash, pw string) (bool, error) {
	h.n.Add(1)
	return h.Bcrypt.Verify(hash, pw)
}

func newCountingHasher(t *testing.T) countingHasher {
	bc, err := password.NewBcrypt(testCost)
	if err != nil {
		t.Fatal(err)
	}
	return countingHasher{Bcrypt: bc, n: &atomic.Int32{}}
}

// pressure is a hand-written signal source standing in for the rate limiter.
type pressure struct {
	mu       sync.Mutex
	required bool
	account  string // when set, only this account's sign-ins are under attack
	level    captcha.Level
}

func (p *pressure) Pressure(_ context.Context, s captcha.Subject) captcha.Pressure {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.account != "" && s.Account != p.account {
		return captcha.Pressure{}
	}
	return captcha.Pressure{Required: p.required, Level: p.level}
}

func (p *pressure) set(required bool, account string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.required, p.account = required, account
}

func registerBody(email, solution string) map[string]string {
	b := map[string]string{"email": email, "first_name": "Ada", "last_name": "Lovelace", "password": "violet-kayak-mercury-19"}
	if solution != "" {
		b["captcha"] = solution
	}
	return b
}

func TestCaptcha_Challenge(t *testing.T) {
	st := storetest.OpenSQLite(t)
	a := newAPI(t, st, apiOptions{captcha: powGate(t, st, nil, nil, false)})
	r := a.req("GET", "/api/auth/captcha?action=register", nil)
	wantStatus(t, r, http.StatusOK)
	m := r.json()
	for _, k := range []string{"algorithm", "challenge", "maxnumber", "salt", "signature"} {
		if m[k] == nil {
			t.Errorf("challenge %s lacks %q, which the ALTCHA widget reads", r.body, k)
		}
	}
	if len(m) != 5 || m["algorithm"] != "SHA-256" || !strings.Contains(m["salt"].(string), "action=register") {
		t.Errorf("got %s, want exactly the five ALTCHA fields, SHA-256, bound to register", r.body)
	}
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("got Cache-Control %q, want no-store", got)
	}
	for _, q := range []string{"?action=delete_everything", "", "?action=REGISTER"} {
		r := a.req("GET", "/api/auth/captcha"+q, nil)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		wantJSON(t, r, `{"detail":[{"loc":["query","action"],"msg":"value is not one of register, sign_in, password_reset","type":"type_error.enum"}],"code":"invalid_input"}`)
	}

	off := newAPI(t, storetest.OpenSQLite(t), apiOptions{})
	wantStatus(t, off.req("GET", "/api/auth/captcha?action=register", nil), http.StatusNotFound)
}

// GATEHOUSE_CAPTCHA_REGISTER=always: registering needs a solved challenge, accepted once; every
// refusal comes before any password is hashed.
func TestCaptcha_RegisterAlways(t *testing.T) {
	storetest.Each(t, testRegisterAlways)
}

func testRegisterAlways(t *testing.T, st *store.Store) {
	h := newCountingHasher(t)
	a := newAPI(t, st, apiOptions{hasher: h, captcha: powGate(t, st, nil, nil, true)})
	before := h.n.Load() // the service hashes a dummy password at start

	r := a.req("POST", "/api/auth/register", registerBody("ada@example.com", ""))
	wantStatus(t, r, http.StatusForbidden)
	wantJSON(t, r, `{"detail":"A CAPTCHA is required: get a challenge from /api/auth/captcha?action=register, solve it and send the solution in the captcha field","code":"captcha_required"}`)

	signIn := a.solve("sign_in")
	tampered := []byte(a.solve("register"))
	tampered[len(tampered)/2] ^= 1
	for name, sol := range map[string]string{"wrong action": signIn, "tampered": string(tampered), "garbage": "AAAA"} {
		r := a.req("POST", "/api/auth/register", registerBody("ada@example.com", sol))
		wantStatus(t, r, http.StatusForbidden)
		if r.json()["code"] != "captcha_invalid" {
			t.Errorf("%s: got %s, want captcha_invalid", name, r.body)
		}
	}
	// A flood of bad solutions costs no hashing at all.
	for range 50 {
		a.req("POST", "/api/auth/register", registerBody("ada@example.com", "AAAA"))
	}
	if n := h.n.Load() - before; n != 0 {
		t.Fatalf("refused registrations hashed %d times, want 0", n)
	}

	sol := a.solve("register")
	wantStatus(t, a.req("POST", "/api/auth/register", registerBody("ada@example.com", sol)), http.StatusCreated)
	r = a.req("POST", "/api/auth/register", registerBody("bob@example.com", sol))
	wantStatus(t, r, http.StatusForbidden)
	if r.json()["code"] != "captcha_invalid" {
		t.Fatalf("replay: got %s, want captcha_invalid", r.body)
	}
	// Sign-in follows the signals, which say nothing: no field needed.
	a.login(user{email: "ada@example.com", password: "violet-kayak-mercury-19"})
}

// The signals decide: below the thresholds clients register and sign in as before; once they
// say so, the token endpoint and the browser sign-in ask for a challenge (for the attacked
// account only), and refreshing never does.
func TestCaptcha_SignInUnderPressure(t *testing.T) {
	st := storetest.OpenSQLite(t)
	sig := &pressure{}
	h := newCountingHasher(t)
	a := newAPI(t, st, apiOptions{hasher: h, captcha: powGate(t, st, nil, sig, false)})
	u := a.register("ada@example.com") // no captcha field, no pressure
	a.register("bob@example.com")

	sig.set(true, "ada@example.com")
	before := h.n.Load()
	form := url.Values{"username": {"Ada@Example.com"}, "password": {"violet-kayak-mercury-19"}}
	for _, path := range []string{"/api/auth/token", "/api/auth/session"} {
		r := a.req("POST", path, form)
		wantStatus(t, r, http.StatusForbidden)
		if !strings.Contains(string(r.body), `"code":"captcha_required"`) || !strings.Contains(string(r.body), "action=sign_in") {
			t.Errorf("%s: got %s, want captcha_required naming the sign_in challenge", path, r.body)
		}
	}
	if h.n.Load() != before {
		t.Fatal("a sign-in refused for its missing CAPTCHA verified a password")
	}
	for _, path := range []string{"/api/auth/token", "/api/auth/session"} {
		f := url.Values{"username": form["username"], "password": form["password"], "captcha": {a.solve("sign_in")}}
		wantStatus(t, a.req("POST", path, f), http.StatusOK)
	}
	// Another account is not under attack.
	a.login(user{email: "bob@example.com", password: "violet-kayak-mercury-19"})
	// Refreshing proves a refresh token, not a password guess.
	sig.set(true, "")
	wantStatus(t, a.req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {u.refresh}}), http.StatusOK)
	wantStatus(t, a.req("POST", "/api/auth/register", registerBody("eve@example.com", "")), http.StatusForbidden)
	wantStatus(t, a.req("POST", "/api/auth/register", registerBody("eve@example.com", a.solve("register"))), http.StatusCreated)
}

// A solution used on one server is refused by another sharing the Redis (and the database).
func TestCaptcha_ReplayAcrossServers(t *testing.T) {
	rurl := os.Getenv("TEST_REDIS_URL")
	if rurl == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_REDIS_URL is not set; CI requires Redis")
		}
		t.Skip("TEST_REDIS_URL is not set")
	}
	prefix := "gatehouse-test:httpapi-captcha:" + rand.Text() + ":"
	dbURL := storetest.SQLiteURL(t)
	servers := make([]*api, 2)
	for i := range servers {
		opts, err := redis.ParseURL(rurl)
		if err != nil {
			t.Fatal(err)
		}
		client := redis.NewClient(opts)
		t.Cleanup(func() { client.Close() })
		st, err := store.Open(context.Background(), dbURL, storetest.Secrets())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		// The database's table is not asked: Redis alone must refuse the replay.
		replays := captcha.NewRedisReplays(client, prefix, nil)
		servers[i] = newAPI(t, st, apiOptions{captcha: powGate(t, st, replays, nil, true)})
	}
	sol := servers[0].solve("register")
	wantStatus(t, servers[0].req("POST", "/api/auth/register", registerBody("ada@example.com", sol)), http.StatusCreated)
	r := servers[1].req("POST", "/api/auth/register", registerBody("bob@example.com", sol))
	wantStatus(t, r, http.StatusForbidden)
	if r.json()["code"] != "captcha_invalid" {
		t.Fatalf("replay on the second server: got %s, want captcha_invalid", r.body)
	}
	// The second server accepts its own fresh solutions: the key is shared.
	wantStatus(t, servers[1].req("POST", "/api/auth/register", registerBody("bob@example.com", servers[0].solve("register"))), http.StatusCreated)
}

// The page's CSP names a vendor's origin only when that vendor is enabled.
func TestCaptcha_CSP(t *testing.T) {
	st := storetest.OpenSQLite(t)
	v, err := captcha.NewVendor(captcha.VendorOptions{Provider: captcha.ProviderTurnstile, SiteKey: "site", Secret: "s", VerifyURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	turnstile, err := captcha.NewGate(captcha.GateOptions{Provider: captcha.ProviderTurnstile, Vendor: v})
	if err != nil {
		t.Fatal(err)
	}
	const strict = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	for name, tc := range map[string]struct {
		gate *captcha.Gate
		want string
	}{
		"pow": {powGate(t, st, nil, nil, false), strict},
		"off": {nil, strict},
		"turnstile": {turnstile, "default-src 'self'; script-src 'self' https://challenges.cloudflare.com; " +
			"style-src 'self' https://challenges.cloudflare.com; img-src 'self' data:; font-src 'self'; " +
			"connect-src 'self' https://challenges.cloudflare.com; worker-src 'self'; frame-src 'self' https://challenges.cloudflare.com; " +
			"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
	} {
		t.Run(name, func(t *testing.T) {
			a := newAPI(t, st, apiOptions{captcha: tc.gate})
			r := a.req("GET", "/auth/register", nil)
			if got := r.header.Get("Content-Security-Policy"); got != tc.want {
				t.Errorf("got CSP\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	a := newAPI(t, st, apiOptions{captcha: turnstile})
	wantJSON(t, a.req("GET", "/api/auth/captcha?action=register", nil), `{"provider":"turnstile","site_key":"site"}`)
}

// With Turnstile, the widget's token in the captcha field is checked against siteverify (a
// local stand-in here) with the secret and the client's IP, and works once.
func TestCaptcha_Turnstile(t *testing.T) {
	var mu sync.Mutex
	tokens := map[string]bool{"tok-1": true}
	var got url.Values
	sv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		got = r.PostForm
		ok := r.PostForm.Get("secret") == "s3cret" && tokens[r.PostForm.Get("response")]
		delete(tokens, r.PostForm.Get("response"))
		_ = json.NewEncoder(w).Encode(map[string]any{"success": ok})
	}))
	defer sv.Close()
	v, err := captcha.NewVendor(captcha.VendorOptions{Provider: captcha.ProviderTurnstile, SiteKey: "site", Secret: "s3cret", VerifyURL: sv.URL})
	if err != nil {
		t.Fatal(err)
	}
	g, err := captcha.NewGate(captcha.GateOptions{Provider: captcha.ProviderTurnstile, Vendor: v, RegisterAlways: true})
	if err != nil {
		t.Fatal(err)
	}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{captcha: g})
	wantStatus(t, a.req("POST", "/api/auth/register", registerBody("ada@example.com", "")), http.StatusForbidden)
	wantStatus(t, a.req("POST", "/api/auth/register", registerBody("ada@example.com", "tok-1")), http.StatusCreated)
	if got.Get("response") != "tok-1" || got.Get("remoteip") != "127.0.0.1" {
		t.Errorf("siteverify got %v, want the token and the client's IP", got)
	}
	r := a.req("POST", "/api/auth/register", registerBody("bob@example.com", "tok-1"))
	wantStatus(t, r, http.StatusForbidden)
	if r.json()["code"] != "captcha_invalid" {
		t.Fatalf("a used token: got %s, want captcha_invalid", r.body)
	}
	sv.Close()
	r = a.req("POST", "/api/auth/register", registerBody("bob@example.com", "tok-2"))
	wantStatus(t, r, http.StatusServiceUnavailable)
	if r.json()["code"] != "captcha_unavailable" || r.header.Get("Retry-After") == "" {
		t.Fatalf("siteverify down: got %d %s, want 503 captcha_unavailable with Retry-After", r.status, r.body)
	}
}
