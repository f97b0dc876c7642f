package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Record is one user as a source holds it, before any checks: Ref names the row in reports
// (its id as stored, or its line), and fields that did not read as their type carry why.
type Record struct {
	Ref       string
	ID        uuid.UUID
	IDProblem string // set when the stored id is not a UUID
	Email     string
	FirstName string
	LastName  string
	// Hash is the stored password hash; NoHash says the source has none (JSON Lines only).
	Hash      string
	NoHash    bool
	CreatedAt *time.Time
	UpdatedAt *time.Time
	Accounts  []AccountRecord
}

// AccountRecord is one email account as a source holds it.
type AccountRecord struct {
	Ref          string
	ID           uuid.UUID
	IDProblem    string
	EmailAddress string
	Provider     string
	DisplayName  string
	CreatedAt    *time.Time
	UpdatedAt    *time.Time
}

// parseID reads a stored id: a UUID as text (32 hex digits as SQLAlchemy writes it on
// SQLite, or dashed), or, from SQLite, the REAL or INTEGER that NUMERIC affinity made of a hex
// string whose digits were all decimal, which has lost the id. It returns the id, how reports
// name it, and the problem if it is no UUID.
func parseID(v any) (uuid.UUID, string, string) {
	switch x := v.(type) {
	case string:
		return parseIDText(x)
	case []byte:
		if len(x) == 16 {
			id, _ := uuid.FromBytes(x)
			return id, id.String(), ""
		}
		return parseIDText(string(x))
	case [16]byte:
		return uuid.UUID(x), uuid.UUID(x).String(), ""
	case float64:
		ref := strconv.FormatFloat(x, 'g', -1, 64)
		return uuid.Nil, ref, "the id was stored as a number (SQLite's NUMERIC affinity turned its all-decimal hex digits into a REAL), so the UUID is lost"
	case int64:
		ref := strconv.FormatInt(x, 10)
		return uuid.Nil, ref, "the id was stored as a number (SQLite's NUMERIC affinity), so the UUID is lost"
	case nil:
		return uuid.Nil, "NULL", "the id is NULL"
	}
	return uuid.Nil, fmt.Sprint(v), fmt.Sprintf("the id has an unexpected type %T", v)
}

func parseIDText(s string) (uuid.UUID, string, string) {
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return uuid.Nil, s, "the id is not a UUID"
	}
	return id, s, ""
}

// naiveLayouts are how SQLAlchemy and others write a timestamp without a zone.
var naiveLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseTime reads a stored timestamp. One without a zone is read as UTC: the article's app
// wrote datetime.now(timezone.utc) and SQLAlchemy dropped the offset on the way to SQLite.
func parseTime(v any) (*time.Time, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case time.Time:
		t := x.UTC()
		return &t, nil
	case []byte:
		return parseTimeText(string(x))
	case string:
		return parseTimeText(x)
	}
	return nil, fmt.Errorf("timestamp of unexpected type %T", v)
}

func parseTimeText(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		t = t.UTC()
		return &t, nil
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999Z07:00", s); err == nil {
		t = t.UTC()
		return &t, nil
	}
	for _, l := range naiveLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("timestamp %q is in no known format", s)
}
