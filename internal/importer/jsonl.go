package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// jsonlUser is one line of the JSON Lines format.
type jsonlUser struct {
	ID            *string        `json:"id"`
	Email         string         `json:"email"`
	FirstName     string         `json:"first_name"`
	LastName      string         `json:"last_name"`
	PasswordHash  *string        `json:"password_hash"`
	CreatedAt     *string        `json:"created_at"`
	UpdatedAt     *string        `json:"updated_at"`
	EmailAccounts []jsonlAccount `json:"email_accounts"`
}

type jsonlAccount struct {
	ID           *string `json:"id"`
	EmailAddress string  `json:"email_address"`
	Provider     string  `json:"provider"`
	DisplayName  string  `json:"display_name"`
	CreatedAt    *string `json:"created_at"`
	UpdatedAt    *string `json:"updated_at"`
}

// jsonlNamespace derives the id of a line that has none from its normalised email, so a
// re-run of the same file finds the users it imported before instead of duplicating them.
var jsonlNamespace = uuid.MustParse("5b0c7a4e-3f1d-4c59-9a43-6a1f0e2d8c71")

// ReadJSONL reads the JSON Lines format: one user per line, {"email", "first_name",
// "last_name"} with optional "id", "created_at", "updated_at" (RFC 3339, or naive, read as
// UTC), "password_hash" and "email_accounts" ([{"email_address", "provider",
// "display_name"}]). Blank lines are skipped. A line that is not JSON is returned as a record
// with its problem, named "line N", so the rest still imports.
func ReadJSONL(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var records []Record
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		ref := "line " + strconv.Itoa(line)
		var in jsonlUser
		if err := json.Unmarshal(b, &in); err != nil {
			records = append(records, Record{Ref: ref, IDProblem: "not a JSON object of the expected fields: " + err.Error()})
			continue
		}
		records = append(records, jsonlRecord(in, ref))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read JSON Lines: %w", err)
	}
	return records, nil
}

func jsonlRecord(in jsonlUser, ref string) Record {
	r := Record{Ref: ref, Email: in.Email, FirstName: in.FirstName, LastName: in.LastName}
	if in.ID != nil {
		r.ID, _, r.IDProblem = parseIDText(*in.ID)
		r.Ref = *in.ID
	} else {
		r.ID = uuid.NewSHA1(jsonlNamespace, []byte(auth.NormalizeEmail(in.Email)))
	}
	if in.PasswordHash == nil || *in.PasswordHash == "" {
		r.NoHash = true
	} else {
		r.Hash = *in.PasswordHash
	}
	var err error
	if r.CreatedAt, err = optTime(in.CreatedAt); err != nil && r.IDProblem == "" {
		r.IDProblem = "created_at: " + err.Error()
	}
	if r.UpdatedAt, err = optTime(in.UpdatedAt); err != nil && r.IDProblem == "" {
		r.IDProblem = "updated_at: " + err.Error()
	}
	for i, a := range in.EmailAccounts {
		ar := AccountRecord{Ref: fmt.Sprintf("%s email_accounts[%d]", ref, i), EmailAddress: a.EmailAddress,
			Provider: a.Provider, DisplayName: a.DisplayName}
		if a.ID != nil {
			ar.ID, _, ar.IDProblem = parseIDText(*a.ID)
		} else {
			ar.ID = uuid.NewSHA1(r.ID, []byte(auth.NormalizeEmail(a.EmailAddress)))
		}
		if ar.CreatedAt, err = optTime(a.CreatedAt); err != nil && ar.IDProblem == "" {
			ar.IDProblem = "created_at: " + err.Error()
		}
		if ar.UpdatedAt, err = optTime(a.UpdatedAt); err != nil && ar.IDProblem == "" {
			ar.IDProblem = "updated_at: " + err.Error()
		}
		r.Accounts = append(r.Accounts, ar)
	}
	return r
}

func optTime(s *string) (*time.Time, error) {
	if s == nil {
		return nil, nil
	}
	return parseTimeText(*s)
}
