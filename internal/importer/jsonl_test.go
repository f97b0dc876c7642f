package importer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/importer"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

const jsonl = `{"email": "Joan@Example.com", "first_name": "Joan", "last_name": "Clarke", "password_hash": "$2b$12$KIXQJZ0sLQ4x0xv5Y1bV3.6n1P1Yl3Q8F1k1Jc6xj2y8eZ4m5w6xS"}
{"id": "2f0c7a4e-3f1d-4c59-9a43-6a1f0e2d8c71", "email": "no-hash@example.com", "first_name": "No", "last_name": "Hash", "created_at": "2024-01-02T03:04:05+02:00", "updated_at": "2024-01-03 00:00:00", "email_accounts": [{"email_address": "Box@Example.com", "provider": "Yahoo"}]}

not json
{"email": "bad", "first_name": "B", "last_name": "A"}
`

func TestReadJSONL(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		records, err := importer.ReadJSONL(strings.NewReader(jsonl))
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 4 {
			t.Fatalf("records: got %d, want 4 (the blank line skipped)", len(records))
		}
		sum, lines := runImport(t, s, records, importer.Options{})
		report := strings.Join(lines, "\n")
		for _, want := range []string{"id=line 4 bad_row:", "id=line 5 invalid_email:", "id=2f0c7a4e-3f1d-4c59-9a43-6a1f0e2d8c71 no_password:", "provider_other"} {
			if !strings.Contains(report, want) {
				t.Errorf("report: no %q in\n%s", want, report)
			}
		}
		if sum.Imported != 2 || sum.NoPassword != 1 || sum.Accounts != 1 {
			t.Errorf("summary: got %+v, want 2 imported, 1 without a password, 1 account", sum)
		}
		joan, err := s.FindUserByEmail(t.Context(), "joan@example.com")
		if err != nil || !strings.HasPrefix(joan.PasswordHash, "$2b$12$") {
			t.Fatalf("joan: got %+v %v", joan, err)
		}
		nohash, err := s.FindUserByID(t.Context(), uuid.MustParse("2f0c7a4e-3f1d-4c59-9a43-6a1f0e2d8c71"))
		if err != nil || nohash.PasswordHash != auth.UnusablePasswordHash ||
			!nohash.CreatedAt.Equal(time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC)) || !nohash.UpdatedAt.Equal(time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("no-hash user: got %+v %v, want the unusable hash and the times in UTC", nohash, err)
		}
		accounts, _ := s.ListEmailAccounts(t.Context(), nohash.ID)
		if len(accounts) != 1 || accounts[0].Provider != "other" || accounts[0].EmailAddress != "box@example.com" {
			t.Errorf("accounts: got %+v, want box@example.com as other", accounts)
		}
		// A line without an id gets one derived from its email, so a re-run finds it.
		again, _ := importer.ReadJSONL(strings.NewReader(jsonl))
		sum, _ = runImport(t, s, again, importer.Options{})
		if sum.Imported != 0 || sum.Existing != 2 {
			t.Errorf("re-run: got %+v, want the 2 users already there", sum)
		}
	})
}
