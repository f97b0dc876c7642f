package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// planUsers is how many users TestRequestPathPlans seeds: GATEHOUSE_PLAN_USERS, or 20,000,
// enough for PostgreSQL's planner to prefer an index wherever one serves. For the figures at
// a million users:
//
//	GATEHOUSE_PLAN_USERS=1000000 TEST_DATABASE_URL=… go test ./internal/store -run RequestPathPlans -v
func planUsers(t *testing.T) int {
	n := 20_000
	if v := os.Getenv("GATEHOUSE_PLAN_USERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("GATEHOUSE_PLAN_USERS=%q: want a positive number", v)
		}
	}
	return n
}

// Every query on the request path uses an index however many users there are: EXPLAIN shows
// no full scan of users, sessions or refresh_tokens (SQLite's "SCAN t", PostgreSQL's "Seq
// Scan"). A plan, not a timing: it holds on any machine. Each user has a session and a
// refresh token, seeded by one INSERT … SELECT per table.
func TestRequestPathPlans(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(*testing.T) *store.Store) {
		s := open(t)
		db := store.DB(s)
		n := planUsers(t)
		start := time.Now()
		seed(t, db, s.Dialect(), n)
		t.Logf("seeded %d users, sessions and refresh tokens in %v", n, time.Since(start).Round(time.Millisecond))

		args := map[string][]any{
			"FindUserByEmail (sign-in)":          {fmt.Sprintf("user%d@example.com", n/2)},
			"FindSessionUser (every authed req)": {id(s.Dialect(), 's', n/2)},
			"FindRefreshToken (refresh)":         {fmt.Sprintf("sel%d", n/2)},
			"RotateRefreshToken (refresh)":       {fmt.Sprintf("sel%d", n/2)},
			"ListSessions (sessions list)":       {id(s.Dialect(), 'u', n/2), "2026-01-01T00:00:00.000000Z"},
		}
		fullScan := regexp.MustCompile(`^SCAN (users|sessions|refresh_tokens)\b|Seq Scan`)
		for name, q := range store.RequestPathQueries {
			a := args[name]
			if s.Dialect() == store.DialectPostgres && strings.HasPrefix(name, "ListSessions") {
				a[1] = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			plan := explain(t, db, s.Dialect(), q, a)
			t.Logf("%s:\n%s", name, plan)
			for line := range strings.SplitSeq(plan, "\n") {
				if fullScan.MatchString(strings.TrimLeft(line, " ->")) {
					t.Errorf("%s scans a whole table at %d users: %q", name, n, line)
				}
			}
		}
	})
}

// id is the n-th seeded user ('u') or session ('s') id, as seed makes them.
func id(dialect string, kind byte, n int) string {
	if kind == 'u' {
		return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n)
	}
	return fmt.Sprintf("%08x-0000-4000-9000-%012x", n, n)
}

func seed(t testing.TB, db *sql.DB, dialect string, n int) {
	t.Helper()
	ctx := context.Background()
	var stmts []string
	if dialect == store.DialectPostgres {
		u := `(lpad(to_hex(x), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(x), 12, '0'))::uuid`
		sid := `(lpad(to_hex(x), 8, '0') || '-0000-4000-9000-' || lpad(to_hex(x), 12, '0'))::uuid`
		stmts = []string{
			`INSERT INTO users (id, email, first_name, last_name, password_hash, security_stamp, created_at, updated_at)
			 SELECT ` + u + `, 'user' || x || '@example.com', 'Ada', 'Lovelace', '$2a$12$x', md5(x::text), now(), now()
			 FROM generate_series(1, $1) AS x`,
			`INSERT INTO sessions (id, user_id, user_agent, ip, created_at, last_used_at, expires_at)
			 SELECT ` + sid + `, ` + u + `, 'ua', '192.0.2.1', now(), now(), now() + interval '30 days'
			 FROM generate_series(1, $1) AS x`,
			`INSERT INTO refresh_tokens (selector, session_id, verifier_hash, successor_salt, created_at, expires_at)
			 SELECT 'sel' || x, ` + sid + `, '\x00', '\x00', now(), now() + interval '30 days'
			 FROM generate_series(1, $1) AS x`,
			`ANALYZE`,
		}
	} else {
		series := `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $1) `
		u := `printf('%08x-0000-4000-8000-%012x', x, x)`
		sid := `printf('%08x-0000-4000-9000-%012x', x, x)`
		now := `'2026-12-01T00:00:00.000000Z'`
		stmts = []string{
			`INSERT INTO users (id, email, first_name, last_name, password_hash, security_stamp, created_at, updated_at) ` + series +
				`SELECT ` + u + `, 'user' || x || '@example.com', 'Ada', 'Lovelace', '$2a$12$x', hex(randomblob(16)), ` + now + `, ` + now + ` FROM c`,
			`INSERT INTO sessions (id, user_id, user_agent, ip, created_at, last_used_at, expires_at) ` + series +
				`SELECT ` + sid + `, ` + u + `, 'ua', '192.0.2.1', ` + now + `, ` + now + `, '2027-01-01T00:00:00.000000Z' FROM c`,
			`INSERT INTO refresh_tokens (selector, session_id, verifier_hash, successor_salt, created_at, expires_at) ` + series +
				`SELECT 'sel' || x, ` + sid + `, x'00', x'00', ` + now + `, '2027-01-01T00:00:00.000000Z' FROM c`,
			`ANALYZE`,
		}
	}
	for _, q := range stmts {
		var err error
		if strings.Contains(q, "$1") {
			_, err = db.ExecContext(ctx, q, n)
		} else {
			_, err = db.ExecContext(ctx, q)
		}
		if err != nil {
			t.Fatalf("seed: %v\n%s", err, q)
		}
	}
}

// explain returns q's plan, one node a line.
func explain(t *testing.T, db *sql.DB, dialect, q string, args []any) string {
	t.Helper()
	prefix := "EXPLAIN "
	if dialect == store.DialectSQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	rows, err := db.Query(prefix+q, args...)
	if err != nil {
		t.Fatalf("explain: %v\n%s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprint(vals[len(vals)-1])) // SQLite's detail, PostgreSQL's plan line
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// BenchmarkLookupsAtSize times the two lookups every sign-in and every GET /api/users/me
// make, at 1,000 users and at GATEHOUSE_PLAN_USERS (default 100,000), so that "flat with
// size" is a ratio measured in one run:
//
//	GATEHOUSE_PLAN_USERS=1000000 go test ./internal/store -run '^$' -bench LookupsAtSize
func BenchmarkLookupsAtSize(b *testing.B) {
	big := 100_000
	if v := os.Getenv("GATEHOUSE_PLAN_USERS"); v != "" {
		var err error
		if big, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	opens := map[string]func(testing.TB) *store.Store{store.DialectSQLite: storetest.OpenSQLite}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		opens[store.DialectPostgres] = storetest.OpenPostgres
	}
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		open, ok := opens[dialect]
		if !ok {
			continue
		}
		for _, n := range []int{1000, big} {
			s := open(b)
			seed(b, store.DB(s), dialect, n)
			b.Run(fmt.Sprintf("%s/users=%d/FindUserByEmail", dialect, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.FindUserByEmail(b.Context(), fmt.Sprintf("user%d@example.com", 1+rand.IntN(n))); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s/users=%d/FindSessionUser", dialect, n), func(b *testing.B) {
				for b.Loop() {
					sid := uuid.MustParse(id(dialect, 's', 1+rand.IntN(n)))
					if _, _, err := s.FindSessionUser(b.Context(), sid); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
