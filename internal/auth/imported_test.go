package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// importedUser stores a user with hash, as gatehouse import does.
func importedUser(t *testing.T, e *env, email, hash string) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	if err := e.store.CreateUser(t.Context(), &auth.User{ID: uuid.New(), Email: email, FirstName: "I", LastName: "M",
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
}

func TestService_LoginImported(t *testing.T) {
	t.Parallel()
	t.Run("TruncatedOnce", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		long := strings.Repeat("correct horse battery staple ", 4) // 116 bytes
		h, err := bcryptAt(t, 4).Hash(long[:72])
		if err != nil {
			t.Fatal(err)
		}
		// passlib writes $2b$ for the same algorithm: the prefix is what marks it imported.
		importedUser(t, e, "long@example.com", "$2b$"+strings.TrimPrefix(h, "$2a$"))
		e.login(t, "long@example.com", long)
		if !strings.HasPrefix(mustUser(t, e, "long@example.com").PasswordHash, "$2a$") {
			t.Error("the truncating hash was not replaced at the truncated sign-in")
		}
		_, err = e.svc.Login(t.Context(), "long@example.com", long, auth.Client{})
		wantErr(t, "second Login with the long password", err, auth.ErrInvalidCredentials)
		e.login(t, "long@example.com", long[:72])
		_, err = e.svc.Login(t.Context(), "long@example.com", long[:72]+"something else", auth.Client{})
		wantErr(t, "Login with another long password", err, auth.ErrInvalidCredentials)
	})
	t.Run("OwnHashNeverTruncates", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		long := strings.Repeat("x", 80)
		h, _ := bcryptAt(t, 4).Hash(long[:72])
		importedUser(t, e, "own@example.com", h) // $2a$: Gatehouse's own
		_, err := e.svc.Login(t.Context(), "own@example.com", long, auth.Client{})
		wantErr(t, "Login over 72 bytes against a $2a$ hash", err, auth.ErrInvalidCredentials)
	})
	t.Run("UnusableMatchesNothing", func(t *testing.T) {
		t.Parallel()
		e := newService(t)
		importedUser(t, e, "nohash@example.com", auth.UnusablePasswordHash)
		for _, pw := range []string{"", "!", "violet-kayak-mercury-19"} {
			_, err := e.svc.Login(t.Context(), "nohash@example.com", pw, auth.Client{})
			wantErr(t, "Login("+pw+")", err, auth.ErrInvalidCredentials)
		}
	})
}
