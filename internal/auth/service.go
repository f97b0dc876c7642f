package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/hashpool"
	"github.com/gatehouse/gatehouse/internal/password"
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
	// MaxConcurrentHashes is how many hashes run at once (the hashing workers); 0 means
	// GOMAXPROCS. Beyond them, up to HashQueueDepth requests wait in FIFO order (0 means 64
	// per worker), each at most HashWait (0 means 5 s); past either bound a request gets
	// ErrBusy with a RetryAfter: a flood of sign-ins then slows sign-ins, not every other
	// request.
	MaxConcurrentHashes int
	HashQueueDepth      int
	HashWait            time.Duration
	// HashNormalPriority keeps the hashing threads at the process's priority instead of the
	// lowest (hashpool.Options.NormalPriority).
	HashNormalPriority bool
	// Guard slows password guessing (internal/guard); nil limits nothing.
	Guard Guard
	// MaxSessionsPerUser bounds each user's sessions: a sign-in past it ends the least
	// recently used one. 0 means no bound.
	MaxSessionsPerUser int
	// Email configures verification, reset and email change (see EmailOptions).
	Email EmailOptions
	// PasswordPolicy judges every new password (register, change, reset, the operator's
	// commands) and tells a sign-in whose password it would refuse; nil means
	// password.DefaultPolicy().
	PasswordPolicy *password.Policy
}

// dummyHasher is a Hasher that has a dummy hash ready (password.Bcrypt embeds one per cost),
// so that NewService need not hash.
type dummyHasher interface {
	DummyHash() (string, error)
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
	hashing   *hashpool.Pool
	guard     Guard
	// maxSessions is Options.MaxSessionsPerUser.
	maxSessions int
	email       emailFlows
	policy      password.Policy
}

// NewService returns a Service. It takes the dummy hash from the Hasher when it has one
// (password.Bcrypt does, for every cost Gatehouse accepts, without hashing), so that start
// is fast at any cost; otherwise it hashes once, at the current cost.
func NewService(o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	var dummy string
	var err error
	if d, ok := o.Hasher.(dummyHasher); ok {
		dummy, err = d.DummyHash()
	} else {
		dummy, err = o.Hasher.Hash("gatehouse dummy password")
	}
	if err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	email, err := newEmailFlows(o.Email)
	if err != nil {
		return nil, err
	}
	if o.Guard == nil {
		o.Guard = noGuard{}
	}
	policy := password.DefaultPolicy()
	if o.PasswordPolicy != nil {
		policy = *o.PasswordPolicy
	}
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	return &Service{
		store: o.Store, hasher: o.Hasher, tokens: o.Tokens,
		refreshTTL: o.RefreshTTL, reuseGrace: o.ReuseGrace, log: o.Logger,
		// Microseconds: what both databases keep, so a response says what a later read says.
		now:       func() time.Time { return o.Now().UTC().Truncate(time.Microsecond) },
		dummyHash: dummy,
		hashing: hashpool.New(hashpool.Options{
			Workers: o.MaxConcurrentHashes, QueueDepth: o.HashQueueDepth, QueueWait: o.HashWait,
			NormalPriority: o.HashNormalPriority,
		}),
		guard: o.Guard, maxSessions: max(o.MaxSessionsPerUser, 0),
		email: email, policy: policy,
	}, nil
}

// RegisterInput is a new account's details.
type RegisterInput struct {
	Email     string `json:"email" format:"email" maxLength:"254" example:"ada@example.com"`
	FirstName string `json:"first_name" minLength:"1" maxLength:"100" example:"Ada"`
	LastName  string `json:"last_name" minLength:"1" maxLength:"100" example:"Lovelace"`
	Password  string `json:"password" format:"password" minLength:"8" doc:"At least min_length characters (8 unless the operator changed it; see GET /api/auth/password-policy) and at most 72 bytes; judged by the password policy."`
}

func (in *RegisterInput) normalize() {
	in.Email = normalizeEmail(in.Email)
	in.FirstName = strings.TrimSpace(in.FirstName)
	in.LastName = strings.TrimSpace(in.LastName)
}

// Validate reports every invalid field of in, judged as Register judges them, but for the
// password policy, which needs the Service's settings (Register applies it; see
// WithPasswordProblem).
func (in RegisterInput) Validate() error {
	in.normalize()
	var c checker
	c.email("email", in.Email)
	c.text("first_name", in.FirstName, false)
	c.text("last_name", in.LastName, false)
	c.password("password", in.Password)
	return c.err()
}

// Register creates an account. It returns a validation error if the password policy refuses
// the password (ErrBreachCheckUnavailable if its breach check failed closed), and
// ErrEmailTaken if the normalised email is taken; the database's unique index decides, so two
// concurrent calls cannot both succeed. Under
// private registration (EmailOptions.PrivateRegistration) a taken email instead returns
// (nil, nil), the same as success to the caller, and its owner gets a mail.
func (s *Service) Register(ctx context.Context, in RegisterInput) (*User, error) {
	in.normalize()
	acct := password.Account{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName}
	if err := in.Validate(); err != nil {
		return nil, s.WithPasswordProblem(err, "password", in.Password, acct)
	}
	if err := s.checkNewPassword(ctx, s.policy, "password", in.Password, acct); err != nil {
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
	s.guard.Registered(ctx)
	s.log.InfoContext(ctx, "user registered", "user_id", u.ID)
	return u, nil
}

// Client describes the device a sign-in or refresh comes from, for the sessions list.
type Client struct {
	IP        string
	UserAgent string
	// DeviceToken is the device token the client sent back from an earlier sign-in, or "".
	DeviceToken string
}

// Tokens is what a sign-in or refresh returns.
type Tokens struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	SessionID    uuid.UUID
	UserID       uuid.UUID
	// DeviceToken is issued by a sign-in (not a refresh) when a Guard is in use: the client
	// sends it back on its next sign-in to be recognised as a device the owner used before.
	DeviceToken string
	// PasswordChangeReason is set by a password sign-in whose password the current policy
	// would refuse: the refusal's type (password.TypeWeak, …). The sign-in stands; the user
	// is asked to change it. "" on a refresh and when the password passes.
	PasswordChangeReason string
}

// Login checks an email and password and starts a session. Wrong passwords and unknown emails
// both return ErrInvalidCredentials after the same amount of work. Before any password is
// checked the Guard may refuse the attempt with a *RateLimitedError; a client whose device
// token proves the owner signed in from it before is judged apart from everyone else, so
// guessing by others never locks the owner out. A password the current policy would refuse
// still signs in: Tokens.PasswordChangeReason says why it should change.
func (s *Service) Login(ctx context.Context, email, password string, client Client) (Tokens, error) {
	a := s.attempt(ctx, normalizeEmail(email), client)
	if err := s.guard.Admit(ctx, a); err != nil {
		return Tokens{}, err
	}
	u, truncated, err := s.checkCredentials(ctx, a.Email, password)
	if errors.Is(err, ErrInvalidCredentials) {
		s.guard.Failed(ctx, a)
	}
	if err != nil {
		return Tokens{}, err
	}
	if err := s.checkVerified(u); err != nil {
		return Tokens{}, err
	}
	if truncated {
		if err := s.retireTruncated(ctx, u, password); errors.Is(err, ErrCredentialsChanged) || errors.Is(err, ErrUserNotFound) {
			return Tokens{}, ErrInvalidCredentials
		} else if err != nil {
			return Tokens{}, fmt.Errorf("sign in: %w", err)
		}
	} else if s.hasher.NeedsRehash(u.PasswordHash) {
		s.rehash(ctx, u, password)
	}
	// Judged only now that the password verified, so nobody learns anything of a password
	// that is not theirs.
	reason := s.passwordChangeReason(ctx, u, password)
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
	ended, err := s.store.CreateSessionBounded(ctx, sess, rt, u.SecurityStamp, s.maxSessions)
	if errors.Is(err, ErrCredentialsChanged) || errors.Is(err, ErrUserNotFound) {
		return Tokens{}, ErrInvalidCredentials
	}
	if err != nil {
		return Tokens{}, fmt.Errorf("sign in: %w", err)
	}
	if ended > 0 {
		s.log.InfoContext(ctx, "least recently used sessions ended: too many sessions", "user_id", u.ID, "count", ended)
	}
	device, err := s.guard.Succeeded(ctx, a, u.ID)
	if err != nil {
		return Tokens{}, fmt.Errorf("sign in: device token: %w", err)
	}
	s.log.InfoContext(ctx, "signed in", "user_id", u.ID, "session_id", sess.ID, "trusted_device", a.Trusted)
	s.newDeviceCheck(ctx, u, a.Trusted, client, now)
	t, err := s.issue(u.ID, sess.ID, first, now)
	t.DeviceToken = device
	t.PasswordChangeReason = reason
	return t, err
}

// newDeviceCheck tells the owner of a sign-in from a client without the account's device
// token, once the account has signed in before: the very first sign-in (right after
// registering, say) marks the account instead, and alarms nobody. A trusted sign-in marks an
// account never marked (one imported, or older than the mark) so that it is protected from
// then on. Without a Guard there are no device tokens, so no client is known and nothing is
// told. Only the first sign-in writes; a failure is logged and the sign-in stands.
func (s *Service) newDeviceCheck(ctx context.Context, u *User, trusted bool, client Client, now time.Time) {
	if _, none := s.guard.(noGuard); none {
		return
	}
	if u.FirstSignedInAt == nil {
		if err := s.store.MarkFirstSignIn(ctx, u.ID, now); err != nil {
			s.log.WarnContext(ctx, "mark first sign-in", "user_id", u.ID, "error", err)
		}
		return
	}
	if !trusted {
		s.NotifyNewDevice(ctx, u, client)
	}
}

// attempt describes a sign-in for the Guard. A device token counts only for the account it
// was issued to: the email is looked up (cheaply, no hashing) only when the token is
// authentic, so a client without one is judged before the database is touched.
func (s *Service) attempt(ctx context.Context, email string, client Client) Attempt {
	a := Attempt{Email: email, IP: client.IP, DeviceToken: client.DeviceToken}
	if a.DeviceToken == "" || !validEmail(email) {
		return a
	}
	id, ok := s.guard.DeviceUser(ctx, a.DeviceToken)
	if !ok {
		return a
	}
	if u, err := s.store.FindUserByEmail(ctx, email); err == nil && u.ID == id {
		a.Trusted, a.UserID = true, id
	}
	return a
}

// ClearSignInFailures forgets the failed sign-ins counted against email's account, for a
// use case that proved the owner another way (a password reset).
func (s *Service) ClearSignInFailures(ctx context.Context, email string) error {
	return s.guard.ClearAccount(ctx, normalizeEmail(email))
}

// checkCredentials returns the user whose email and password these are. An address that is
// not even valid is treated as unknown, after the same work, so it never reaches the database.
// truncated says the password matched an imported hash by its first 72 bytes (verifyLogin).
func (s *Service) checkCredentials(ctx context.Context, email, password string) (*User, bool, error) {
	var u *User
	var err error = ErrUserNotFound
	if validEmail(email) {
		u, err = s.store.FindUserByEmail(ctx, email)
	}
	if errors.Is(err, ErrUserNotFound) {
		if _, err := s.verify(ctx, s.dummyHash, password); err != nil {
			return nil, false, err // busy: answered as for a known email
		}
		return nil, false, ErrInvalidCredentials
	}
	if err != nil {
		return nil, false, fmt.Errorf("sign in: %w", err)
	}
	ok, truncated, err := s.verifyLogin(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, false, fmt.Errorf("verify password of user %s: %w", u.ID, err)
	}
	if !ok {
		return nil, false, ErrInvalidCredentials
	}
	return u, truncated, nil
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
	// The user comes with the session in one query: Me, the commonest authenticated
	// request, then needs no second round trip.
	u, expires, err := s.store.FindSessionUser(ctx, claims.SessionID)
	if errors.Is(err, ErrSessionNotFound) {
		return Principal{}, ErrNotAuthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("authenticate: %w", err)
	}
	if u.ID != claims.UserID || !s.now().Before(expires) {
		return Principal{}, ErrNotAuthenticated
	}
	return Principal{UserID: claims.UserID, SessionID: claims.SessionID, user: u}, nil
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
