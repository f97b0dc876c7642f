package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// newSecretKey returns a GATEHOUSE_SECRET_KEY value.
func newSecretKey(t *testing.T) string {
	t.Helper()
	k, err := secret.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return secret.FormatKey(k)
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// instance is a running gatehouse serve.
type instance struct {
	url  string
	out  *syncBuffer
	stop func() // cancels run and waits for it; idempotent
}

// start runs gatehouse serve on a free port and returns it once /healthz answers. The test
// fails unless run returns nil after being stopped (a graceful shutdown); it is stopped when
// the test ends at the latest.
func start(t *testing.T, env map[string]string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	getenv := func(k string) string {
		// The test binaries of other packages run beside this one at normal priority, and
		// under the race detector a hash at nice 19 could starve past the server's write
		// timeout; the isolation that nice 19 buys is measured by hashpool and make bench.
		if v, ok := env[k]; ok || k != "GATEHOUSE_HASH_PRIORITY" {
			return v
		}
		return "normal"
	}
	go func() { done <- run(ctx, []string{"gatehouse", "serve", "-addr", "127.0.0.1:0"}, getenv, out) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run after shutdown: %v", err)
			}
		})
	}
	t.Cleanup(stop)

	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			once.Do(func() {})
			t.Fatalf("run returned early: %v\n%s", err, out)
		default:
		}
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			if resp, err := http.Get(m[1] + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return &instance{url: m[1], out: out, stop: stop}
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("gatehouse did not become healthy:\n%s", out)
	return nil
}

func post(t *testing.T, u, ctype, body string, headers ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return do(t, req)
}

func get(t *testing.T, u, access string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+access)
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// The article's flow against the real server: register, sign in, read the profile. It returns
// the access token.
func articleFlow(t *testing.T, register, signIn, me string) string {
	t.Helper()
	status, _ := post(t, register+"/api/auth/register", "application/json",
		`{"email": "test@example.com", "first_name": "Test", "last_name": "User", "password": "violet-kayak-mercury-19"}`)
	if status != http.StatusCreated {
		t.Fatalf("register: got %d, want 201", status)
	}
	status, tok := post(t, signIn+"/api/auth/token", "application/x-www-form-urlencoded",
		url.Values{"username": {"test@example.com"}, "password": {"violet-kayak-mercury-19"}}.Encode())
	if status != http.StatusOK {
		t.Fatalf("token: got %d %v, want 200", status, tok)
	}
	status, user := get(t, me+"/api/users/me", tok["access_token"].(string))
	if status != http.StatusOK || user["first_name"] != "Test" || user["email"] != "test@example.com" {
		t.Fatalf("me: got %d %v", status, user)
	}
	return tok["access_token"].(string)
}

// On SQLite without GATEHOUSE_SECRET_KEY, the first start generates the key beside the
// database (0600, its path logged, never its value) and the next start reuses it: the tokens
// the first instance signed still verify.
func TestRun_SQLite(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{
		"GATEHOUSE_DATABASE_URL": filepath.Join(dir, "gatehouse.db"),
		"GATEHOUSE_BCRYPT_COST":  "10",
	}
	first := start(t, env)
	access := articleFlow(t, first.url, first.url, first.url)
	first.stop()

	keyFile := filepath.Join(dir, "secret.key")
	info, err := os.Stat(keyFile)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret key file: got %v, %v; want mode 0600", info, err)
	}
	key, _ := os.ReadFile(keyFile)
	log := first.out.String()
	if !strings.Contains(log, "generated a secret key") || !strings.Contains(log, keyFile) {
		t.Errorf("log does not say that a key was generated at %s:\n%s", keyFile, log)
	}
	if k := strings.TrimSpace(string(key)); len(k) != 44 || strings.Contains(log, k) {
		t.Errorf("key file holds %d characters, or the log contains the key", len(k))
	}

	second := start(t, env)
	if status, user := get(t, second.url+"/api/users/me", access); status != http.StatusOK {
		t.Errorf("the first instance's token on the second: got %d %v, want 200", status, user)
	}
	if strings.Contains(second.out.String(), "generated a secret key") {
		t.Error("second start generated another key")
	}
	if again, _ := os.ReadFile(keyFile); !bytes.Equal(again, key) {
		t.Error("second start changed the key file")
	}
}

// An explicit SQLite path in a directory that does not exist fails, naming it, and creates
// nothing.
func TestRun_SQLiteMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nonexistent", "dir")
	env := func(k string) string {
		return map[string]string{"GATEHOUSE_DATABASE_URL": filepath.Join(dir, "x.db")}[k]
	}
	err := run(context.Background(), []string{"gatehouse", "migrate"}, env, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "GATEHOUSE_DATABASE_URL: the directory "+dir+" does not exist") {
		t.Fatalf("got %v, want an error naming the missing directory", err)
	}
	if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
		t.Errorf("run created %s (stat: %v)", filepath.Dir(dir), err)
	}
}

// Two instances behind a load balancer: they start at once on one PostgreSQL database
// (migrations must not collide), and a token one issues is accepted by the other.
func TestRun_PostgresTwoInstances(t *testing.T) {
	dsn := storetest.PostgresURL(t)
	env := map[string]string{"GATEHOUSE_DATABASE_URL": dsn, "GATEHOUSE_BCRYPT_COST": "10", "GATEHOUSE_SECRET_KEY": newSecretKey(t)}
	urls := make([]string, 2)
	var wg sync.WaitGroup
	for i := range urls {
		wg.Go(func() {
			if in := start(t, env); in != nil {
				urls[i] = in.url
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	articleFlow(t, urls[0], urls[1], urls[0])

	status, jwks := get(t, urls[1]+"/.well-known/jwks.json", "")
	if status != http.StatusOK || len(jwks["keys"].([]any)) < 1 {
		t.Fatalf("jwks: got %d %v", status, jwks)
	}
}

// PostgreSQL needs the key set, the same on every instance: without it, start fails saying
// how to make one.
func TestRun_PostgresRequiresSecretKey(t *testing.T) {
	dsn := storetest.PostgresURL(t)
	env := func(k string) string { return map[string]string{"GATEHOUSE_DATABASE_URL": dsn}[k] }
	for _, cmd := range []string{"serve", "migrate"} {
		err := run(context.Background(), []string{"gatehouse", cmd}, env, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "GATEHOUSE_SECRET_KEY is required with PostgreSQL") ||
			!strings.Contains(err.Error(), "openssl rand -base64 32") {
			t.Errorf("%s: got %v, want the error that says how to make a key", cmd, err)
		}
	}
}

func TestRun_Commands(t *testing.T) {
	ctx := context.Background()
	getenv := func(string) string { return "" }

	var out bytes.Buffer
	if err := run(ctx, []string{"gatehouse", "version"}, getenv, &out); err != nil || !strings.HasPrefix(out.String(), "gatehouse ") {
		t.Errorf("version: got %q, %v", out.String(), err)
	}
	out.Reset()
	if err := run(ctx, []string{"gatehouse", "openapi"}, getenv, &out); err != nil || !json.Valid(out.Bytes()) {
		t.Errorf("openapi: got invalid JSON, %v", err)
	}
	if err := run(ctx, []string{"gatehouse", "frobnicate"}, getenv, io.Discard); err == nil {
		t.Error("unknown command: got nil error")
	}
	bad := func(k string) string { return map[string]string{"GATEHOUSE_BCRYPT_COST": "4"}[k] }
	if err := run(ctx, []string{"gatehouse", "serve"}, bad, io.Discard); err == nil || !strings.Contains(err.Error(), "GATEHOUSE_BCRYPT_COST") {
		t.Errorf("cost 4: got %v, want an error naming GATEHOUSE_BCRYPT_COST", err)
	}

	db := filepath.Join(t.TempDir(), "g.db")
	env := func(k string) string { return map[string]string{"GATEHOUSE_DATABASE_URL": db}[k] }
	out.Reset()
	if err := run(ctx, []string{"gatehouse", "migrate"}, env, &out); err != nil || !strings.Contains(out.String(), "migrations applied") {
		t.Errorf("migrate: got %q, %v", out.String(), err)
	}
	out.Reset()
	if err := run(ctx, []string{"gatehouse", "rotate-key"}, env, &out); err != nil || !strings.Contains(out.String(), "signing key rotated") {
		t.Errorf("rotate-key: got %q, %v", out.String(), err)
	}
}
