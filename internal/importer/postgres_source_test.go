package importer_test

import (
	"database/sql"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// The article's app on PostgreSQL: SQLAlchemy makes id a native uuid and the timestamps
// timestamp without time zone. The fixture's rows copied there import as they do from SQLite.
func TestReadArticle_Postgres(t *testing.T) {
	src := storetest.PostgresURL(t)
	db, err := sql.Open("pgx", src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	if _, err := db.ExecContext(ctx, `
		CREATE TABLE users (id UUID NOT NULL PRIMARY KEY, email VARCHAR NOT NULL UNIQUE, first_name VARCHAR NOT NULL,
			last_name VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, created_at TIMESTAMP WITHOUT TIME ZONE,
			updated_at TIMESTAMP WITHOUT TIME ZONE);
		CREATE TABLE email_accounts (id UUID NOT NULL PRIMARY KEY, user_id UUID NOT NULL REFERENCES users (id),
			email_address VARCHAR NOT NULL, provider VARCHAR NOT NULL, display_name VARCHAR,
			created_at TIMESTAMP WITHOUT TIME ZONE, updated_at TIMESTAMP WITHOUT TIME ZONE)`); err != nil {
		t.Fatal(err)
	}
	naive := func(p *time.Time) any {
		if p == nil {
			return nil
		}
		return p.Format("2006-01-02 15:04:05.999999")
	}
	copied := 0
	for _, r := range readFixture(t) {
		if r.IDProblem != "" {
			continue // a uuid column cannot hold the REAL that SQLite made of one id
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO users VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			r.ID, r.Email, r.FirstName, r.LastName, r.Hash, naive(r.CreatedAt), naive(r.UpdatedAt)); err != nil {
			t.Fatal(err)
		}
		copied++
		for _, a := range r.Accounts {
			if _, err := db.ExecContext(ctx, `INSERT INTO email_accounts VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				a.ID, r.ID, a.EmailAddress, a.Provider, a.DisplayName, naive(a.CreatedAt), naive(a.UpdatedAt)); err != nil {
				t.Fatal(err)
			}
		}
	}
	records, err := importer.ReadArticle(ctx, src)
	if err != nil {
		t.Fatalf("ReadArticle(postgres): %v", err)
	}
	if len(records) != copied {
		t.Fatalf("records: got %d, want %d", len(records), copied)
	}
	s := storetest.OpenSQLite(t)
	sum, _ := runImport(t, s, records, importer.Options{OnConflict: importer.ConflictRecent})
	if sum.Imported != 9 || sum.Accounts != 2 {
		t.Errorf("summary: got %+v, want the 9 users and 2 accounts the SQLite file gives", sum)
	}
	grace, err := s.FindUserByEmail(ctx, "grace@example.com")
	if err != nil || !grace.CreatedAt.Equal(time.Date(2024, 2, 29, 23, 59, 59, 999999000, time.UTC)) {
		t.Errorf("grace: got %+v %v, want created_at kept, read as UTC", grace, err)
	}
}
