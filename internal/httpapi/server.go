// Package httpapi is Gatehouse's HTTP edge: it decodes requests, calls one auth.Service method
// and encodes the answer in the FastAPI shapes the article's front end expects. Rules live in
// internal/auth; this package only translates.
package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Options configures the server.
type Options struct {
	Logger *slog.Logger
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// SecureCookies marks the refresh cookie Secure (and names it __Secure-…). Browsers accept
	// Secure cookies from http://localhost, so only plain-http deployments elsewhere turn it off.
	SecureCookies bool
	// HSTSMaxAge is the Strict-Transport-Security max-age of responses to requests that came
	// over HTTPS; 0 sends none.
	HSTSMaxAge time.Duration
	// RefreshTTL is the refresh cookie's lifetime.
	RefreshTTL time.Duration
	// AllowedOrigins may call the API from the browser besides the server's own origin (CORS
	// with credentials), e.g. a front end on "https://app.example.com". The refresh cookie is
	// SameSite=Strict, so only same-site origins can use the cookie endpoints.
	AllowedOrigins []string
	// Mailboxes serves /api/email-accounts; it is required.
	Mailboxes *mailbox.Service
	// Web is the built web app (web.Dist()); without index.html a "not built" page is served.
	Web fs.FS
	// AppRoutes are the page paths the web app routes (web.Routes()): they get its shell with
	// 200, and every other page path gets the shell with 404.
	AppRoutes []string
	// DevMailbox, when set, is served at /dev/mailbox to loopback clients (see devmailbox.go).
	DevMailbox *mail.DevMailbox
	// Version is reported by /healthz.
	Version string
}

type server struct {
	svc  *auth.Service
	keys *token.Keyring
	opts Options
	log  *slog.Logger
	spec []byte
	// gzipCache holds each web file's gzip once made (name → []byte): the embedded files
	// never change while the binary runs, so each is compressed once, at its first request.
	gzipCache sync.Map
}

// NewServer returns the whole HTTP surface: the API, its OpenAPI document and docs page, the
// JWKS, health checks and the web app.
func NewServer(svc *auth.Service, keys *token.Keyring, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &server{svc: svc, keys: keys, opts: opts, log: opts.Logger}
	routes := s.routes()
	s.spec = mustSpec(routes, opts.Version)

	mux := http.NewServeMux()
	byPath := map[string][]route{}
	var paths []string
	for _, rt := range routes {
		if byPath[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		byPath[rt.path] = append(byPath[rt.path], rt)
	}
	for _, p := range paths {
		mux.Handle(p, s.methods(byPath[p]))
	}
	if opts.DevMailbox != nil {
		mux.Handle("GET /dev/mailbox", s.devMailbox(opts.DevMailbox))
		mux.Handle("GET /dev/mailbox/{id}", s.devMailbox(opts.DevMailbox))
	}
	mux.Handle("/", s.web())
	return logRequests(s.log, secureHeaders(s.hsts(cors(opts.AllowedOrigins, mux))))
}

// methods dispatches one path's routes by method, answering others with FastAPI's 405.
func (s *server) methods(routes []route) http.Handler {
	allow := make([]string, len(routes))
	chains := make([]handlerFunc, len(routes))
	for i, rt := range routes {
		allow[i] = rt.method
		chains[i] = s.chain(rt)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i, rt := range routes {
			if r.Method == rt.method || r.Method == http.MethodHead && rt.method == http.MethodGet {
				s.serve(w, r, chains[i])
				return
			}
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, r, s.log, errMethodNotAllowed)
	})
}

func (s *server) serve(w http.ResponseWriter, r *http.Request, h handlerFunc) {
	if err := h(w, r); err != nil {
		writeError(w, r, s.log, err)
	}
}

func (s *server) client(r *http.Request) auth.Client {
	return auth.Client{IP: clientIP(r, s.opts.TrustedProxies), UserAgent: r.UserAgent()}
}
