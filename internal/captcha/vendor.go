package captcha

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// The vendors' siteverify endpoints, used unless VendorOptions.VerifyURL says otherwise.
const (
	TurnstileVerifyURL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"
	HCaptchaVerifyURL  = "https://api.hcaptcha.com/siteverify"
)

// maxToken bounds a vendor token: Turnstile documents 2048 characters at most.
const maxToken = 2048

// Vendor checks Turnstile or hCaptcha tokens server-side against the vendor's siteverify
// endpoint. The vendor makes each token single-use and expires it after 300 s; Gatehouse
// keeps no state for them.
type Vendor struct {
	provider, siteKey, secret, url string
	client                         *http.Client
}

// VendorOptions configures a Vendor.
type VendorOptions struct {
	// Provider is ProviderTurnstile or ProviderHCaptcha.
	Provider string
	// SiteKey is the public key the widget uses; Secret the server's key for siteverify.
	SiteKey, Secret string
	// VerifyURL replaces the vendor's siteverify URL (tests point it at a local server).
	VerifyURL string
	// Client sends the siteverify requests; nil means a client with a 5 s timeout.
	Client *http.Client
}

// NewVendor returns a Vendor.
func NewVendor(o VendorOptions) (*Vendor, error) {
	def := map[string]string{ProviderTurnstile: TurnstileVerifyURL, ProviderHCaptcha: HCaptchaVerifyURL}[o.Provider]
	if def == "" {
		return nil, fmt.Errorf("captcha: %q is not a vendor (turnstile or hcaptcha)", o.Provider)
	}
	if o.SiteKey == "" || o.Secret == "" {
		return nil, fmt.Errorf("captcha: %s needs a site key and a secret", o.Provider)
	}
	if o.VerifyURL == "" {
		o.VerifyURL = def
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 5 * time.Second}
	}
	return &Vendor{provider: o.Provider, siteKey: o.SiteKey, secret: o.Secret, url: o.VerifyURL, client: o.Client}, nil
}

// siteverifyResponse is what both vendors answer (fields we do not read are left out).
type siteverifyResponse struct {
	Success    bool     `json:"success"`
	ErrorCodes []string `json:"error-codes"`
	// Action is the widget's data-action (Turnstile only); checked when present.
	Action string `json:"action"`
}

// Verify asks the vendor whether token is a fresh, genuine solution, sending the secret, the
// token and the client's IP. A refusal is ErrInvalid; a vendor that does not answer well is
// ErrUnavailable (never a pass: the request is refused).
func (v *Vendor) Verify(ctx context.Context, action Action, token string, ip netip.Addr) error {
	if token == "" || len(token) > maxToken {
		return ErrInvalid
	}
	form := url.Values{"secret": {v.secret}, "response": {token}}
	if ip.IsValid() {
		form.Set("remoteip", ip.String())
	}
	if v.provider == ProviderHCaptcha {
		form.Set("sitekey", v.siteKey)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, v.url, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("siteverify: %w", errors.Join(ErrUnavailable, err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := v.client.Do(req)
	if err != nil {
		// The URL error names the endpoint, never the form, so the secret stays out of logs.
		return fmt.Errorf("siteverify: %w", errors.Join(ErrUnavailable, err))
	}
	defer resp.Body.Close()
	var out siteverifyResponse
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("siteverify: %w", errors.Join(ErrUnavailable, fmt.Errorf("status %d", resp.StatusCode)))
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&out); err != nil {
		return fmt.Errorf("siteverify: %w", errors.Join(ErrUnavailable, err))
	}
	if !out.Success || out.Action != "" && out.Action != string(action) {
		return ErrInvalid
	}
	return nil
}

// origins are the vendors' origins the page must be allowed to load scripts, frames, styles
// and connections from, as each vendor documents for its Content-Security-Policy.
var origins = map[string][]string{
	ProviderTurnstile: {"https://challenges.cloudflare.com"},
	ProviderHCaptcha:  {"https://hcaptcha.com", "https://*.hcaptcha.com"},
}
