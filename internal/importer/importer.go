// Package importer moves the users of another deployment into Gatehouse: the article's FastAPI
// schema read from its SQLite file or PostgreSQL database, or a generic JSON Lines file. It
// checks every row by the rules auth applies to its own users, keeps ids, timestamps and
// password hashes as they are (so every user signs in with the password they have), reports
// each row it cannot import and why, and writes in batches, each one transaction, through a
// Store. Reading a foreign database is this package's own business; writing is the store's.
package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/password"
)

// OnConflict says what to do with users of the source whose emails differ only in case (the
// article's uniqueness was case-sensitive; Gatehouse's is not).
type OnConflict string

// The conflict policies, as --on-conflict takes them.
const (
	// ConflictSkip imports none of them: the operator decides by hand who owns the address.
	ConflictSkip OnConflict = "skip"
	// ConflictRecent keeps the one used most recently (updated_at, else created_at).
	ConflictRecent OnConflict = "recent"
	// ConflictFirst keeps the one created first.
	ConflictFirst OnConflict = "first"
)

// ParseOnConflict returns the policy s names.
func ParseOnConflict(s string) (OnConflict, error) {
	switch c := OnConflict(s); c {
	case ConflictSkip, ConflictRecent, ConflictFirst:
		return c, nil
	}
	return "", fmt.Errorf("--on-conflict must be skip, recent or first, not %q", s)
}

// The kinds of Problem, stable for scripts that read the report.
const (
	KindBadRow         = "bad_row"        // the id is no UUID, or a field does not read
	KindInvalidEmail   = "invalid_email"  // not an address Gatehouse accepts
	KindInvalidName    = "invalid_name"   // a name auth's rules refuse
	KindEmailConflict  = "email_conflict" // another row has the same email but for case
	KindEmailTaken     = "email_taken"    // another Gatehouse user has the email
	KindUnknownHash    = "unknown_hash"   // imported without a usable password
	KindNoPassword     = "no_password"    // imported without a password (JSON Lines)
	KindAccountSkipped = "account_skipped"
	KindProviderOther  = "provider_other"
)

// Problem is one line of the report: the row (its id as stored), the kind, and what happened.
// It never holds a password hash.
type Problem struct {
	Ref     string
	Kind    string
	Message string
}

func (p Problem) String() string { return fmt.Sprintf("id=%s %s: %s", p.Ref, p.Kind, p.Message) }

// Summary counts what an import did.
type Summary struct {
	Read     int // users in the source
	Imported int // users written (or that would be, in a dry run)
	Existing int // users already in Gatehouse with the same id: left as they are
	Skipped  int // users not imported: problems, conflicts, emails taken
	Accounts int // email accounts written
	// NoPassword counts imported users without a usable password, who must set one by reset.
	NoPassword int
	Problems   int
	Elapsed    time.Duration
	DryRun     bool
}

// Progress is how far the writing has come: Done of Total users considered.
type Progress struct {
	Done, Total int
	Elapsed     time.Duration
}

// Options is how Run imports.
type Options struct {
	Store      Store
	OnConflict OnConflict
	DryRun     bool
	// BatchSize is how many users one transaction writes; 0 means 2000.
	BatchSize int
	// Report is called once per Problem, in source order within each batch.
	Report func(Problem)
	// Progress is called after each batch, from one goroutine at a time.
	Progress func(Progress)
	// Writers is how many batches are written at once; 0 means 1. Several help PostgreSQL;
	// SQLite has one writer whatever the number.
	Writers int
	// Now is the clock for rows without created_at; nil means time.Now.
	Now func() time.Time
}

// Run imports records. None of the problems it reports stops it; only a failure to write does,
// and then every batch before the failed one is in, and none of the failed one.
func Run(ctx context.Context, records []Record, o Options) (Summary, error) {
	start := time.Now()
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 2000
	}
	if o.OnConflict == "" {
		o.OnConflict = ConflictSkip
	}
	report := func(p Problem) {
		if o.Report != nil {
			o.Report(p)
		}
	}
	sum := Summary{Read: len(records), DryRun: o.DryRun}
	now := o.Now().UTC().Truncate(time.Microsecond)
	users := make([]*User, len(records))
	var problems []Problem
	for i := range records {
		u, ps := check(&records[i], now)
		users[i] = u
		problems = append(problems, ps...)
	}
	problems = append(problems, resolveConflicts(records, users, o.OnConflict)...)
	for _, p := range problems {
		report(p)
	}
	sum.Problems = len(problems)

	// Batches, each with the rows it spans (so progress counts the rows skipped too).
	type batch struct {
		users []User
		refs  []string
		span  int
	}
	var batches []batch
	cur, span := batch{}, 0
	for i, u := range users {
		span++
		if u == nil {
			sum.Skipped++
			continue
		}
		cur.users = append(cur.users, *u)
		cur.refs = append(cur.refs, records[i].Ref)
		if len(cur.users) == o.BatchSize {
			cur.span, span = span, 0
			batches = append(batches, cur)
			cur = batch{}
		}
	}
	if cur.span = span; len(cur.users) > 0 || span > 0 {
		batches = append(batches, cur)
	}

	// Writers take batches in turn; on PostgreSQL several keep both the server's cores busy,
	// and each batch is still its own transaction. The first failure stops them all.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var firstErr error
	done := 0
	write := func(b batch) {
		var out []Outcome
		var err error
		if len(b.users) > 0 {
			out, err = o.Store.ImportUsers(ctx, b.users, o.DryRun)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if firstErr == nil {
				firstErr = err
				cancel()
			}
			return
		}
		for i, oc := range out {
			switch oc {
			case Inserted:
				sum.Imported++
				sum.Accounts += len(b.users[i].Accounts)
				if auth.Unusable(b.users[i].PasswordHash) {
					sum.NoPassword++
				}
			case Exists:
				sum.Existing++
			case EmailTaken:
				sum.Skipped++
				sum.Problems++
				report(Problem{b.refs[i], KindEmailTaken, "another Gatehouse user has " + b.users[i].Email + "; not imported"})
			}
		}
		done += b.span
		if o.Progress != nil {
			o.Progress(Progress{Done: done, Total: len(records), Elapsed: time.Since(start)})
		}
	}
	work := make(chan batch)
	var wg sync.WaitGroup
	for range max(1, o.Writers) {
		wg.Go(func() {
			for b := range work {
				write(b)
			}
		})
	}
feed:
	for _, b := range batches {
		select {
		case work <- b:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return sum, firstErr
	}
	if o.Progress != nil && len(batches) == 0 {
		o.Progress(Progress{Done: len(records), Total: len(records), Elapsed: time.Since(start)})
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// check turns a record into the user the import would write, or nil with the problems that
// keep it out. A hash in no format Gatehouse verifies does not keep the user out: the user is
// imported without a usable password, so their email accounts come too and they set a new
// password by reset; it is reported all the same.
func check(r *Record, now time.Time) (*User, []Problem) {
	if r.IDProblem != "" {
		return nil, []Problem{{r.Ref, KindBadRow, r.IDProblem + "; not imported"}}
	}
	email := auth.NormalizeEmail(r.Email)
	first, last := strings.TrimSpace(r.FirstName), strings.TrimSpace(r.LastName)
	var c auth.Checker
	c.Email("email", email)
	if err := c.Err(); err != nil {
		return nil, []Problem{{r.Ref, KindInvalidEmail, fmt.Sprintf("%q is not a valid email address; not imported", r.Email)}}
	}
	c.Text("first_name", first, false)
	c.Text("last_name", last, false)
	if err := c.Err(); err != nil {
		return nil, []Problem{{r.Ref, KindInvalidName, fieldErrors(err) + "; not imported"}}
	}
	var ps []Problem
	hash := r.Hash
	switch {
	case r.NoHash:
		hash = auth.UnusablePasswordHash
		ps = append(ps, Problem{r.Ref, KindNoPassword, "imported without a password: the user must set one by reset"})
	default:
		if _, err := password.Identify(r.Hash); err != nil {
			hash = auth.UnusablePasswordHash
			ps = append(ps, Problem{r.Ref, KindUnknownHash, err.Error() + "; imported without a usable password: the user must set one by reset"})
		}
	}
	created := now
	if r.CreatedAt != nil {
		created = r.CreatedAt.Truncate(time.Microsecond)
	}
	updated := created
	if r.UpdatedAt != nil {
		updated = r.UpdatedAt.Truncate(time.Microsecond)
	}
	u := &User{User: auth.User{ID: r.ID, Email: email, FirstName: first, LastName: last,
		PasswordHash: hash, CreatedAt: created, UpdatedAt: updated}}
	seen := map[string]bool{}
	for _, a := range r.Accounts {
		acc, p, ok := checkAccount(a, u)
		if p != nil {
			ps = append(ps, *p)
		}
		if ok && !seen[acc.EmailAddress] {
			seen[acc.EmailAddress] = true
			u.Accounts = append(u.Accounts, acc)
		}
	}
	return u, ps
}

// checkAccount maps an email account to a mailbox: the address normalised and checked as
// mailbox checks its own, and a provider outside gmail, outlook, imap and other kept as
// "other" (reported), since the article's column was free text and the mailbox is still the
// user's.
func checkAccount(a AccountRecord, u *User) (mailbox.EmailAccount, *Problem, bool) {
	ref := a.Ref
	if a.IDProblem != "" {
		return mailbox.EmailAccount{}, &Problem{ref, KindAccountSkipped, "email account of user " + u.ID.String() + ": " + a.IDProblem}, false
	}
	provider := mailbox.Provider(strings.ToLower(strings.TrimSpace(a.Provider)))
	var note *Problem
	in := mailbox.EmailAccountInput{EmailAddress: a.EmailAddress, Provider: provider, DisplayName: a.DisplayName}
	if in.Validate() != nil {
		in.Provider = mailbox.ProviderOther
		if err := in.Validate(); err != nil {
			return mailbox.EmailAccount{}, &Problem{ref, KindAccountSkipped, "email account of user " + u.ID.String() + ": " + fieldErrors(err)}, false
		}
		note = &Problem{ref, KindProviderOther, fmt.Sprintf("email account of user %s: provider %q imported as \"other\"", u.ID, a.Provider)}
	}
	acc := mailbox.EmailAccount{ID: a.ID, UserID: u.ID, EmailAddress: auth.NormalizeEmail(a.EmailAddress),
		Provider: in.Provider, DisplayName: strings.TrimSpace(a.DisplayName), CreatedAt: u.CreatedAt, UpdatedAt: u.CreatedAt}
	if a.CreatedAt != nil {
		acc.CreatedAt = a.CreatedAt.Truncate(time.Microsecond)
		acc.UpdatedAt = acc.CreatedAt
	}
	if a.UpdatedAt != nil {
		acc.UpdatedAt = a.UpdatedAt.Truncate(time.Microsecond)
	}
	return acc, note, true
}

// fieldErrors says which fields an auth validation error names, and why.
func fieldErrors(err error) string {
	var e *auth.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err.Error()
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + " " + f.Msg
	}
	return strings.Join(parts, ", ")
}

// resolveConflicts finds users whose normalised emails are equal and, by policy, keeps one
// of them or none, reporting every row it drops with the ids of the others.
func resolveConflicts(records []Record, users []*User, policy OnConflict) []Problem {
	byEmail := map[string][]int{}
	for i, u := range users {
		if u != nil {
			byEmail[u.Email] = append(byEmail[u.Email], i)
		}
	}
	var ps []Problem
	for i, u := range users {
		if u == nil {
			continue
		}
		group := byEmail[u.Email]
		if len(group) < 2 || group[0] != i {
			continue
		}
		keep := -1
		for _, j := range group {
			switch {
			case policy == ConflictSkip:
			case keep < 0:
				keep = j
			case policy == ConflictFirst && users[j].CreatedAt.Before(users[keep].CreatedAt):
				keep = j
			case policy == ConflictRecent && lastUsed(records[j]).After(lastUsed(records[keep])):
				keep = j
			}
		}
		for _, j := range group {
			if j == keep {
				continue
			}
			var others []string
			for _, k := range group {
				if k != j {
					others = append(others, records[k].Ref)
				}
			}
			msg := fmt.Sprintf("%q has the same email but for case as %s; ", records[j].Email, strings.Join(others, ", "))
			if keep < 0 {
				msg += "none of them imported (--on-conflict skip)"
			} else {
				msg += fmt.Sprintf("kept %s (--on-conflict %s); not imported", records[keep].Ref, policy)
			}
			ps = append(ps, Problem{records[j].Ref, KindEmailConflict, msg})
			users[j] = nil
		}
	}
	return ps
}

// lastUsed is when a row was last written: updated_at, else created_at.
func lastUsed(r Record) time.Time {
	switch {
	case r.UpdatedAt != nil:
		return *r.UpdatedAt
	case r.CreatedAt != nil:
		return *r.CreatedAt
	}
	return time.Time{}
}
