package mailbox_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/mailbox"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// clock is a fixed clock that tests move on by hand. It is safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a mailbox service over a real SQLite store, with its clock.
type env struct {
	svc   *mailbox.Service
	store *store.Store
	clock *clock
}

// newService returns a service on a fresh SQLite file with a clock fixed until advanced.
func newService(t *testing.T) *env {
	t.Helper()
	e := &env{store: storetest.OpenSQLite(t), clock: &clock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}}
	e.svc = mailbox.NewService(mailbox.Options{Store: e.store, Now: e.clock.Now})
	return e
}

// user creates a user with email straight in the store (mailboxes need an owner, not a
// sign-in) and returns who its requests act for.
func (e *env) user(t *testing.T, email string) auth.Principal {
	t.Helper()
	now := e.clock.Now()
	u := &auth.User{ID: uuid.New(), Email: email, FirstName: "Ada", LastName: "Lovelace", PasswordHash: "$2a$04$not-a-real-hash", CreatedAt: now, UpdatedAt: now}
	if err := e.store.CreateUser(t.Context(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", email, err)
	}
	return auth.Principal{UserID: u.ID, SessionID: uuid.New()}
}

// deleteUser deletes p's user straight in the store or fails the test.
func (e *env) deleteUser(t *testing.T, p auth.Principal) {
	t.Helper()
	u, err := e.store.FindUserByID(t.Context(), p.UserID)
	if err == nil {
		err = e.store.DeleteUser(t.Context(), u.ID, u.SecurityStamp)
	}
	if err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
}

// add connects address as a gmail account or fails the test.
func (e *env) add(t *testing.T, p auth.Principal, address string) *mailbox.EmailAccount {
	t.Helper()
	a, err := e.svc.Add(t.Context(), p, mailbox.EmailAccountInput{EmailAddress: address, Provider: mailbox.ProviderGmail})
	if err != nil {
		t.Fatalf("Add(%q): %v", address, err)
	}
	return a
}

// wantAccounts fails the test unless p's accounts are want, as "address provider display
// name" lines, in order.
func (e *env) wantAccounts(t *testing.T, p auth.Principal, want ...string) {
	t.Helper()
	list, err := e.svc.List(t.Context(), p)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var got []string
	for _, a := range list {
		if a.UserID != p.UserID {
			t.Errorf("List: got an account of user %s, want only %s's", a.UserID, p.UserID)
		}
		got = append(got, strings.TrimSpace(fmt.Sprintf("%s %s %s", a.EmailAddress, a.Provider, a.DisplayName)))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List: got %q, want %q", got, want)
	}
}

// wantErr fails the test unless errors.Is(err, want).
func wantErr(t *testing.T, op string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got %v, want %v", op, err, want)
	}
}

// wantFields fails the test unless err is a validation error listing exactly these
// "field type" pairs, in order, each with a message.
func wantFields(t *testing.T, err error, want ...string) {
	t.Helper()
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.Code != auth.CodeInvalidInput {
		t.Fatalf("got %v, want an %s error", err, auth.CodeInvalidInput)
	}
	var got []string
	for _, f := range ae.Fields {
		got = append(got, f.Field+" "+f.Type)
		if f.Msg == "" {
			t.Errorf("field %s: got an empty Msg, want a sentence", f.Field)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("fields: got %q, want %q", got, want)
	}
}
