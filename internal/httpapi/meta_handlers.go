package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/token"
)

var opJWKS = operation{
	id: "jwks", tag: "meta", summary: "Public keys that verify access tokens (JWKS)",
	desc: "Other services verify Gatehouse's access tokens (EdDSA JWTs) with these keys, no shared secret needed. " +
		"A rotated-out key stays listed until the tokens it signed have expired.",
	responses: []response{{http.StatusOK, "The key set", token.JWKS{}}},
}

// handleJWKS serves GET /.well-known/jwks.json.
func (s *server) handleJWKS(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(token.JWKSMaxAge.Seconds())))
	return encode(w, http.StatusOK, s.keys.JWKS())
}

type healthResponse struct {
	Status  string `json:"status" example:"ok"`
	Version string `json:"version,omitempty"`
	// RateLimit names the rate limiter's backend deciding now, on /readyz only.
	RateLimit string `json:"rate_limit,omitempty" enum:"memory,redis" doc:"Readiness only: the rate limiter's backend deciding now. redis, or memory when no Redis is configured or while it is down (the instance then enforces its limits alone)."`
}

var opHealthz = operation{
	id: "healthz", tag: "meta", summary: "Liveness: the process answers",
	responses: []response{{http.StatusOK, "Alive", healthResponse{}}},
}

// handleHealthz serves GET /healthz.
func (s *server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, healthResponse{Status: "ok", Version: s.opts.Version})
}

var opReadyz = operation{
	id: "readyz", tag: "meta", summary: "Readiness: the database answers",
	responses: []response{
		{http.StatusOK, "Ready", healthResponse{}},
		{http.StatusServiceUnavailable, "The database does not answer", errorBody{}},
	},
}

// handleReadyz serves GET /readyz.
func (s *server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "error", err)
		return &httpError{status: http.StatusServiceUnavailable, code: "not_ready", detail: "Database is unreachable"}
	}
	out := healthResponse{Status: "ready", Version: s.opts.Version}
	if s.opts.Limiter != nil {
		// A peek first, so an outage nothing else has met yet is noticed here, and the
		// backend named is the one deciding now. It never fails the check: Redis down only
		// means each instance limits alone.
		_, _ = s.opts.Limiter.Allow(ctx, "readyz:probe:all", ratelimit.PerSecond(1), 0)
		out.RateLimit = s.opts.Limiter.Backend()
	}
	return encode(w, http.StatusOK, out)
}

var opOpenAPI = operation{
	id: "openapi", tag: "meta", summary: "This document (OpenAPI 3.1)",
	responses: []response{{http.StatusOK, "The OpenAPI document", struct{}{}}},
}

// handleOpenAPI serves GET /openapi.json.
func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(s.spec)
	return err
}

// Spec returns the OpenAPI document, for `gatehouse openapi`.
func Spec(version string) []byte {
	return mustSpec((&server{}).routes(), version)
}
