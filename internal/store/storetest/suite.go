package storetest

import (
	"crypto/rand"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Run runs the contract suite every dialect must pass as subtests of t (CreateUser,
// RotateRefreshToken, …), in parallel, each with a fresh store from open. Use it as
// Dialects(t, Run).
func Run(t *testing.T, open func(t *testing.T) *store.Store) {
	t.Helper()
	cases := []struct {
		name string
		run  func(t *testing.T, s *store.Store)
	}{
		{"Ping", testPing},
		{"Time", testTime},
		{"CreateUser", testCreateUser},
		{"FindUser", testFindUser},
		{"UpdateUser", testUpdateUser},
		{"MarkFirstSignIn", testMarkFirstSignIn},
		{"UpdatePasswordHash", testUpdatePasswordHash},
		{"ChangePassword", testChangePassword},
		{"SecurityStamp", testSecurityStamp},
		{"DeleteUser", testDeleteUser},
		{"CreateSession", testCreateSession},
		{"CreateSessionBounded", testCreateSessionBounded},
		{"ConcurrentBoundedSignIns", testConcurrentBoundedSignIns},
		{"FindSession", testFindSession},
		{"FindSessionUser", testFindSessionUser},
		{"ListSessions", testListSessions},
		{"DeleteSession", testDeleteSession},
		{"DeleteOtherSessions", testDeleteOtherSessions},
		{"DeleteExpired", testDeleteExpired},
		{"FindRefreshToken", testFindRefreshToken},
		{"RotateRefreshToken", testRotateRefreshToken},
		{"RotateWhileRevoking", testRotateWhileRevoking},
		{"ManyRotationsAtOnce", testManyRotationsAtOnce},
		{"SignInWhilePasswordChanges", testSignInWhilePasswordChanges},
		{"ConcurrentPasswordChanges", testConcurrentPasswordChanges},
		{"EmailAccount", testEmailAccount},
		{"ImportUsers", testImportUsers},
		{"ListUsers", testListUsers},
		{"ListSigningKeys", testListSigningKeys},
		{"CreateSigningKey", testCreateSigningKey},
		{"DeleteSigningKeysRetiredBefore", testDeleteSigningKeysRetiredBefore},
		{"ClaimMail", testClaimMail},
		{"MarkMailSent", testMarkMailSent},
		{"MarkMailFailed", testMarkMailFailed},
		{"MailStats", testMailStats},
		{"EnqueueMailAtomic", testEnqueueMailAtomic},
		{"ClaimMailConcurrently", testClaimMailConcurrently},
		{"DeleteMailBefore", testDeleteMailBefore},
		{"CaptchaKey", testCaptchaKey},
		{"SpendCaptcha", testSpendCaptcha},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, open(t))
		})
	}
	// These need a fresh store for each subtest.
	t.Run("SigningKeyCommitOrder", func(t *testing.T) {
		t.Parallel()
		testSigningKeyCommitOrder(t, open)
	})
}

// t0 is the suite's clock: UTC at microsecond precision, the precision the store keeps, so
// values round-trip exactly.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 123456000, time.UTC)

func testPing(t *testing.T, s *store.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: got %v, want nil", err)
	}
}

// testTime checks that a time in any zone and at any precision comes back as the same
// instant in UTC, truncated to the microsecond.
func testTime(t *testing.T, s *store.Store) {
	in := time.Date(2031, 6, 7, 23, 59, 59, 987654321, time.FixedZone("UTC+5:30", 5*3600+1800))
	u := &auth.User{ID: uuid.New(), Email: "time@example.com", PasswordHash: "h", CreatedAt: in, UpdatedAt: in.Add(time.Nanosecond)}
	must(t, "CreateUser", s.CreateUser(t.Context(), u))
	got, err := s.FindUserByID(t.Context(), u.ID)
	must(t, "FindUserByID", err)
	want := time.Date(2031, 6, 7, 18, 29, 59, 987654000, time.UTC)
	for _, g := range []time.Time{got.CreatedAt, got.UpdatedAt} {
		if !g.Equal(want) || g.Location() != time.UTC {
			t.Errorf("time: got %v (%v), want %v (UTC)", g, g.Location(), want)
		}
	}
}

// must fails t if err is not nil.
func must(t *testing.T, op string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: got error %v, want nil", op, err)
	}
}

// wantErr fails t unless err matches want.
func wantErr(t *testing.T, op string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", op, err, want)
	}
}

// wantEqual fails t unless got and want are deeply equal.
func wantEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// userHash is the password hash of every user newUser creates.
const userHash = "$2a$04$not-a-real-hash"

// newUser creates a user with email and userHash, created at t0; the store sets its
// SecurityStamp.
func newUser(t *testing.T, s *store.Store, email string) *auth.User {
	t.Helper()
	u := &auth.User{
		ID: uuid.New(), Email: email, FirstName: "Ada", LastName: "Lovelace",
		PasswordHash: userHash, CreatedAt: t0, UpdatedAt: t0,
	}
	must(t, "CreateUser "+email, s.CreateUser(t.Context(), u))
	if u.SecurityStamp == "" {
		t.Fatalf("CreateUser %s: got no security stamp, want a fresh one set in the user", email)
	}
	return u
}

// newSession creates a session of userID last used at lastUsed and expiring at expires, with
// its first refresh token, as a sign-in that has just read the user's security stamp would.
func newSession(t *testing.T, s *store.Store, userID uuid.UUID, lastUsed, expires time.Time) (*auth.Session, *auth.RefreshToken) {
	t.Helper()
	u, err := s.FindUserByID(t.Context(), userID)
	must(t, "FindUserByID", err)
	sess := &auth.Session{
		ID: uuid.New(), UserID: userID, UserAgent: "Firefox", IP: "192.0.2.1",
		CreatedAt: t0, LastUsedAt: lastUsed, ExpiresAt: expires,
	}
	tok := newToken(t, sess.ID, expires)
	must(t, "CreateSession", s.CreateSession(t.Context(), sess, tok, u.SecurityStamp))
	return sess, tok
}

// newToken returns an unsaved refresh token of sessionID with a random selector and hash.
func newToken(t *testing.T, sessionID uuid.UUID, expires time.Time) *auth.RefreshToken {
	t.Helper()
	return &auth.RefreshToken{
		Selector: uuid.NewString(), SessionID: sessionID, VerifierHash: randomBytes(t, 32),
		SuccessorSalt: randomBytes(t, 16), CreatedAt: t0, ExpiresAt: expires,
	}
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random: %v", err)
	}
	return b
}

// sessionIDs returns the ids of sessions, in order.
func sessionIDs(sessions []auth.Session) []uuid.UUID {
	ids := []uuid.UUID{}
	for _, s := range sessions {
		ids = append(ids, s.ID)
	}
	return ids
}
