package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// Every command has its own help: "gatehouse --help" lists them all, and "gatehouse X -h" says
// what X does and lists only the flags X takes.
func TestRun_Help(t *testing.T) {
	ctx := context.Background()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		var out bytes.Buffer
		if err := run(ctx, append([]string{"gatehouse"}, args...), envOf(nil), &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, c := range commands {
			if !strings.Contains(out.String(), "  "+c.name+" ") || !strings.Contains(out.String(), c.summary) {
				t.Errorf("%v: the list lacks %s:\n%s", args, c.name, out.String())
			}
		}
	}
	tests := []struct {
		cmd      string
		has, not []string
	}{
		{"serve", []string{"-addr", "-bcrypt-cost", "-database-url", "-secret-key-file", "serve the API"}, nil},
		{"migrate", []string{"-database-url", "-secret-key-file", "-log-level", "Apply the database migrations"}, []string{"-addr", "-bcrypt-cost", "-access-token-ttl"}},
		{"rotate-key", []string{"-access-token-ttl", "-database-url", "new access-token signing key"}, []string{"-addr", "-bcrypt-cost"}},
		{"rotate-secret", []string{"-database-url", "GATEHOUSE_SECRET_KEY_PREVIOUS", "Reseal every secret"}, []string{"-addr"}},
		{"openapi", []string{"Print the OpenAPI 3.1 document", "It takes no flags."}, []string{`"openapi":`}},
		{"version", []string{"Print the version", "It takes no flags."}, []string{"gatehouse dev"}},
		{"help", []string{"Print the list of commands"}, nil},
	}
	for _, tt := range tests {
		for _, form := range [][]string{{tt.cmd, "-h"}, {tt.cmd, "--help"}, {"help", tt.cmd}} {
			var out bytes.Buffer
			if err := run(ctx, append([]string{"gatehouse"}, form...), envOf(nil), &out); err != nil {
				t.Errorf("%v: %v", form, err)
			}
			help := out.String()
			if !strings.HasPrefix(help, "usage: gatehouse "+tt.cmd) {
				t.Errorf("%v: got %q, want it to start with its usage line", form, help)
			}
			for _, want := range tt.has {
				if !strings.Contains(help, want) {
					t.Errorf("%v: help lacks %q:\n%s", form, want, help)
				}
			}
			for _, unwanted := range tt.not {
				if strings.Contains(help, unwanted) {
					t.Errorf("%v: help has %q:\n%s", form, unwanted, help)
				}
			}
		}
	}
	if err := run(ctx, []string{"gatehouse", "version", "extra"}, envOf(nil), &bytes.Buffer{}); err == nil {
		t.Error("version extra: got nil error")
	}
}

func TestRun_InvalidAddr(t *testing.T) {
	err := run(context.Background(), []string{"gatehouse", "serve"}, envOf(map[string]string{"GATEHOUSE_ADDR": "nope", "GATEHOUSE_BCRYPT_COST": "4"}), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `GATEHOUSE_ADDR: "nope" is not host:port`) || !strings.Contains(err.Error(), "GATEHOUSE_BCRYPT_COST") {
		t.Fatalf("got %v, want one error naming GATEHOUSE_ADDR and GATEHOUSE_BCRYPT_COST", err)
	}
}

// A wrong key is a clear start-up error, not a panic, and a rotation keeps every key readable:
// the new key with the old as previous, rotate-secret, then the new key alone.
func TestRun_SecretKeyRotation(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "g.db")
	oldKey, newKey := newSecretKey(t), newSecretKey(t)
	cmd := func(name string, env map[string]string) (string, error) {
		env["GATEHOUSE_DATABASE_URL"] = db
		var out bytes.Buffer
		err := run(ctx, []string{"gatehouse", name}, envOf(env), &out)
		return out.String(), err
	}
	// rotate-key makes the first key and then its successor: two sealed seeds.
	if out, err := cmd("rotate-key", map[string]string{"GATEHOUSE_SECRET_KEY": oldKey}); err != nil {
		t.Fatalf("rotate-key: %v\n%s", err, out)
	}
	_, err := cmd("migrate", map[string]string{"GATEHOUSE_SECRET_KEY": newKey})
	if err == nil || !strings.Contains(err.Error(), "neither GATEHOUSE_SECRET_KEY") || !strings.Contains(err.Error(), "start with the key that sealed them") {
		t.Fatalf("migrate with another key: got %v, want the wrong-key error", err)
	}
	if strings.Contains(err.Error(), oldKey) || strings.Contains(err.Error(), newKey) {
		t.Errorf("the error %q contains a key", err)
	}

	rotating := map[string]string{"GATEHOUSE_SECRET_KEY": newKey, "GATEHOUSE_SECRET_KEY_PREVIOUS": oldKey}
	if _, err := cmd("migrate", rotating); err != nil {
		t.Fatalf("migrate with the old key as previous: %v", err)
	}
	out, err := cmd("rotate-secret", rotating)
	if err != nil || !strings.Contains(out, "secrets resealed") || !strings.Contains(out, "resealed=2") {
		t.Fatalf("rotate-secret: got %v\n%s", err, out)
	}
	if _, err := cmd("migrate", map[string]string{"GATEHOUSE_SECRET_KEY": newKey}); err != nil {
		t.Fatalf("migrate with the new key alone: %v", err)
	}
	if _, err := cmd("migrate", map[string]string{"GATEHOUSE_SECRET_KEY": oldKey}); err == nil {
		t.Fatal("migrate with the old key alone after rotate-secret: got nil error")
	}
}

// plaintextKeys is a token.KeyStore that keeps signing keys as a Gatehouse before migration
// 0004 did, seeds in plaintext, in a database that such a Gatehouse migrated.
type plaintextKeys struct{ db *sql.DB }

func (p plaintextKeys) ListSigningKeys(ctx context.Context) ([]token.SigningKey, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT id, seed, created_at FROM signing_keys ORDER BY created_at DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []token.SigningKey
	for rows.Next() {
		var k token.SigningKey
		var created string
		if err := rows.Scan(&k.ID, &k.Seed, &created); err != nil {
			return nil, err
		}
		k.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

func (p plaintextKeys) CreateSigningKey(ctx context.Context, k token.SigningKey) error {
	_, err := p.db.ExecContext(ctx, `INSERT INTO signing_keys (id, seed, created_at) VALUES (?, ?, ?)`,
		k.ID, k.Seed, k.CreatedAt.UTC().Format("2006-01-02T15:04:05.000000Z"))
	return err
}

func (p plaintextKeys) DeleteSigningKeysRetiredBefore(context.Context, time.Time) error { return nil }

// oldDatabase makes the SQLite database a Gatehouse before migration 0004 left at path, with
// one plaintext signing key, and returns that key and an access token it signed.
func oldDatabase(t *testing.T, path string) (token.SigningKey, string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for v, name := range []string{"0001_init.sql", "0002_refresh_tokens_expires_at.sql"} {
		text, err := os.ReadFile(filepath.Join("../../internal/store/migrations/sqlite", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(text)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, ?)`, v+1, time.Now().UTC().Format(time.RFC3339)); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := token.NewKeyring(t.Context(), plaintextKeys{db}, 15*time.Minute, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	access, err := token.NewIssuer(keys, "http://localhost:8000", "gatehouse", 15*time.Minute).Issue(uuid.New(), uuid.New(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	stored, err := plaintextKeys{db}.ListSigningKeys(t.Context())
	if err != nil || len(stored) != 1 {
		t.Fatalf("old keys: got %d, %v", len(stored), err)
	}
	return stored[0], access
}

// A database from before secrets at rest: the first start seals its plaintext seeds, and the
// tokens they signed before still verify, against the keys the server now publishes.
func TestRun_SealsPlaintextKeysFromBefore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gatehouse.db")
	old, access := oldDatabase(t, path)
	key := newSecretKey(t)

	in := start(t, map[string]string{"GATEHOUSE_DATABASE_URL": path, "GATEHOUSE_SECRET_KEY": key, "GATEHOUSE_BCRYPT_COST": "10"})
	status, jwks := get(t, in.url+"/.well-known/jwks.json", "")
	pub := base64.RawURLEncoding.EncodeToString(ed25519.NewKeyFromSeed(old.Seed).Public().(ed25519.PublicKey))
	var kids []string
	for _, k := range jwks["keys"].([]any) {
		if k.(map[string]any)["x"] == pub {
			kids = append(kids, k.(map[string]any)["kid"].(string))
		}
	}
	if status != 200 || !slices.Equal(kids, []string{old.ID}) {
		t.Errorf("JWKS: got %d %v, want the old key %s published", status, jwks, old.ID)
	}
	in.stop()

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored []byte
	var sealed bool
	if err := db.QueryRow(`SELECT seed, seed_sealed FROM signing_keys WHERE id = ?`, old.ID).Scan(&stored, &sealed); err != nil {
		t.Fatal(err)
	}
	if !sealed || bytes.Contains(stored, old.Seed) {
		t.Errorf("stored seed after start: sealed %v, contains the seed %v; want sealed, without it", sealed, bytes.Contains(stored, old.Seed))
	}

	raw, err := secret.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	ring, _ := secret.NewKeyring(raw)
	st, err := store.Open(t.Context(), path, ring)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys, err := token.NewKeyring(t.Context(), st, 15*time.Minute, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := token.NewIssuer(keys, "http://localhost:8000", "gatehouse", 15*time.Minute).Verify(t.Context(), access, time.Now())
	if err != nil || claims.UserID == uuid.Nil {
		t.Errorf("a token signed before the upgrade: got %v, want it to verify", err)
	}
}

// The default database's directory, data/, is the one directory Gatehouse creates; the secret
// key is generated into it.
func TestRun_DefaultDataDirectory(t *testing.T) {
	t.Chdir(t.TempDir())
	var out bytes.Buffer
	if err := run(context.Background(), []string{"gatehouse", "migrate"}, envOf(nil), &out); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	for _, name := range []string{"data/gatehouse.db", "data/secret.key"} {
		if _, err := os.Stat(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if info, err := os.Stat("data"); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("data/: got %v, %v; want mode 0700", info, err)
	}
}
