package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

type ctxKey int

const (
	requestInfoKey ctxKey = iota
	// principalKey holds the auth.Principal of a request that passed the bearer policy.
	principalKey
)

// requestInfo is what the access log learns while a request is served: handlers add the
// user once they know it.
type requestInfo struct {
	id     string
	userID uuid.UUID
}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(requestInfoKey).(*requestInfo)
	if info == nil {
		return &requestInfo{}
	}
	return info
}

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests gives every request an id (a sane incoming X-Request-ID is kept, so a proxy's
// id follows the request) and logs one line when it ends. The line names the method, the
// path without its query, the status, the duration and the user: never a header, a cookie or
// a body, which is where passwords and tokens travel.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: requestID(r.Header.Get("X-Request-ID"))}
		w.Header().Set("X-Request-ID", info.id)
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey, info))
		defer func() {
			if v := recover(); v != nil {
				log.ErrorContext(r.Context(), "panic", "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeError(sw, r, log, errInternal)
				}
			}
			// The request id comes from the context, through LogHandler, as on every line
			// logged while serving the request.
			attrs := []slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.Int("status", sw.status),
				slog.Duration("duration", time.Since(start)),
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// requestID keeps an incoming id made of at most 64 safe characters, or makes one.
func requestID(in string) string {
	if len(in) > 0 && len(in) <= 64 && strings.IndexFunc(in, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) < 0 {
		return in
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// secureHeaders sets the headers every response carries. API responses are never cached:
// they hold tokens and personal data.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// overTLS reports whether the request reached us over HTTPS: on our own TLS listener, or
// through a trusted proxy that says so. Anyone else's X-Forwarded-Proto is whatever they chose.
func (s *server) overTLS(r *http.Request) bool {
	return r.TLS != nil || s.fromTrustedProxy(r) && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
}

// hsts tells browsers to reach this host over HTTPS only, for HSTSMaxAge, on every response to
// a request that came over HTTPS. Over plain http the header would be ignored (RFC 6797 §8.1)
// and an attacker on the path could strip it anyway, so it is not sent. includeSubDomains is
// left out on purpose: served from an apex domain, it would force HTTPS on every other service
// under that domain for a year, which is their operators' call, not an auth server's (a proxy
// in front can add it). What it would protect here, the refresh cookie, has the __Secure-
// prefix, which browsers refuse to accept over plain http from any host. Without it there is
// no preload either.
func (s *server) hsts(next http.Handler) http.Handler {
	if s.opts.HSTSMaxAge <= 0 {
		return next
	}
	value := "max-age=" + strconv.Itoa(int(s.opts.HSTSMaxAge.Seconds()))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.overTLS(r) {
			w.Header().Set("Strict-Transport-Security", value)
		}
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address a request came from. Behind a trusted proxy it is the rightmost
// X-Forwarded-For entry that is not itself a trusted proxy: entries further left are
// whatever the client chose to send.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(addr, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !isTrusted(hop, trusted) {
			return hop.Unmap().String()
		}
	}
	return addr.Unmap().String()
}

// fromTrustedProxy reports whether the request's peer is a trusted proxy.
func (s *server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && isTrusted(addr, s.opts.TrustedProxies)
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	addr = addr.Unmap()
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// LogHandler wraps h so that every record logged with a request's context, by the handlers or
// the service, names the request (request_id) and, once known, its user (user_id): a 500's
// error line can be tied to its access line.
func LogHandler(h slog.Handler) slog.Handler { return ctxHandler{h} }

type ctxHandler struct{ slog.Handler }

func (h ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	if info, ok := ctx.Value(requestInfoKey).(*requestInfo); ok {
		r.AddAttrs(slog.String("request_id", info.id))
		if info.userID != uuid.Nil {
			r.AddAttrs(slog.String("user_id", info.userID.String()))
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h ctxHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return ctxHandler{h.Handler.WithAttrs(attrs)}
}

func (h ctxHandler) WithGroup(name string) slog.Handler { return ctxHandler{h.Handler.WithGroup(name)} }

// cors lets the AllowedOrigins call the API from the browser with credentials, answering
// their preflights. Other origins get no CORS headers, so browsers keep them out.
func cors(allowed []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !strings.HasPrefix(r.URL.Path, "/api/") || !slices.Contains(allowed, origin) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Expose-Headers", "X-Request-ID, WWW-Authenticate, Retry-After")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
