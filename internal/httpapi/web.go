package httpapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// The web app's CSP allows nothing inline and nothing from elsewhere: a script injected into
// a page can neither run nor send what it finds to another host. worker-src says outright
// what script-src already implies: the CAPTCHA's proof-of-work worker is a file of ours
// (/assets/pow-worker-*.js), never a blob: or data: URL.
const (
	appCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	// Swagger UI sets inline styles; it still runs no inline script.
	docsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

// appCSPFor is appCSP allowing also origins (a CAPTCHA vendor's, when one is enabled) to
// serve scripts, styles and frames and to be connected to, as the vendors' widgets need; with
// no origins it is appCSP exactly, so the default proof of work keeps the strict policy.
func appCSPFor(origins []string) string {
	if len(origins) == 0 {
		return appCSP
	}
	extra := " " + strings.Join(origins, " ")
	csp := appCSP
	for _, d := range []string{"script-src 'self'", "style-src 'self'", "connect-src 'self'"} {
		csp = strings.Replace(csp, d, d+extra, 1)
	}
	return strings.Replace(csp, "object-src", "frame-src 'self'"+extra+"; object-src", 1)
}

const notBuiltPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Gatehouse</title>
<h1>Gatehouse is running</h1><p>The web app was not built into this binary: run <code>make build</code>.
The API is served at <code>/api</code>.</p></html>`

// aliases are the page paths people type, and the article's front end used, each sent on to
// the app's own page.
var aliases = map[string]string{"/register": "/auth/register", "/login": "/auth/login"}

// web serves the built web app: files as they are (hashed assets cached for a year), the
// docs page under /docs/, and the app's shell (index.html) for client-side routes. The shell
// answers 200 only for the paths the app routes (Options.AppRoutes); any other page path gets
// the shell with 404, so the app shows its not-found page and crawlers and monitors see a 404.
func (s *server) web() http.Handler {
	fsys := s.opts.Web
	var index []byte
	if fsys != nil {
		index, _ = fs.ReadFile(fsys, "index.html")
	}
	pages := map[string]bool{}
	for _, p := range s.opts.AppRoutes {
		pages[p] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if p == "/api" || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/.well-known/") {
			writeError(w, r, s.log, errNotFound)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, r, s.log, errMethodNotAllowed)
			return
		}
		if p == "/docs" {
			http.Redirect(w, r, "/docs/", http.StatusMovedPermanently)
			return
		}
		if to, ok := aliases[trimSlash(p)]; ok {
			if r.URL.RawQuery != "" {
				to += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, to, http.StatusMovedPermanently)
			return
		}
		if index == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", s.csp)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(notBuiltPage))
			return
		}
		name := strings.TrimPrefix(path.Clean(p), "/")
		if p == "/docs/" {
			name = "docs/index.html"
		}
		if info, err := fs.Stat(fsys, name); err == nil && !info.IsDir() && name != "index.html" {
			if strings.HasPrefix(name, "docs/") {
				w.Header().Set("Content-Security-Policy", docsCSP)
			} else {
				w.Header().Set("Content-Security-Policy", s.csp)
			}
			if strings.HasPrefix(name, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
			s.serveFile(w, r, fsys, name, http.StatusOK)
			return
		}
		if path.Ext(name) != "" {
			writeError(w, r, s.log, errNotFound)
			return
		}
		status := http.StatusNotFound
		if pages[trimSlash(p)] {
			status = http.StatusOK
		}
		w.Header().Set("Content-Security-Policy", s.csp)
		w.Header().Set("Cache-Control", "no-cache")
		s.serveFile(w, r, fsys, "index.html", status)
	})
}

// trimSlash drops one trailing slash, so /accounts/ is the page /accounts.
func trimSlash(p string) string {
	if len(p) > 1 {
		return strings.TrimSuffix(p, "/")
	}
	return p
}

// serveFile serves one file with status: text gzipped when the client accepts it, anything
// else as it is. http.ServeFileFS would redirect a name ending in index.html (docs/index.html)
// to its folder, and knows only 200, so such files are written directly; status is honoured
// for them alone (the shell's 404).
func (s *server) serveFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string, status int) {
	if b, ok := s.gzipped(w, r, fsys, name); ok {
		w.WriteHeader(status)
		_, _ = w.Write(b)
		return
	}
	if path.Base(name) == "index.html" {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			writeError(w, r, s.log, errNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(b)
		return
	}
	http.ServeFileFS(w, r, fsys, name)
}
