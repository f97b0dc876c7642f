package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/web"
)

func TestWeb(t *testing.T) {
	dist := fstest.MapFS{
		"index.html":               {Data: []byte("<!doctype html><title>app</title>")},
		"assets/index-abc123.js":   {Data: []byte("console.log(1)")},
		"favicon.svg":              {Data: []byte("<svg/>")},
		"docs/index.html":          {Data: []byte("<!doctype html><title>docs</title>")},
		"docs/swagger-ui.css":      {Data: []byte("body{}")},
		"docs/swagger-initializer": {Data: []byte("x")},
	}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{web: dist})

	tests := []struct {
		name, method, path string
		status             int
		body, cache, csp   string
	}{
		{"root", "GET", "/", 200, "<title>app</title>", "no-cache", "script-src 'self';"},
		{"client route", "GET", "/accounts", 200, "<title>app</title>", "no-cache", "script-src 'self';"},
		{"nested client route", "GET", "/auth/register", 200, "<title>app</title>", "no-cache", "frame-ancestors 'none'"},
		{"hashed asset", "GET", "/assets/index-abc123.js", 200, "console.log(1)", "public, max-age=31536000, immutable", ""},
		{"other file", "GET", "/favicon.svg", 200, "<svg/>", "no-cache", ""},
		{"missing asset", "GET", "/assets/nope.js", 404, `"Not Found"`, "", ""},
		{"docs", "GET", "/docs/", 200, "<title>docs</title>", "", "style-src 'self' 'unsafe-inline'"},
		{"docs asset", "GET", "/docs/swagger-ui.css", 200, "body{}", "", ""},
		{"docs by its file name", "GET", "/docs/index.html", 200, "<title>docs</title>", "", "style-src 'self' 'unsafe-inline'"},
		{"client route, trailing slash", "GET", "/accounts/", 200, "<title>app</title>", "no-cache", ""},
		{"sign-in page", "GET", "/auth/login", 200, "<title>app</title>", "no-cache", ""},
		{"unknown page: the shell, 404", "GET", "/nope", 404, "<title>app</title>", "no-cache", "script-src 'self';"},
		{"unknown nested page", "GET", "/accounts/nope", 404, "<title>app</title>", "no-cache", ""},
		{"unknown docs page", "GET", "/docs/nope", 404, "<title>app</title>", "no-cache", "style-src 'self';"},
		{"unknown page, HEAD", "HEAD", "/nope", 404, "", "", ""},
		{"unknown API path", "GET", "/api/nope", 404, `{"detail":"Not Found","code":"not_found"}`, "no-store", ""},
		{"unknown well-known", "GET", "/.well-known/nope", 404, `"Not Found"`, "", ""},
		{"POST to a page", "POST", "/accounts", 405, `"Method Not Allowed"`, "", ""},
		{"wrong method on the API", "GET", "/api/auth/register", 405, `{"detail":"Method Not Allowed","code":"method_not_allowed"}`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := a.req(tt.method, tt.path, nil)
			wantStatus(t, r, tt.status)
			if !strings.Contains(string(r.body), tt.body) {
				t.Errorf("got body %q, want it to contain %q", r.body, tt.body)
			}
			if tt.cache != "" && r.header.Get("Cache-Control") != tt.cache {
				t.Errorf("got Cache-Control %q, want %q", r.header.Get("Cache-Control"), tt.cache)
			}
			if tt.csp != "" && !strings.Contains(r.header.Get("Content-Security-Policy"), tt.csp) {
				t.Errorf("got CSP %q, want it to contain %q", r.header.Get("Content-Security-Policy"), tt.csp)
			}
			if r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("X-Content-Type-Options: nosniff missing")
			}
		})
	}

	t.Run("redirects", func(t *testing.T) {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, tt := range []struct{ from, to string }{
			{"/docs", "/docs/"},
			{"/register", "/auth/register"},
			{"/register/", "/auth/register"},
			{"/login", "/auth/login"},
			{"/login?next=%2Faccounts&x=1", "/auth/login?next=%2Faccounts&x=1"},
		} {
			resp, err := c.Get(a.url + tt.from)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != tt.to {
				t.Errorf("%s: got %d to %q, want 301 to %s", tt.from, resp.StatusCode, resp.Header.Get("Location"), tt.to)
			}
		}
	})

	// Every path the web app routes is a page: the list and the server agree.
	for _, p := range web.Routes() {
		if r := a.req("GET", p, nil); r.status != http.StatusOK || !strings.Contains(string(r.body), "<title>app</title>") {
			t.Errorf("%s: got %d %q, want 200 and the shell", p, r.status, r.body)
		}
	}
}

func TestWeb_Gzip(t *testing.T) {
	js := strings.Repeat("console.log('gatehouse');\n", 200)
	dist := fstest.MapFS{
		"index.html":          {Data: []byte("<!doctype html><title>app</title>")},
		"assets/index-abc.js": {Data: []byte(js)},
		"favicon.png":         {Data: []byte("\x89PNG")},
	}
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{web: dist})
	for _, tt := range []struct {
		path, accept, wantEncoding string
	}{
		{"/assets/index-abc.js", "gzip, br", "gzip"},
		{"/assets/index-abc.js", "br;q=1, gzip;q=0", ""},
		{"/assets/index-abc.js", "", ""},
		{"/accounts", "gzip", "gzip"},
		{"/favicon.png", "gzip", ""},
	} {
		r := a.req("GET", tt.path, nil, "Accept-Encoding", tt.accept)
		wantStatus(t, r, http.StatusOK)
		if got := r.header.Get("Content-Encoding"); got != tt.wantEncoding {
			t.Errorf("%s with Accept-Encoding %q: got Content-Encoding %q, want %q", tt.path, tt.accept, got, tt.wantEncoding)
		}
		if tt.wantEncoding == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			if tt.path == "/assets/index-abc.js" && (string(plain) != js || len(r.body) >= len(js)/3) {
				t.Errorf("got %d gzip bytes that inflate to %d, want the %d-byte file, shrunk", len(r.body), len(plain), len(js))
			}
		}
	}
}

func TestWeb_NotBuilt(t *testing.T) {
	a := newAPI(t, storetest.OpenSQLite(t), apiOptions{})
	for _, p := range []string{"/accounts", "/nope"} {
		r := a.req("GET", p, nil)
		wantStatus(t, r, http.StatusServiceUnavailable)
		if !strings.Contains(string(r.body), "make build") {
			t.Errorf("got %q, want the page to say: run make build", r.body)
		}
	}
	// The API works all the same.
	wantStatus(t, a.req("GET", "/healthz", nil), http.StatusOK)
}
