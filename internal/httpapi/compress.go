package httpapi

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// compressible lists the extensions served gzipped: text, which shrinks to a third or less.
// Images and fonts are compressed already.
var compressible = map[string]bool{
	".html": true, ".js": true, ".css": true, ".svg": true, ".json": true, ".map": true, ".txt": true,
}

// gzipped writes the headers for, and returns, the gzip of a compressible file when the
// client accepts gzip. It reports false when the file should be served as it is.
func (s *server) gzipped(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string) ([]byte, bool) {
	ext := path.Ext(name)
	if !compressible[ext] {
		return nil, false
	}
	w.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r) || r.Header.Get("Range") != "" {
		return nil, false
	}
	key := name
	if cached, ok := s.gzipCache.Load(key); ok {
		return setGzipHeaders(w, ext, cached.([]byte)), true
	}
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, false
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(raw)
	if zw.Close() != nil {
		return nil, false
	}
	s.gzipCache.Store(key, buf.Bytes())
	return setGzipHeaders(w, ext, buf.Bytes()), true
}

func setGzipHeaders(w http.ResponseWriter, ext string, b []byte) []byte {
	ctype := mime.TypeByExtension(ext)
	if ext == ".html" {
		ctype = "text/html; charset=utf-8"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	return b
}

// acceptsGzip reports whether Accept-Encoding lists gzip with a non-zero weight.
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
