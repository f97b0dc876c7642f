package auth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/token"
)

// Hasher hashes and verifies passwords (internal/password's Bcrypt).
type Hasher interface {
	Hash(pw string) (string, error)
	// Verify reports whether pw matches hash; an error means the hash is malformed. A password
	// longer than the algorithm reads never matches.
	Verify(hash, pw string) (bool, error)
	// NeedsRehash reports whether hash was made with other parameters than new hashes get.
	NeedsRehash(hash string) bool
}

// Options is what a Service is built from.
type Options struct {
	Store  Store
	Hasher Hasher
	Tokens *token.Issuer
	// RefreshTTL is how long a session stays signed in without use (the article's 30 days).
	RefreshTTL time.Duration
	// ReuseGrace is how long a rotated refresh token still yields its successor, so two tabs
	// refreshing at once both succeed; 0 treats any second use as reuse.
	ReuseGrace time.Duration
	Logger     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxConcurrentHashes bounds the bcrypt work in flight; 0 means twice the CPUs. Past it a
	// request waits for a slot, up to HashWait (0 means 5 s), then gets ErrBusy: a flood of
	// sign-ins then slows sign-ins, not every other request.
	MaxConcurrentHashes int
	HashWait            time.Duration
	// Email configures verification, reset and email change (see EmailOptions).
	Email EmailOptions
}

// Service carries out what users ask of Gatehouse; every rule lives here.
type Service struct {
	store      Store
	hasher     Hasher
	tokens     *token.Issuer
	refreshTTL time.Duration
	reuseGrace time.Duration
	log        *slog.Logger
	now        func() time.Time
	// dummyHash is verified when an email is unknown, so a failed sign-in takes as long
	// whether or not the account exists, and timing does not reveal which emails exist.
	dummyHash string
	hashSlots chan struct{}
	hashWait  time.Duration
	email     emailFlows
}

// NewService returns a Service. It hashes once, to make the dummy hash at the current cost.
func NewService(o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	dummy, err := o.Hasher.Hash("gatehouse dummy password")
	if err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	email, err := newEmailFlows(o.Email)
	if err != nil {
		return nil, err
	}
	slots := o.MaxConcurrentHashes
	if slots <= 0 {
		slots = 2 * runtime.GOMAXPROCS(0)
	}
	return &Service{
		store: o.Store, hasher: o.Hasher, tokens: o.Tokens,
		refreshTTL: o.RefreshTTL, reuseGrace: o.ReuseGrace, log: o.Logger,
		// Microseconds: what both databases keep, so a response says what a later read says.
		now:       func() time.Time { return o.Now().UTC().Truncate(time.Microsecond) },
		dummyHash: dummy, hashSlots: make(chan struct{}, slots), hashWait: cmp.Or(o.HashWait, 5*time.Second),
		email: email,
	}, nil
}

// RegisterInput is a new account's details.
type RegisterInput struct {
	Email     string `json:"email" format:"email" maxLength:"254" example:"ada@example.com"`
	FirstName string `json:"first_name" minLength:"1" maxLength:"100" example:"Ada"`
	LastName  string `json:"last_name" minLength:"1" maxLength:"100" example:"Lovelace"`
	Password  string `json:"password" format:"password" minLength:"8" doc:"At least 8 characters and at most 72 bytes."`
}

func (in *RegisterInput) normalize() {
	in.Email = normalizeEmail(in.Email)
	in.FirstName = strings.TrimSpace(in.FirstName)
	in.LastName = strings.TrimSpace(in.LastName)
}

// Validate reports every invalid field of in, judged as Register judges them.
func (in RegisterInput) Validate() error {
	in.normalize()
	var c checker
	c.email("email", in.Email)
	c.text("first_name", in.FirstName, false)
	c.text("last_name", in.LastName, false)
	c.password("password", in.Password)
	return c.err()
}

// Register creates an account. It returns ErrEmailTaken if the normalised email is taken;
// the database's unique index decides, so two concurrent calls cannot both succeed. Under
// private registration (EmailOptions.PrivateRegistration) a taken email instead returns
// (nil, nil), the same as success to the caller, and its owner gets a mail.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*User, error) {
	in.normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	// Hash before touching the database: it is slow on purpose and must not hold a connection.
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &User{
		ID: uuid.New(), Email: in.Email, FirstName: in.FirstName, LastName: in.LastName,
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.createUser(ctx, u); errors.Is(err, errRegistrationHidden) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	s.log.InfoContext(ctx, "user registered", "user_id", u.ID)
	return u, nil
}

// Client describes the device a sign-in or refresh comes from, for the sessions list.
type Client struct {
	IP        string
	UserAgent string
}

// Tokens is what a sign-in or refresh returns.
type Tokens struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	SessionID    uuid.UUID
	UserID       uuid.UUID
}

// Login checks an email and password and starts a session. Wrong passwords and unknown emails
// both return ErrInvalidCredentials after the same amount of work.
func (s *Service) Login(ctx context.Context, email, password string, client Client) (Tokens, error) {
	u, err := s.checkCredentials(ctx, normalizeEmail(email), password)
	if err != nil {
		return Tokens{}, err
	}
	if err := s.checkVerified(u); err != nil {
		return Tokens{}, err
	}
	if s.hasher.NeedsRehash(u.PasswordHash) {
		s.rehash(ctx, u, password)
	}
	client = client.clean()
	now := s.now()
	first, err := token.NewRefresh()
	if err != nil {
		return Tokens{}, err
	}
	salt, err := token.NewSalt()
	if err != nil {
		return Tokens{}, err
	}
	sess := &Session{
		ID: uuid.New(), UserID: u.ID, UserAgent: client.UserAgent, IP: client.IP,
		CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(s.refreshTTL),
	}
	rt := &RefreshToken{
		Selector: first.Selector, SessionID: sess.ID, VerifierHash: first.Hash(),
		SuccessorSalt: salt, CreatedAt: now, ExpiresAt: sess.ExpiresAt,
	}
	// The session is created only if the security stamp is still the one read with the hash
	// just verified: a credential change that landed while this sign-in was hashing wins. A
	// rehash leaves the stamp, so it never costs this sign-in its session.
	err = s.store.CreateSession(ctx, sess, rt, u.SecurityStamp)
	if errors.Is(err, ErrCredentialsChanged) || errors.Is(err, ErrUserNotFound) {
		return Tokens{}, ErrInvalidCredentials
	}
	if err != nil {
		return Tokens{}, fmt.Errorf("sign in: %w", err)
	}
	s.log.InfoContext(ctx, "signed in", "user_id", u.ID, "session_id", sess.ID)
	return s.issue(u.ID, sess.ID, first, now)
}

// checkCredentials returns the user whose email and password these are. An address that is
// not even valid is treated as unknown, after the same work, so it never reaches the database.
func (s *Service) checkCredentials(ctx context.Context, email, password string) (*User, error) {
	var u *User
	var err error = ErrUserNotFound
	if validEmail(email) {
		u, err = s.store.FindUserByEmail(ctx, email)
	}
	if errors.Is(err, ErrUserNotFound) {
		if _, err := s.verify(ctx, s.dummyHash, password); err != nil {
			return nil, err // busy: answered as for a known email
		}
		return nil, ErrInvalidCredentials
	}
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	ok, err := s.verify(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("verify password of user %s: %w", u.ID, err)
	}
	if !ok {
		return nil, ErrInvalidCredentials
	}
	return u, nil
}

// rehash stores a hash at the current cost (passlib's deprecated="auto") if the stored one is
// still u's. A failure is logged and the sign-in goes on: the old hash still verifies. A hash
// that changed meanwhile is no failure: either another sign-in rehashed it first (same
// password, same stamp, so this sign-in still gets its session) or the password changed, and
// then the stamp refuses the session.
func (s *Service) rehash(ctx context.Context, u *User, password string) {
	hash, err := s.hash(ctx, password)
	if err == nil {
		err = s.store.UpdatePasswordHash(ctx, u.ID, u.PasswordHash, hash)
	}
	switch {
	case errors.Is(err, ErrCredentialsChanged):
		s.log.DebugContext(ctx, "rehash skipped: the hash changed meanwhile", "user_id", u.ID)
	case err != nil:
		s.log.WarnContext(ctx, "rehash password", "user_id", u.ID, "error", err)
	}
}

func (s *Service) issue(userID, sessionID uuid.UUID, refresh token.Refresh, now time.Time) (Tokens, error) {
	access, err := s.tokens.Issue(userID, sessionID, now)
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{
		AccessToken: access, ExpiresIn: s.tokens.TTL(), RefreshToken: refresh.String(),
		SessionID: sessionID, UserID: userID,
	}, nil
}

// Authenticate returns who an access token acts for. It returns ErrNotAuthenticated unless
// the token verifies and its session still exists, so signing out, revoking a session or
// deleting the account takes effect at once, not when the token expires.
func (s *Service) Authenticate(ctx context.Context, accessToken string) (Principal, error) {
	claims, err := s.tokens.Verify(ctx, accessToken, s.now())
	if err != nil {
		return Principal{}, ErrNotAuthenticated
	}
	sess, err := s.store.FindSession(ctx, claims.SessionID)
	if errors.Is(err, ErrSessionNotFound) {
		return Principal{}, ErrNotAuthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	if sess.UserID != claims.UserID || !s.now().Before(sess.ExpiresAt) {
		return Principal{}, ErrNotAuthenticated
	}
	return Principal{UserID: claims.UserID, SessionID: claims.SessionID}, nil
}

// Ping returns nil when the store answers.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// clean makes client metadata safe to store and show: valid UTF-8 (PostgreSQL refuses
// anything else), no control characters, and a bounded length.
func (c Client) clean() Client {
	ua := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(c.UserAgent, "\uFFFD"))
	return Client{IP: truncate(c.IP, 64), UserAgent: truncate(ua, 512)}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
