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
	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
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
	// Captcha decides when register and sign-in need a solved challenge and checks it; nil
	// (GATEHOUSE_CAPTCHA=off) never asks for one.
	Captcha *captcha.Gate
	// DevMailbox, when set, is served at /dev/mailbox to loopback clients (see devmailbox.go).
	DevMailbox *mail.DevMailbox
	// Version is reported by /healthz.
	Version string
	// Limiter counts the edge's rate limits (Limits) and names its backend in /readyz; nil
	// enforces none of them.
	Limiter ratelimit.Limiter
	// Limits are the limits the route table names that the edge enforces.
	Limits RouteLimits
	// DeviceTTL is the device cookie's lifetime (the Guard's DeviceTTL).
	DeviceTTL time.Duration
	// Requests, when set, is told of every request a route of the table serves (metrics).
	Requests RequestObserver
	// Decisions, when set, is told of every decision of the edge's rate limits (metrics); the
	// domain's limits and the CAPTCHA report their own.
	Decisions LimitDecisions
}

// LimitDecisions is told of each decision of a rate limit by its name: allowed or limited.
// metrics.Metrics implements it.
type LimitDecisions interface {
	RateLimitDecision(limit string, allowed bool)
}

// RequestObserver measures the routed requests. Route is called once per route of the table as
// the server is built, with its method and path pattern ("/api/users/me/sessions/{id}", never
// a request's raw path, which holds ids); for each request the route serves, begin is called
// before its policy runs and end after its handler returned, with the status sent (500 for a
// panic) and the time taken. metrics.Metrics implements it.
type RequestObserver interface {
	Route(method, pattern string) (begin func(), end func(status int, elapsed time.Duration))
}

type server struct {
	svc  *auth.Service
	keys *token.Keyring
	opts Options
	log  *slog.Logger
	spec []byte
	// csp is the web app's Content-Security-Policy: appCSP, widened for the CAPTCHA vendor.
	csp string
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
	s := &server{svc: svc, keys: keys, opts: opts, log: opts.Logger, csp: appCSPFor(opts.Captcha.Origins())}
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
	obs := make([]routeObserver, len(routes))
	for i, rt := range routes {
		allow[i] = rt.method
		chains[i] = s.chain(rt)
		if s.opts.Requests != nil {
			obs[i].begin, obs[i].end = s.opts.Requests.Route(rt.method, rt.path)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i, rt := range routes {
			if r.Method == rt.method || r.Method == http.MethodHead && rt.method == http.MethodGet {
				s.serveObserved(w, r, chains[i], obs[i])
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

// signInClient is client with the device token the client sent back.
func (s *server) signInClient(r *http.Request, deviceToken string) auth.Client {
	c := s.client(r)
	c.DeviceToken = deviceToken
	return c
}

// routeObserver is one route's RequestObserver calls; both nil without an observer.
type routeObserver struct {
	begin func()
	end   func(status int, elapsed time.Duration)
}

// serveObserved serves a routed request, telling o of it. The status is the one the access
// log's statusWriter saw written, after serve has written any error; none written means the
// handler panicked, which logRequests answers with a 500.
func (s *server) serveObserved(w http.ResponseWriter, r *http.Request, h handlerFunc, o routeObserver) {
	if o.begin == nil {
		s.serve(w, r, h)
		return
	}
	o.begin()
	start := time.Now()
	defer func() {
		status := http.StatusInternalServerError
		if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
			status = sw.status
		}
		o.end(status, time.Since(start))
	}()
	s.serve(w, r, h)
}
