package httpapi_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// HSTS goes out on every response to a request that came over HTTPS, ours or a trusted
// proxy's, and never over plain http or on an untrusted peer's say-so.
func TestAPI_HSTS(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	const year = "max-age=31536000"
	tests := []struct {
		name    string
		opt     apiOptions
		headers []string
		want    string
	}{
		{"TLS", apiOptions{tls: true, hsts: 8760 * time.Hour}, nil, year},
		{"TLS, another max-age", apiOptions{tls: true, hsts: 5 * time.Minute}, nil, "max-age=300"},
		{"TLS, turned off", apiOptions{tls: true}, nil, ""},
		{"plain http", apiOptions{hsts: 8760 * time.Hour}, nil, ""},
		{"trusted proxy says https", apiOptions{trusted: loopback, hsts: 8760 * time.Hour}, []string{"X-Forwarded-Proto", "https"}, year},
		{"trusted proxy says http", apiOptions{trusted: loopback, hsts: 8760 * time.Hour}, []string{"X-Forwarded-Proto", "http"}, ""},
		{"untrusted peer says https", apiOptions{hsts: 8760 * time.Hour}, []string{"X-Forwarded-Proto", "https"}, ""},
	}
	st := storetest.OpenSQLite(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAPI(t, st, tt.opt)
			for _, path := range []string{"/healthz", "/api/users/me", "/accounts"} {
				r := a.req("GET", path, nil, tt.headers...)
				if got := r.header.Get("Strict-Transport-Security"); got != tt.want {
					t.Errorf("%s: got Strict-Transport-Security %q, want %q", path, got, tt.want)
				}
			}
		})
	}
}
