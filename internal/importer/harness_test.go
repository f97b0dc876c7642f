package importer_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/store"
)

const fixture = "testdata/article/article.db"

// articleSchema is the article's schema as SQLAlchemy creates it on SQLite (see
// testdata/article/README.md).
const articleSchema = `
CREATE TABLE users (
	id UUID NOT NULL, email VARCHAR NOT NULL, first_name VARCHAR NOT NULL, last_name VARCHAR NOT NULL,
	password_hash VARCHAR NOT NULL, created_at DATETIME, updated_at DATETIME,
	PRIMARY KEY (id), UNIQUE (email));
CREATE TABLE email_accounts (
	id UUID NOT NULL, user_id UUID NOT NULL, email_address VARCHAR NOT NULL, provider VARCHAR NOT NULL,
	display_name VARCHAR, created_at DATETIME, updated_at DATETIME,
	PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES users (id));`

// fixtureHash returns the real passlib $2b$12$ hash of grace@example.com in the fixture, for
// generated rows: the import copies hashes, it never computes one.
func fixtureHash(tb testing.TB) string {
	tb.Helper()
	records, err := importer.ReadArticle(context.Background(), fixture)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range records {
		if r.Email == "grace@example.com" {
			return r.Hash
		}
	}
	tb.Fatal("no grace@example.com in the fixture")
	return ""
}

// writeArticleDB writes a SQLite file in the article's schema with n users, as SQLAlchemy
// leaves it (32-hex ids, naive timestamps, some NULL updated_at), one email account for every
// tenth user, and returns its path. hash is every user's password hash.
func writeArticleDB(tb testing.TB, n int, hash string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "article.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, articleSchema); err != nil {
		tb.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	users, err := tx.PrepareContext(ctx, `INSERT INTO users VALUES ($1, $2, $3, $4, $5, $6, $7)`)
	if err != nil {
		tb.Fatal(err)
	}
	accounts, err := tx.PrepareContext(ctx, `INSERT INTO email_accounts VALUES ($1, $2, $3, 'gmail', NULL, $4, NULL)`)
	if err != nil {
		tb.Fatal(err)
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		// "a" keeps the hex id from reading as a number under NUMERIC affinity.
		id := fmt.Sprintf("a%031x", i)
		created := base.Add(time.Duration(i) * time.Second).Format("2006-01-02 15:04:05.000000")
		var updated any
		if i%3 == 0 {
			updated = created
		}
		if _, err := users.ExecContext(ctx, id, fmt.Sprintf("user%d@example.com", i), "First", "Last", hash, created, updated); err != nil {
			tb.Fatal(err)
		}
		if i%10 == 0 {
			if _, err := accounts.ExecContext(ctx, fmt.Sprintf("b%031x", i), id, fmt.Sprintf("box%d@example.com", i), created); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// countUsers returns how many users s holds.
func countUsers(tb testing.TB, s *store.Store) int {
	tb.Helper()
	list, err := s.ListUsers(context.Background(), "", time.Time{}, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return len(list)
}
