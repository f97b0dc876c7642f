package captcha_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/captcha"
)

// siteverify is a local stand-in for a vendor's siteverify endpoint, as Cloudflare and
// hCaptcha document it: a form with secret, response and remoteip; each token valid once.
type siteverify struct {
	secret string
	mu     sync.Mutex
	tokens map[string]string // token → action; removed once verified
	got    []map[string]string
	status int // when non-zero, answered instead
}

func (s *siteverify) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.status != 0 {
		w.WriteHeader(s.status)
		return
	}
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, map[string]string{"secret": r.PostForm.Get("secret"), "response": r.PostForm.Get("response"),
		"remoteip": r.PostForm.Get("remoteip"), "sitekey": r.PostForm.Get("sitekey")})
	out := map[string]any{"success": false, "error-codes": []string{"invalid-input-response"}}
	switch action, ok := s.tokens[r.PostForm.Get("response")]; {
	case r.PostForm.Get("secret") != s.secret:
		out["error-codes"] = []string{"invalid-input-secret"}
	case ok:
		delete(s.tokens, r.PostForm.Get("response"))
		out = map[string]any{"success": true, "action": action, "hostname": "gatehouse.test"}
	}
	_ = json.NewEncoder(w).Encode(out)
}

func TestVendor_Verify(t *testing.T) {
	ctx := context.Background()
	ip := netip.MustParseAddr("203.0.113.7")
	for _, provider := range []string{captcha.ProviderTurnstile, captcha.ProviderHCaptcha} {
		t.Run(provider, func(t *testing.T) {
			sv := &siteverify{secret: "s3cret", tokens: map[string]string{"tok-1": "", "tok-2": "sign_in"}}
			srv := httptest.NewServer(sv)
			defer srv.Close()
			v, err := captcha.NewVendor(captcha.VendorOptions{Provider: provider, SiteKey: "site", Secret: "s3cret", VerifyURL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Verify(ctx, captcha.ActionRegister, "tok-1", ip); err != nil {
				t.Fatalf("a fresh token: got %v, want accepted", err)
			}
			got := sv.got[0]
			if got["secret"] != "s3cret" || got["response"] != "tok-1" || got["remoteip"] != "203.0.113.7" {
				t.Errorf("siteverify got %v, want the secret, the token and the client's IP", got)
			}
			if wantKey := provider == captcha.ProviderHCaptcha; (got["sitekey"] == "site") != wantKey {
				t.Errorf("siteverify got sitekey %q; hCaptcha sends it, Turnstile does not", got["sitekey"])
			}
			if err := v.Verify(ctx, captcha.ActionRegister, "tok-1", ip); !errors.Is(err, captcha.ErrInvalid) {
				t.Errorf("a used token: got %v, want captcha_invalid", err)
			}
			if err := v.Verify(ctx, captcha.ActionRegister, "tok-2", ip); !errors.Is(err, captcha.ErrInvalid) {
				t.Errorf("a token for another action: got %v, want captcha_invalid", err)
			}
			if err := v.Verify(ctx, captcha.ActionRegister, "", ip); !errors.Is(err, captcha.ErrInvalid) {
				t.Errorf("an empty token: got %v, want captcha_invalid", err)
			}
			sv.status = http.StatusInternalServerError
			if err := v.Verify(ctx, captcha.ActionRegister, "tok-3", ip); !errors.Is(err, captcha.ErrUnavailable) {
				t.Errorf("siteverify failing: got %v, want captcha_unavailable", err)
			}
			srv.Close()
			if err := v.Verify(ctx, captcha.ActionRegister, "tok-3", ip); !errors.Is(err, captcha.ErrUnavailable) {
				t.Errorf("siteverify gone: got %v, want captcha_unavailable", err)
			}
		})
	}
}
