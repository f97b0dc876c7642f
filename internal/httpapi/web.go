package httpapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// The web app's CSP allows nothing inline and nothing from elsewhere: a script injected into
// a page can neither run nor send what it finds to another host.
const (
	appCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	// Swagger UI sets inline styles; it still runs no inline script.
	docsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

const notBuiltPage = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Gatehouse</title>
<h1>Gatehouse is running</h1><p>The web app was not built into this binary: run <code>make build</code>.
The API is served at <code>/api</code>.</p></html>`

// web serves the built web app: files as they are (hashed assets cached for a year), the
// docs page under /docs/, and index.html for every other path, so client-side routes load.
func (s *server) web() http.Handler {
	fsys := s.opts.Web
	var index []byte
	if fsys != nil {
		index, _ = fs.ReadFile(fsys, "index.html")
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
		if index == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", appCSP)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(notBuiltPage))
			return
		}
		name := strings.TrimPrefix(path.Clean(p), "/")
		if strings.HasPrefix(p, "/docs/") {
			w.Header().Set("Content-Security-Policy", docsCSP)
			if p == "/docs/" {
				name = "docs/index.html"
			}
		} else {
			w.Header().Set("Content-Security-Policy", appCSP)
		}
		if info, err := fs.Stat(fsys, name); err == nil && !info.IsDir() && name != "index.html" {
			if strings.HasPrefix(name, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
			s.serveFile(w, r, fsys, name)
			return
		}
		if path.Ext(name) != "" {
			writeError(w, r, s.log, errNotFound)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		s.serveFile(w, r, fsys, "index.html")
	})
}

// serveFile serves one file: text gzipped when the client accepts it, anything else as it is.
// http.ServeFileFS would redirect a name ending in index.html (docs/index.html) to its folder,
// so such files are written directly.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string) {
	if b, ok := s.gzipped(w, r, fsys, name); ok {
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
		_, _ = w.Write(b)
		return
	}
	http.ServeFileFS(w, r, fsys, name)
}
