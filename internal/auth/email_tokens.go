package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mail"
)

// Purpose is what a one-time email token is for. A token found for one purpose never serves
// another: every lookup names its purpose.
type Purpose string

// The purposes of email tokens.
const (
	PurposeVerifyEmail       Purpose = "verify_email"
	PurposePasswordReset     Purpose = "password_reset"
	PurposeEmailChange       Purpose = "email_change"
	PurposeEmailChangeReport Purpose = "email_change_report"
)

// MaxCodeAttempts is how many wrong codes a token takes before its code stops working. The
// link keeps working until the token expires: it holds 256 random bits, which no one guesses,
// while a 6–8 digit code is guessable given enough tries.
const MaxCodeAttempts = 5

// codeLength is each purpose's code length: 8 digits for what hands over an account (a reset,
// a change of address), 6 for a verification, which only confirms what the user already has.
func codeLength(p Purpose) int {
	if p == PurposeVerifyEmail {
		return 6
	}
	return 8
}

// EmailToken is the stored half of a one-time token sent by mail: hashes of its link secret
// and of its code, never the plaintexts. It is bound to its user, its purpose and the address
// it was sent to, and is spent by its one use.
type EmailToken struct {
	ID           uuid.UUID
	UserID       uuid.UUID
	Purpose      Purpose
	Email        string
	TokenHash    []byte
	CodeHash     []byte
	CodeAttempts int
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UsedAt       *time.Time
}

// EmailStore keeps email tokens and queues the mail that carries them, each write in one
// transaction with its mail, so that a token never exists without its mail nor a mail
// without its token.
type EmailStore interface {
	// CreateUserWithToken is CreateUser that also inserts t and queues m, in one transaction.
	CreateUserWithToken(ctx context.Context, u *User, t *EmailToken, m *mail.Message) error
	// IssueEmailToken deletes the user's unused tokens of t.Purpose (a new one supersedes
	// them), inserts t and queues msgs, in one transaction.
	IssueEmailToken(ctx context.Context, t *EmailToken, now time.Time, msgs ...*mail.Message) error
	// EnqueueMail queues msgs at now, in one transaction.
	EnqueueMail(ctx context.Context, now time.Time, msgs ...*mail.Message) error
	// FindEmailToken returns the token of purpose with this token hash, used or not, or
	// ErrInvalidToken.
	FindEmailToken(ctx context.Context, purpose Purpose, tokenHash []byte) (*EmailToken, error)
	// FindEmailTokenByAddress returns the newest token of purpose bound to email, used or
	// not, or ErrInvalidToken.
	FindEmailTokenByAddress(ctx context.Context, purpose Purpose, email string) (*EmailToken, error)
	// ClaimCodeAttempt counts one try of the token's code and reports true, unless the token
	// is used or has had max tries already (then false, and nothing changes). The increment
	// is the check, so concurrent tries cannot slip under the limit together.
	ClaimCodeAttempt(ctx context.Context, id uuid.UUID, max int) (bool, error)
	// UseEmailToken spends t at now and applies what it is for, in one transaction, queueing
	// msgs with it: verify_email marks the address verified; password_reset sets use.PasswordHash
	// and a new security stamp, marks the address verified and deletes every session;
	// email_change sets the address to t.Email (ErrEmailTaken if the unique index refuses it),
	// a new stamp, and verifies it; email_change_report deletes the user's unused
	// email_change tokens. Every use but a report also requires the user's address to be
	// still the one the token was bound to (t.Email, or for a change the address it was asked
	// from, use.FromEmail), else ErrInvalidToken. It returns ErrTokenUsed, changing nothing, if
	// t was spent meanwhile.
	UseEmailToken(ctx context.Context, t *EmailToken, use TokenUse, now time.Time, msgs ...*mail.Message) error
	// MarkEmailVerified marks the user's current address verified at now if it is not yet.
	MarkEmailVerified(ctx context.Context, userID uuid.UUID, now time.Time) error
}

// TokenUse is what the use of a token needs besides the token.
type TokenUse struct {
	PasswordHash string // password_reset: the new password's hash
	FromEmail    string // email_change: the address being replaced
}

// secret is a token's plaintexts, as the mail carries them.
type secret struct {
	token string
	code  string
}

// newEmailToken makes a token for purpose, bound to user u and email, valid for ttl from now:
// the stored half and the secret the mail carries. The link secret is 256 random bits; the
// code, digits from crypto/rand.
func newEmailToken(u *User, purpose Purpose, email string, now time.Time, ttl time.Duration) (*EmailToken, secret, error) {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand's Read never fails
	tok := base64.RawURLEncoding.EncodeToString(b)
	n := codeLength(purpose)
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	c, err := rand.Int(rand.Reader, max)
	if err != nil {
		return nil, secret{}, fmt.Errorf("email token code: %w", err)
	}
	code := fmt.Sprintf("%0*d", n, c)
	t := &EmailToken{
		ID: uuid.New(), UserID: u.ID, Purpose: purpose, Email: email,
		TokenHash: hashToken(tok), CreatedAt: now, ExpiresAt: now.Add(ttl),
	}
	t.CodeHash = hashCode(t.ID, code)
	return t, secret{token: tok, code: code}, nil
}

// hashToken is the stored form of a link secret. SHA-256 suffices: the secret has 256 random
// bits, so its hash cannot be reversed by guessing.
func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// hashCode is the stored form of a code, salted with its token's id so that equal codes of
// two tokens hash apart. A code is short: its strength is the attempt limit and the expiry,
// not the hash, and a copy of the database exposes codes no more than the live tokens it
// already holds the hashes of.
func hashCode(id uuid.UUID, code string) []byte {
	h := sha256.New()
	h.Write(id[:])
	h.Write([]byte(code))
	return h.Sum(nil)
}

// TokenInput is how a user presents a mailed token: the link's token, or the address and the
// code of the mail.
type TokenInput struct {
	Token string `json:"token,omitempty" maxLength:"200" doc:"The token from the link's fragment (#token=…)."`
	Email string `json:"email,omitempty" format:"email" maxLength:"254" doc:"With code: the address the mail went to."`
	Code  string `json:"code,omitempty" maxLength:"8" doc:"With email: the 6–8 digit code from the mail."`
}

// The longest token and code TokenInput accepts, as its maxLength tags state: tokens are 43
// characters and codes 6–8 digits, so anything longer is not one and is refused unread.
const (
	maxTokenLength = 200
	maxCodeLength  = 8
)

// validate requires either a token or both an email and a code, none longer than its
// maxLength.
func (in TokenInput) validate() error {
	var c checker
	c.maxLength("token", in.Token, maxTokenLength)
	c.maxLength("email", in.Email, maxEmailLength)
	c.maxLength("code", in.Code, maxCodeLength)
	if err := c.err(); err != nil {
		return err
	}
	switch {
	case in.Token != "":
	case in.Email == "" && in.Code == "":
		c.add("token", "field required: give token, or email and code", typeMissing)
	case in.Code == "":
		c.add("code", "field required", typeMissing)
	case in.Email == "":
		c.add("email", "field required", typeMissing)
	}
	return c.err()
}

// findToken returns the live token in presents, of one of purposes: unexpired, unused, and,
// when presented by code, with a right code within MaxCodeAttempts. Every code tried counts
// against each live token it is compared with, the right one too: the try is claimed before
// the comparison, so a burst of parallel guesses gets MaxCodeAttempts of them, not more.
func (s *Service) findToken(ctx context.Context, in TokenInput, purposes ...Purpose) (*EmailToken, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	if in.Token != "" {
		for _, p := range purposes {
			t, err := s.store.FindEmailToken(ctx, p, hashToken(in.Token))
			if errors.Is(err, ErrInvalidToken) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("find email token: %w", err)
			}
			return live(t, now)
		}
		return nil, ErrInvalidToken
	}
	// A code is tried against the address's newest token of each purpose, each try counted
	// first, since a guesser may be aiming at any of them.
	email := normalizeEmail(in.Email)
	for _, p := range purposes {
		t, err := s.store.FindEmailTokenByAddress(ctx, p, email)
		if errors.Is(err, ErrInvalidToken) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("find email token: %w", err)
		}
		if !now.Before(t.ExpiresAt) {
			continue
		}
		// A spent token's code opens nothing: comparing it costs no try, and its owner hears
		// that it was used rather than that it is wrong.
		if t.UsedAt != nil {
			if subtle.ConstantTimeCompare(hashCode(t.ID, in.Code), t.CodeHash) == 1 {
				return nil, ErrTokenUsed
			}
			continue
		}
		claimed, err := s.store.ClaimCodeAttempt(ctx, t.ID, MaxCodeAttempts)
		if err != nil {
			return nil, fmt.Errorf("claim code attempt: %w", err)
		}
		if claimed && subtle.ConstantTimeCompare(hashCode(t.ID, in.Code), t.CodeHash) == 1 {
			return live(t, now)
		}
	}
	return nil, ErrInvalidCode
}

// live returns t if it can still be used at now.
func live(t *EmailToken, now time.Time) (*EmailToken, error) {
	switch {
	case t.UsedAt != nil:
		return nil, ErrTokenUsed
	case !now.Before(t.ExpiresAt):
		return nil, ErrInvalidToken
	}
	return t, nil
}
