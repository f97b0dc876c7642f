package web

import (
	"slices"
	"strings"
	"testing"
)

// The list the server serves pages from is sane: the pages the README names are in it, and
// every entry is a clean absolute path the server can match exactly.
func TestRoutes(t *testing.T) {
	routes := Routes()
	for _, want := range []string{"/", "/auth/register", "/auth/login", "/accounts"} {
		if !slices.Contains(routes, want) {
			t.Errorf("got routes %v, want %s among them", routes, want)
		}
	}
	seen := map[string]bool{}
	for _, p := range routes {
		if !strings.HasPrefix(p, "/") || p != "/" && strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?#*:") {
			t.Errorf("route %q: want an absolute path without a trailing slash, query or pattern", p)
		}
		if strings.HasPrefix(p, "/api") || strings.HasPrefix(p, "/docs") {
			t.Errorf("route %q: the server owns /api and /docs", p)
		}
		if seen[p] {
			t.Errorf("route %q is listed twice", p)
		}
		seen[p] = true
	}
}
