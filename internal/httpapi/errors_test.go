package httpapi

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// writtenErrorTypes are the packages whose Error type writeError translates; a domain that
// declares an Error type of its own must be taught to writeError, then listed here.
var writtenErrorTypes = map[string]bool{"auth": true}

// TestStatusOf_EveryCode reads the Go source of every package under internal/ and finds every
// error code a domain declares: each keyed composite literal of a type named Error (auth.Error,
// mailbox.Error, …) with a Code field. Each code must have a deliberate status in statusOf,
// and its type must be one writeError translates, so a code added later can never silently
// become a 500.
func TestStatusOf_EveryCode(t *testing.T) {
	codes := domainCodes(t, "..")
	for _, want := range []string{"busy", "email_taken", "invalid_input"} {
		if _, ok := codes[want]; !ok {
			t.Fatalf("found codes %v, want %q among them: the source walk is broken", codes, want)
		}
	}
	for code, where := range codes {
		if statusOf[code] == 0 {
			t.Errorf("code %q (%s) has no status in statusOf: it would be answered as a 500", code, where)
		}
	}
}

// domainCodes returns every error code declared in the non-test Go files under root, with
// where it is declared.
func domainCodes(t *testing.T, root string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files := map[string][]*ast.File{} // by package name
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files[f.Name.Name] = append(files[f.Name.Name], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// String constants by package, so Code: CodeInvalidInput and Code: auth.CodeX resolve.
	consts := map[string]map[string]string{}
	for pkg, fs := range files {
		consts[pkg] = map[string]string{}
		for _, f := range fs {
			ast.Inspect(f, func(n ast.Node) bool {
				vs, ok := n.(*ast.ValueSpec)
				if !ok {
					return true
				}
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[pkg][name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
				return true
			})
		}
	}

	codes := map[string]string{}
	for pkg, fs := range files {
		for _, f := range fs {
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok {
					return true
				}
				owner, ok := errorTypePackage(lit.Type, pkg)
				if !ok {
					return true
				}
				where := fset.Position(lit.Pos()).String()
				if !writtenErrorTypes[owner] {
					t.Errorf("%s: writeError does not translate %s.Error: its codes would all be 500s", where, owner)
				}
				for _, elt := range lit.Elts {
					kv, ok := elt.(*ast.KeyValueExpr)
					if !ok {
						t.Errorf("%s: an Error literal without field names: name its Code", where)
						continue
					}
					if key, ok := kv.Key.(*ast.Ident); !ok || key.Name != "Code" {
						continue
					}
					code, ok := codeValue(kv.Value, pkg, consts)
					if !ok {
						t.Errorf("%s: the Code is not a string literal or constant; this test cannot check it", where)
						continue
					}
					codes[code] = where
				}
				return true
			})
		}
	}
	return codes
}

// errorTypePackage reports whether a literal's type, in package pkg, is Error or x.Error,
// and names the package that declares it.
func errorTypePackage(e ast.Expr, pkg string) (string, bool) {
	switch e := e.(type) {
	case *ast.Ident:
		return pkg, e.Name == "Error"
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && e.Sel.Name == "Error" {
			return x.Name, true
		}
	}
	return "", false
}

func codeValue(e ast.Expr, pkg string, consts map[string]map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.Ident:
		s, ok := consts[pkg][e.Name]
		return s, ok
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			s, ok := consts[x.Name][e.Sel.Name]
			return s, ok
		}
	}
	return "", false
}

// A busy error that knows its wait (the hashing queue's work ahead) says so in Retry-After,
// rounded up to whole seconds; one that does not gets the 1 s floor.
func TestWriteError_RetryAfter(t *testing.T) {
	for _, tt := range []struct {
		wait time.Duration
		want string
	}{
		{0, "1"},
		{time.Second, "1"},
		{2500 * time.Millisecond, "3"},
		{40 * time.Second, "40"},
	} {
		busy := *auth.ErrBusy
		busy.RetryAfter = tt.wait
		w := httptest.NewRecorder()
		writeError(w, httptest.NewRequest("POST", "/api/auth/token", nil), slog.New(slog.DiscardHandler), fmt.Errorf("sign in: %w", &busy))
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != tt.want {
			t.Errorf("wait %v: got %d with Retry-After %q, want 503 with %q", tt.wait, w.Code, w.Header().Get("Retry-After"), tt.want)
		}
	}
}
