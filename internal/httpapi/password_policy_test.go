package httpapi_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

const (
	strongPassword   = "violet-kayak-mercury-19"
	breachedPassword = "quizzical-otter-marmalade-71"
	listedPassword   = "Tr0ub4dor&3-Operator"
)

// rangeServer is a local Pwned Passwords range API (the real one is a third party): it
// answers /range/{prefix} with the suffixes of the breached passwords it holds, or with
// status when that is set (an outage).
type rangeServer struct {
	breached []string
	status   atomic.Int32
	queries  atomic.Int32
}

func (s *rangeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.queries.Add(1)
	if st := s.status.Load(); st != 0 {
		w.WriteHeader(int(st))
		return
	}
	prefix := strings.TrimPrefix(r.URL.Path, "/range/")
	for _, pw := range s.breached {
		sum := sha1.Sum([]byte(pw))
		if d := strings.ToUpper(hex.EncodeToString(sum[:])); d[:5] == prefix {
			fmt.Fprintf(w, "%s:42\r\n", d[5:])
		}
	}
	fmt.Fprint(w, "0123456789ABCDEF0123456789ABCDEF012:0\r\n") // padding
}

// strictPolicy is the default policy with an operator's blocklist (a real file) and the HIBP
// check at a local range server.
func strictPolicy(t *testing.T, failClosed bool) (*password.Policy, *rangeServer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "blocklist.txt")
	if err := os.WriteFile(path, []byte("hunter2-dragon-correct\r\n"+listedPassword+"\n\nanother-listed-one\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bl, err := password.LoadBlocklist(path)
	if err != nil {
		t.Fatal(err)
	}
	rs := &rangeServer{breached: []string{breachedPassword}}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	p := password.DefaultPolicy()
	p.Blocklist = bl
	p.Breached = &password.HIBP{BaseURL: srv.URL, FailClosed: failClosed}
	return &p, rs
}

// refusal is one expected 422 of a refused password.
type refusal struct {
	name, pw, typ string
	scored        bool // ctx is present
}

// refusals are the passwords the strict policy refuses for ada.lovelace@example.com, Ada
// Lovelace (the names every test account here has).
var refusals = []refusal{
	{"password", "password", password.TypeCommon, true},
	{"digits", "12345678", password.TypeCommon, true},
	{"article's example", "password123", password.TypeCommon, true},
	{"email's local part", "ada.lovelace", password.TypePersonal, true},
	{"name and year", "Lovelace1815", password.TypePersonal, true},
	{"blocklist, other case", strings.ToLower(listedPassword), password.TypeCommon, true},
	{"weak", "monkeybanana", password.TypeWeak, true},
	{"breached", breachedPassword, password.TypeBreached, false},
	{"too short", "Xk9#q2", password.TypeTooShort, false},
	{"over 72 bytes", strings.Repeat("€", 25), password.TypeTooLong, false},
}

// wantRefused fails unless r is the contract's 422 for tt at field.
func wantRefused(t *testing.T, r reply, field string, tt refusal) {
	t.Helper()
	wantStatus(t, r, http.StatusUnprocessableEntity)
	var body struct {
		Detail []map[string]json.RawMessage `json:"detail"`
		Code   string                       `json:"code"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || len(body.Detail) != 1 || body.Code != "invalid_input" {
		t.Fatalf("got %s, want one invalid_input item", r.body)
	}
	item := body.Detail[0]
	var loc []string
	var msg, typ string
	_ = json.Unmarshal(item["loc"], &loc)
	_ = json.Unmarshal(item["msg"], &msg)
	_ = json.Unmarshal(item["type"], &typ)
	if strings.Join(loc, ".") != "body."+field || typ != tt.typ || msg == "" {
		t.Fatalf("got loc %v type %q msg %q, want body.%s %s and a message", loc, typ, msg, field, tt.typ)
	}
	raw, has := item["ctx"]
	if has != tt.scored {
		t.Fatalf("ctx present: got %t, want %t (%s)", has, tt.scored, r.body)
	}
	if !has {
		if len(item) != 3 {
			t.Errorf("got keys of %s, want loc, msg and type", r.body)
		}
		return
	}
	var ctx struct {
		Score       *int      `json:"score"`
		Warning     *string   `json:"warning"`
		Suggestions *[]string `json:"suggestions"`
	}
	if err := json.Unmarshal(raw, &ctx); err != nil || ctx.Score == nil || ctx.Warning == nil || ctx.Suggestions == nil {
		t.Fatalf("got ctx %s, want score, warning and suggestions", raw)
	}
	if *ctx.Score < 0 || *ctx.Score > 4 {
		t.Errorf("got score %d, want 0–4", *ctx.Score)
	}
}

func TestAPI_PasswordPolicy_Register(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p, _ := strictPolicy(t, false)
		a := newAPI(t, st, apiOptions{policy: p})
		body := func(pw string) map[string]string {
			return map[string]string{"email": "ada.lovelace@example.com", "first_name": "Ada", "last_name": "Lovelace", "password": pw}
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				wantRefused(t, a.req("POST", "/api/auth/register", body(tt.pw)), "password", tt)
			})
		}
		wantStatus(t, a.req("POST", "/api/auth/register", body("correct lantern harbour oboe")), http.StatusCreated)
		var pws []string
		for _, tt := range refusals {
			pws = append(pws, tt.pw)
		}
		noSecrets(t, a, pws...)
	})
}

func TestAPI_PasswordPolicy_ChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p, _ := strictPolicy(t, false)
		a := newAPI(t, st, apiOptions{policy: p})
		u := a.register("ada.lovelace@example.com")
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				r := a.req("POST", "/api/users/me/password", map[string]string{"current_password": u.password, "new_password": tt.pw}, bearer(u.access)...)
				wantRefused(t, r, "new_password", tt)
			})
		}
		a.login(u) // unchanged
		wantStatus(t, a.req("POST", "/api/users/me/password", map[string]string{"current_password": u.password, "new_password": "correct lantern harbour oboe"}, bearer(u.access)...), http.StatusNoContent)
	})
}

func TestAPI_PasswordPolicy_ResetConfirm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p, _ := strictPolicy(t, false)
		f := newFlows(t, st, apiOptions{policy: p})
		u := f.register("ada.lovelace@example.com")
		wantStatus(t, f.req("POST", "/api/auth/password-reset", map[string]string{"email": u.email}), http.StatusAccepted)
		tok, code := secrets(t, f.last(2, u.email, "Reset your"), mail.PathResetPassword)
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				r := f.req("POST", "/api/auth/password-reset/confirm", map[string]string{"token": tok, "new_password": tt.pw})
				wantRefused(t, r, "new_password", tt)
			})
		}
		// One 422 lists every problem: the missing code and the password.
		r := f.req("POST", "/api/auth/password-reset/confirm", map[string]string{"email": u.email, "new_password": "password"})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if m := string(r.body); !strings.Contains(m, `"loc":["body","code"]`) || !strings.Contains(m, `"loc":["body","new_password"]`) || !strings.Contains(m, password.TypeCommon) {
			t.Errorf("an invalid code and a common password: got %s, want both listed", r.body)
		}
		// A common password is refused before the code is tried, so refusals spend none of
		// its tries: the code still works after more of them than it has tries.
		for range auth.MaxCodeAttempts + 1 {
			wantRefused(t, f.req("POST", "/api/auth/password-reset/confirm", map[string]string{"email": u.email, "code": code, "new_password": "password"}),
				"new_password", refusals[0])
		}
		wantStatus(t, f.req("POST", "/api/auth/password-reset/confirm", map[string]string{"email": u.email, "code": code, "new_password": "correct lantern harbour oboe"}), http.StatusOK)
		f.login(user{email: u.email, password: "correct lantern harbour oboe"})
	})
}

// A password the policy would now refuse still signs in, and the answer says why it should
// change; a strong one says it need not; a refresh says nothing of it.
func TestAPI_PasswordPolicy_SignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		lenient := password.DefaultPolicy()
		lenient.MinScore = 0
		old := newAPI(t, st, apiOptions{policy: &lenient})
		wantStatus(t, old.req("POST", "/api/auth/register", map[string]string{
			"email": "weak@example.com", "first_name": "Ada", "last_name": "Lovelace", "password": "monkeybanana",
		}), http.StatusCreated)
		p, _ := strictPolicy(t, false)
		a := newAPI(t, st, apiOptions{policy: p})
		a.register("strong@example.com")

		form := func(email, pw string) url.Values { return url.Values{"username": {email}, "password": {pw}} }
		for _, path := range []string{"/api/auth/token", "/api/auth/session"} {
			r := a.req("POST", path, form("weak@example.com", "monkeybanana"))
			wantStatus(t, r, http.StatusOK)
			if m := r.json(); m["password_change_required"] != true || m["password_change_reason"] != password.TypeWeak {
				t.Errorf("%s with a weak password: got %s, want password_change_required true, reason %s", path, r.body, password.TypeWeak)
			}
			r = a.req("POST", path, form("strong@example.com", strongPassword))
			wantStatus(t, r, http.StatusOK)
			if m := r.json(); m["password_change_required"] != false || m["password_change_reason"] != nil {
				t.Errorf("%s with a strong password: got %s, want password_change_required false, no reason", path, r.body)
			}
		}
		u := a.login(user{email: "weak@example.com", password: "monkeybanana"})
		r := a.req("POST", "/api/auth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {u.refresh}})
		wantStatus(t, r, http.StatusOK)
		if _, ok := r.json()["password_change_required"]; ok {
			t.Errorf("refresh: got %s, want no password_change_required", r.body)
		}
		noSecrets(t, a, "monkeybanana", strongPassword)
	})
}

func TestAPI_PasswordPolicy_BreachCheckDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		body := func(email, pw string) map[string]string {
			return map[string]string{"email": email, "first_name": "Ada", "last_name": "Lovelace", "password": pw}
		}
		t.Run("FailOpen", func(t *testing.T) {
			p, rs := strictPolicy(t, false)
			a := newAPI(t, st, apiOptions{policy: p})
			rs.status.Store(http.StatusServiceUnavailable)
			// Unanswered, the check lets the password through; the offline checks still hold.
			wantStatus(t, a.req("POST", "/api/auth/register", body("open@example.com", breachedPassword)), http.StatusCreated)
			wantRefused(t, a.req("POST", "/api/auth/register", body("open2@example.com", "password")), "password", refusals[0])
		})
		t.Run("FailClosed", func(t *testing.T) {
			p, rs := strictPolicy(t, true)
			a := newAPI(t, st, apiOptions{policy: p})
			a.register("closed@example.com")
			rs.status.Store(http.StatusServiceUnavailable)
			r := a.req("POST", "/api/auth/register", body("closed2@example.com", strongPassword))
			wantCode(t, r, http.StatusServiceUnavailable, "breach_check_unavailable")
			if got := r.header.Get("Retry-After"); got != "5" {
				t.Errorf("Retry-After: got %q, want 5", got)
			}
			u := a.login(user{email: "closed@example.com", password: strongPassword}) // sign-in is never refused
			wantCode(t, a.req("POST", "/api/users/me/password", map[string]string{"current_password": u.password, "new_password": "correct lantern harbour oboe"}, bearer(u.access)...),
				http.StatusServiceUnavailable, "breach_check_unavailable")
			a.login(u) // unchanged
			rs.status.Store(0)
			wantStatus(t, a.req("POST", "/api/auth/register", body("closed2@example.com", strongPassword)), http.StatusCreated)
			noSecrets(t, a, strongPassword)
		})
	})
}

func TestAPI_PasswordPolicy_Endpoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newAPI(t, st, apiOptions{}).req("GET", "/api/auth/password-policy", nil)
		wantStatus(t, r, http.StatusOK)
		wantJSON(t, r, `{"min_length": 8, "max_bytes": 72, "min_score": 3, "max_scored_chars": 64, "breach_check": "off", "blocklist": false}`)
		if got := r.header.Get("Cache-Control"); got != "public, max-age=60" {
			t.Errorf("Cache-Control: got %q, want public, max-age=60", got)
		}
		p, _ := strictPolicy(t, true)
		p.MinLength, p.MinScore = 15, 4
		r = newAPI(t, st, apiOptions{policy: p}).req("GET", "/api/auth/password-policy", nil)
		wantJSON(t, r, `{"min_length": 15, "max_bytes": 72, "min_score": 4, "max_scored_chars": 64, "breach_check": "hibp", "blocklist": true}`)
	})
}
