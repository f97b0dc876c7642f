// Package config reads Gatehouse's settings from GATEHOUSE_* environment variables and
// command-line flags (a flag wins), applies defaults and validates them. It is the only code
// that reads the environment, and only cmd imports it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/password"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
	"github.com/gatehouse/gatehouse/internal/secret"
)

// Config is every setting, validated.
type Config struct {
	Addr        string
	DatabaseURL string
	// SecretKey seals the secrets kept in the database (nil when neither GATEHOUSE_SECRET_KEY
	// nor GATEHOUSE_SECRET_KEY_FILE is set: cmd then generates one on SQLite).
	SecretKey []byte
	// SecretKeyPrevious are keys that sealed before the current one: they open, never seal.
	SecretKeyPrevious [][]byte
	Issuer            string
	Audience          string
	AccessTokenTTL    time.Duration
	RefreshTokenTTL   time.Duration
	RefreshReuseGrace time.Duration
	BcryptCost        int
	// HashWorkers is how many bcrypt hashes run at once; 0 means one per core (GOMAXPROCS).
	HashWorkers int
	// HashQueueDepth is how many password operations may wait for a worker; 0 means none.
	HashQueueDepth int
	// HashQueueWait is the longest one waits before it is answered 503.
	HashQueueWait time.Duration
	// HashPriority is the hashing threads' priority: "low" (nice 19, so request-serving
	// threads always run first) or "normal".
	HashPriority string
	// Password is the password policy's settings.
	Password           PasswordSettings
	SigningKeyRotation time.Duration
	TrustedProxies     []netip.Prefix
	SecureCookies      bool
	HSTSMaxAge         time.Duration
	AllowedOrigins     []string
	LogFormat          string
	LogLevel           string
	// PublicURL is the base of every link in a mail, without a trailing slash.
	PublicURL string
	// SiteName names the service in mails' subjects and bodies.
	SiteName string
	// SMTP is where mail is delivered; nil when GATEHOUSE_SMTP_URL is unset.
	SMTP *mail.SMTPServer
	// MailFrom is the From of every mail.
	MailFrom string
	// DevMailbox writes mail as .eml files under the data directory instead of sending it.
	DevMailbox bool
	// Captcha is the CAPTCHA provider: pow, turnstile, hcaptcha or off.
	Captcha string
	// CaptchaRegisterAlways requires a solved challenge on every registration.
	CaptchaRegisterAlways bool
	// CaptchaSiteKey and CaptchaSecret are the vendor's keys (turnstile, hcaptcha only).
	CaptchaSiteKey string
	CaptchaSecret  string
	// CaptchaVerifyURL replaces the vendor's siteverify URL; "" is the vendor's own.
	CaptchaVerifyURL string
	// RedisURL is the Redis that instances share short-lived state through (rate limits, used
	// CAPTCHA challenges); "" keeps rate limits in memory and used challenges in the database.
	RedisURL    string
	RedisPrefix string
	// Rates are the rate limits; a zero Limit is off.
	Rates Rates
	// MaxSessionsPerUser bounds each user's sessions; 0 means no bound.
	MaxSessionsPerUser int
	// MetricsAddr is where /metrics is served, on a listener of its own; "" serves none.
	MetricsAddr string
	// PProf serves net/http/pprof on the metrics listener; it requires MetricsAddr.
	PProf bool
	// VerifyEmailTTL, PasswordResetTTL and EmailChangeTTL are how long mailed links and codes
	// stay valid.
	VerifyEmailTTL   time.Duration
	PasswordResetTTL time.Duration
	EmailChangeTTL   time.Duration
	// RequireVerifiedEmail refuses sign-in (after the password verified) to accounts whose
	// address is not confirmed.
	RequireVerifiedEmail bool
	// RegistrationPrivate answers a taken email at registration as a new one.
	RegistrationPrivate bool
	// SecurityNotices sends the "password changed" and "email change asked for" notices.
	SecurityNotices bool
}

// PasswordSettings configure the password policy (password.Policy) and its breach checks.
type PasswordSettings struct {
	// MinLength is the fewest code points of a new password; MinScore the lowest zxcvbn score.
	MinLength, MinScore int
	// Blocklist is the path of the operator's list of refused passwords, one a line; "" none.
	// Parse checks that it can be read; cmd loads it.
	Blocklist string
	// HIBP turns on the Have I Been Pwned range check, at HIBPURL within HIBPTimeout;
	// HIBPFailClosed refuses to decide (503) when it does not answer, instead of accepting.
	HIBP           bool
	HIBPURL        string
	HIBPTimeout    time.Duration
	HIBPFailClosed bool
}

// Rates are the rate limits, each set as RATE/PERIOD[,BURST] or off.
type Rates struct {
	SignInIP, SignInAccount, SignInAccountCeiling, SignInAccountIP, SignInGlobal, SignInDevice ratelimit.Limit
	RegisterIP, RefreshSession, PasswordUser, DeleteUser, EmailTokenIP                         ratelimit.Limit
}

// DefaultDatabaseURL is GATEHOUSE_DATABASE_URL's default. Its directory, data/, is the only
// one Gatehouse creates: an explicit path must name a directory that exists.
const DefaultDatabaseURL = "data/gatehouse.db"

// setting is one configuration value: its variable, flag, default and how to read it. A
// setting without a flag ("") is read from the environment only: a secret on a command line
// would show in every process listing.
type setting struct {
	env, flag, def, usage string
	parse                 func(c *Config, v string) error
}

// Settings lists every setting in the order the README's table shows them.
var Settings = []setting{
	{"GATEHOUSE_ADDR", "addr", "localhost:8000", "host:port to listen on (port 0 picks a free one)",
		func(c *Config, v string) error { return hostPort(&c.Addr, v) }},
	{"GATEHOUSE_DATABASE_URL", "database-url", DefaultDatabaseURL, "a SQLite file path, or postgres://user@host/db",
		func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"GATEHOUSE_SECRET_KEY", "", "", "the key that seals secrets in the database: 32 random bytes in base64 (openssl rand -base64 32)",
		func(c *Config, v string) error { return key(&c.SecretKey, v) }},
	{"GATEHOUSE_SECRET_KEY_FILE", "secret-key-file", "", "a file holding GATEHOUSE_SECRET_KEY (for container secrets)",
		func(c *Config, v string) error { return keyFile(&c.SecretKey, v) }},
	{"GATEHOUSE_SECRET_KEY_PREVIOUS", "", "", "comma-separated keys that sealed before GATEHOUSE_SECRET_KEY, kept until rotate-secret has run",
		func(c *Config, v string) error { return keys(&c.SecretKeyPrevious, splitList(v)) }},
	{"GATEHOUSE_SECRET_KEY_PREVIOUS_FILE", "secret-key-previous-file", "", "a file holding GATEHOUSE_SECRET_KEY_PREVIOUS, one key a line",
		func(c *Config, v string) error { return keysFile(&c.SecretKeyPrevious, v) }},
	{"GATEHOUSE_ISSUER", "issuer", "http://localhost:8000", "the iss claim of access tokens",
		func(c *Config, v string) error { c.Issuer = v; return nil }},
	{"GATEHOUSE_AUDIENCE", "audience", "gatehouse", "the aud claim of access tokens",
		func(c *Config, v string) error { c.Audience = v; return nil }},
	{"GATEHOUSE_ACCESS_TOKEN_TTL", "access-token-ttl", "15m", "access token lifetime (1m–24h)",
		func(c *Config, v string) error { return duration(&c.AccessTokenTTL, v, time.Minute, 24*time.Hour) }},
	{"GATEHOUSE_REFRESH_TOKEN_TTL", "refresh-token-ttl", "720h", "how long a session stays signed in unused (1h–8760h)",
		func(c *Config, v string) error { return duration(&c.RefreshTokenTTL, v, time.Hour, 8760*time.Hour) }},
	{"GATEHOUSE_REFRESH_REUSE_GRACE", "refresh-reuse-grace", "10s", "how long a rotated refresh token still yields its successor; 0 turns it off (0–1m)",
		func(c *Config, v string) error { return duration(&c.RefreshReuseGrace, v, 0, time.Minute) }},
	{"GATEHOUSE_BCRYPT_COST", "bcrypt-cost", strconv.Itoa(password.DefaultCost), "bcrypt cost of new password hashes (10–16)",
		func(c *Config, v string) error { return integer(&c.BcryptCost, v, 10, 16) }},
	{"GATEHOUSE_HASH_WORKERS", "hash-workers", "0", "how many bcrypt hashes run at once, on low-priority threads; 0 means one per core (0–1024)",
		func(c *Config, v string) error { return integer(&c.HashWorkers, v, 0, 1024) }},
	{"GATEHOUSE_HASH_QUEUE_DEPTH", "hash-queue-depth", "128", "how many sign-ins, registrations and password changes may wait for a bcrypt worker, in FIFO order; past it 503 (0–100000)",
		func(c *Config, v string) error { return integer(&c.HashQueueDepth, v, 0, 100000) }},
	{"GATEHOUSE_HASH_QUEUE_WAIT", "hash-queue-wait", "5s", "the longest a request waits for a bcrypt worker before it gets 503 (100ms–1m)",
		func(c *Config, v string) error {
			return duration(&c.HashQueueWait, v, 100*time.Millisecond, time.Minute)
		}},
	{"GATEHOUSE_HASH_PRIORITY", "hash-priority", "low", "the bcrypt workers' thread priority on Linux: low (nice 19, so every other request runs first) or normal (the process's own, e.g. where other programs at normal priority would starve hashing)",
		func(c *Config, v string) error { return oneOf(&c.HashPriority, v, "low", "normal") }},
	{"GATEHOUSE_PASSWORD_MIN_LENGTH", "password-min-length", strconv.Itoa(password.DefaultMinLength), "the fewest characters a new password may have; NIST asks 15 where the password is the only factor (1–64)",
		func(c *Config, v string) error { return integer(&c.Password.MinLength, v, 1, password.MinMaxLength) }},
	{"GATEHOUSE_PASSWORD_MIN_SCORE", "password-min-score", strconv.Itoa(password.DefaultMinScore), "the lowest zxcvbn strength score a new password may have (0–4)",
		func(c *Config, v string) error { return integer(&c.Password.MinScore, v, 0, 4) }},
	{"GATEHOUSE_PASSWORD_BLOCKLIST", "password-blocklist", "", "a file of refused passwords, one a line (case-insensitive), loaded at start",
		func(c *Config, v string) error { return readableFile(&c.Password.Blocklist, v) }},
	{"GATEHOUSE_PASSWORD_HIBP", "password-hibp", "off", "check new passwords against Have I Been Pwned's range API (k-anonymity): on or off",
		func(c *Config, v string) error { return onOff(&c.Password.HIBP, v) }},
	{"GATEHOUSE_PASSWORD_HIBP_URL", "password-hibp-url", password.DefaultHIBPURL, "the range API's base URL (serving /range/{prefix}), for a self-hosted mirror",
		func(c *Config, v string) error { return httpURL(&c.Password.HIBPURL, v) }},
	{"GATEHOUSE_PASSWORD_HIBP_TIMEOUT", "password-hibp-timeout", password.DefaultHIBPTimeout.String(), "how long a range query may take (100ms–30s)",
		func(c *Config, v string) error {
			return duration(&c.Password.HIBPTimeout, v, 100*time.Millisecond, 30*time.Second)
		}},
	{"GATEHOUSE_PASSWORD_HIBP_FAIL", "password-hibp-fail", "open", "when the range API does not answer: open (accept the password) or closed (answer 503 breach_check_unavailable)",
		func(c *Config, v string) error {
			var mode string
			err := oneOf(&mode, v, "open", "closed")
			c.Password.HIBPFailClosed = mode == "closed"
			return err
		}},
	{"GATEHOUSE_SIGNING_KEY_ROTATION", "signing-key-rotation", "720h", "age at which the access-token signing key is replaced; 0 never",
		func(c *Config, v string) error { return duration(&c.SigningKeyRotation, v, 0, 87600*time.Hour) }},
	{"GATEHOUSE_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated IPs or CIDRs whose X-Forwarded-For is believed",
		func(c *Config, v string) error { return prefixes(&c.TrustedProxies, v) }},
	{"GATEHOUSE_SECURE_COOKIES", "secure-cookies", "true", "mark the refresh cookie Secure; browsers accept that on http://localhost",
		func(c *Config, v string) error { return boolean(&c.SecureCookies, v) }},
	{"GATEHOUSE_HSTS_MAX_AGE", "hsts-max-age", "8760h", "Strict-Transport-Security max-age, sent over HTTPS only; 0 turns it off (0–17520h)",
		func(c *Config, v string) error { return duration(&c.HSTSMaxAge, v, 0, 17520*time.Hour) }},
	{"GATEHOUSE_ALLOWED_ORIGINS", "allowed-origins", "", "comma-separated origins besides our own that may call the API from a browser",
		func(c *Config, v string) error { return origins(&c.AllowedOrigins, v) }},
	{"GATEHOUSE_PUBLIC_URL", "public-url", "http://localhost:8000", "the base of every link in a mail: an absolute http(s) URL without query or fragment",
		func(c *Config, v string) error { return publicURL(&c.PublicURL, v) }},
	{"GATEHOUSE_SITE_NAME", "site-name", "Gatehouse", "the name mails give the service, in subjects and bodies",
		func(c *Config, v string) error { return siteName(&c.SiteName, v) }},
	{"GATEHOUSE_SMTP_URL", "", "", "the SMTP server mail goes through: smtp://user:password@host:587 (STARTTLS required), smtps://… (implicit TLS), or smtp://localhost:25?tls=none (plain, loopback only)",
		func(c *Config, v string) error { return smtpURL(&c.SMTP, v) }},
	{"GATEHOUSE_MAIL_FROM", "mail-from", "", "the From of every mail, such as \"Gatehouse <noreply@example.com>\"; required with GATEHOUSE_SMTP_URL",
		func(c *Config, v string) error { return mailFrom(&c.MailFrom, v) }},
	{"GATEHOUSE_DEV_MAILBOX", "dev-mailbox", "false", "development only: write mail as .eml files under the data directory instead of sending it",
		func(c *Config, v string) error { return boolean(&c.DevMailbox, v) }},
	{"GATEHOUSE_CAPTCHA", "captcha", "pow", "CAPTCHA on register and risky sign-ins: pow (self-hosted proof of work), turnstile, hcaptcha or off",
		func(c *Config, v string) error { return oneOf(&c.Captcha, v, "pow", "turnstile", "hcaptcha", "off") }},
	{"GATEHOUSE_CAPTCHA_REGISTER", "captcha-register", "auto", "auto (when the abuse limits say so) or always (every registration)",
		func(c *Config, v string) error {
			var mode string
			err := oneOf(&mode, v, "auto", "always")
			c.CaptchaRegisterAlways = mode == "always"
			return err
		}},
	{"GATEHOUSE_CAPTCHA_SITE_KEY", "captcha-site-key", "", "the Turnstile or hCaptcha site key (public)",
		func(c *Config, v string) error { c.CaptchaSiteKey = v; return nil }},
	{"GATEHOUSE_CAPTCHA_SECRET", "", "", "the Turnstile or hCaptcha secret key",
		func(c *Config, v string) error { c.CaptchaSecret = v; return nil }},
	{"GATEHOUSE_CAPTCHA_SECRET_FILE", "captcha-secret-file", "", "a file holding GATEHOUSE_CAPTCHA_SECRET",
		func(c *Config, v string) error { return secretFile(&c.CaptchaSecret, v) }},
	{"GATEHOUSE_CAPTCHA_VERIFY_URL", "captcha-verify-url", "", "the vendor's siteverify URL, if not its own (a proxy, a test server)",
		func(c *Config, v string) error { return httpURL(&c.CaptchaVerifyURL, v) }},
	{"GATEHOUSE_METRICS_ADDR", "metrics-addr", "", "host:port of a separate listener serving Prometheus metrics at /metrics (keep it private, e.g. 127.0.0.1:9100); empty serves none",
		func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			return hostPort(&c.MetricsAddr, v)
		}},
	{"GATEHOUSE_PPROF", "pprof", "false", "also serve net/http/pprof at /debug/pprof/ on the metrics listener; requires GATEHOUSE_METRICS_ADDR",
		func(c *Config, v string) error { return boolean(&c.PProf, v) }},
	{"GATEHOUSE_VERIFY_EMAIL_TTL", "verify-email-ttl", "24h", "how long an email verification link and code stay valid (5m–168h)",
		func(c *Config, v string) error { return duration(&c.VerifyEmailTTL, v, 5*time.Minute, 168*time.Hour) }},
	{"GATEHOUSE_PASSWORD_RESET_TTL", "password-reset-ttl", "1h", "how long a password-reset link and code stay valid (5m–24h)",
		func(c *Config, v string) error { return duration(&c.PasswordResetTTL, v, 5*time.Minute, 24*time.Hour) }},
	{"GATEHOUSE_EMAIL_CHANGE_TTL", "email-change-ttl", "24h", "how long an email-change confirmation stays valid (5m–168h)",
		func(c *Config, v string) error { return duration(&c.EmailChangeTTL, v, 5*time.Minute, 168*time.Hour) }},
	{"GATEHOUSE_REQUIRE_VERIFIED_EMAIL", "require-verified-email", "false", "refuse sign-in (code email_not_verified, 403) to accounts whose address is not confirmed",
		func(c *Config, v string) error { return boolean(&c.RequireVerifiedEmail, v) }},
	{"GATEHOUSE_REGISTRATION_PRIVATE", "registration-private", "false", "answer a registration with a taken email exactly as a new one and mail the address's owner; new accounts must then verify before signing in",
		func(c *Config, v string) error { return boolean(&c.RegistrationPrivate, v) }},
	{"GATEHOUSE_SECURITY_NOTICES", "security-notices", "true", "mail the account's address when its password changes, an email change is asked for, or it signs in from a client without its device token",
		func(c *Config, v string) error { return boolean(&c.SecurityNotices, v) }},
	{"GATEHOUSE_LOG_FORMAT", "log-format", "text", "text or json",
		func(c *Config, v string) error { return oneOf(&c.LogFormat, v, "text", "json") }},
	{"GATEHOUSE_LOG_LEVEL", "log-level", "info", "debug, info, warn or error",
		func(c *Config, v string) error { return oneOf(&c.LogLevel, v, "debug", "info", "warn", "error") }},
	{"GATEHOUSE_REDIS_URL", "", "", "redis://[:password@]host:port/db (rediss:// for TLS) shared by every instance for rate limits and used CAPTCHA challenges; unset keeps limits in memory and used challenges in the database",
		func(c *Config, v string) error { return redisURL(&c.RedisURL, v) }},
	{"GATEHOUSE_REDIS_PREFIX", "redis-prefix", ratelimit.DefaultRedisPrefix, "prefix of Gatehouse's Redis keys, to share one Redis with others",
		func(c *Config, v string) error { c.RedisPrefix = v; return nil }},
	{"GATEHOUSE_RATE_SIGN_IN_IP", "rate-sign-in-ip", "20/m", "sign-in attempts per client IP (IPv6 by /64)",
		func(c *Config, v string) error { return rate(&c.Rates.SignInIP, v) }},
	{"GATEHOUSE_RATE_SIGN_IN_ACCOUNT", "rate-sign-in-account", "5/m,10", "failed sign-ins per account from clients without its device token: past it, the progressive delay",
		func(c *Config, v string) error { return rate(&c.Rates.SignInAccount, v) }},
	{"GATEHOUSE_RATE_SIGN_IN_ACCOUNT_CEILING", "rate-sign-in-account-ceiling", "100/24h", "consecutive failed sign-ins per account from clients without its device token: past it, refusal",
		func(c *Config, v string) error { return rate(&c.Rates.SignInAccountCeiling, v) }},
	{"GATEHOUSE_RATE_SIGN_IN_ACCOUNT_IP", "rate-sign-in-account-ip", "20/h,5", "failed sign-ins per account and client IP",
		func(c *Config, v string) error { return rate(&c.Rates.SignInAccountIP, v) }},
	{"GATEHOUSE_RATE_SIGN_IN_GLOBAL", "rate-sign-in-global", "600/m", "failed sign-ins across the service (breaker): past it, clients without a device token are delayed",
		func(c *Config, v string) error { return rate(&c.Rates.SignInGlobal, v) }},
	{"GATEHOUSE_RATE_SIGN_IN_DEVICE", "rate-sign-in-device", "10/h", "failed sign-ins per device token: past it, the token is locked out",
		func(c *Config, v string) error { return rate(&c.Rates.SignInDevice, v) }},
	{"GATEHOUSE_RATE_REGISTER_IP", "rate-register-ip", "10/h,5", "registrations per client IP",
		func(c *Config, v string) error { return rate(&c.Rates.RegisterIP, v) }},
	{"GATEHOUSE_RATE_REFRESH_SESSION", "rate-refresh-session", "60/m", "refreshes per session",
		func(c *Config, v string) error { return rate(&c.Rates.RefreshSession, v) }},
	{"GATEHOUSE_RATE_PASSWORD_USER", "rate-password-user", "20/h,5", "password and email changes per user (each checks the current password)",
		func(c *Config, v string) error { return rate(&c.Rates.PasswordUser, v) }},
	{"GATEHOUSE_RATE_DELETE_USER", "rate-delete-user", "20/h,5", "account deletions per user (each checks the password)",
		func(c *Config, v string) error { return rate(&c.Rates.DeleteUser, v) }},
	{"GATEHOUSE_RATE_EMAIL_TOKEN_IP", "rate-email-token-ip", "30/h,10", "mailed links and codes presented per client IP (confirm an address, reset a password, report an email change)",
		func(c *Config, v string) error { return rate(&c.Rates.EmailTokenIP, v) }},
	{"GATEHOUSE_MAX_SESSIONS_PER_USER", "max-sessions-per-user", "50", "sessions a user may have; a sign-in past it ends the least recently used; 0 no bound",
		func(c *Config, v string) error { return integer(&c.MaxSessionsPerUser, v, 0, 100000) }},
}

// Scope is which settings a command reads: each scope includes the ones before it.
type Scope int

const (
	// ScopeDatabase is what every command that opens the database reads: the database, the
	// secret key and logging.
	ScopeDatabase Scope = iota + 1
	// ScopeSigningKeys adds what making a signing key needs.
	ScopeSigningKeys
	// ScopeServe is every setting.
	ScopeServe
)

// scopes places settings below ScopeServe; a setting not listed is read by serve only.
var scopes = map[string]Scope{
	"GATEHOUSE_DATABASE_URL":             ScopeDatabase,
	"GATEHOUSE_LOG_FORMAT":               ScopeDatabase,
	"GATEHOUSE_LOG_LEVEL":                ScopeDatabase,
	"GATEHOUSE_SECRET_KEY":               ScopeDatabase,
	"GATEHOUSE_SECRET_KEY_FILE":          ScopeDatabase,
	"GATEHOUSE_SECRET_KEY_PREVIOUS":      ScopeDatabase,
	"GATEHOUSE_SECRET_KEY_PREVIOUS_FILE": ScopeDatabase,
	"GATEHOUSE_ACCESS_TOKEN_TTL":         ScopeSigningKeys,
}

func (s setting) in(scope Scope) bool {
	within, ok := scopes[s.env]
	if !ok {
		within = ScopeServe
	}
	return within <= scope
}

// Load reads every setting (ScopeServe), as Parse does, with a flag set of its own whose
// usage goes to usage.
func Load(getenv func(string) string, args []string, usage io.Writer) (Config, error) {
	fs := flag.NewFlagSet("gatehouse", flag.ContinueOnError)
	fs.SetOutput(usage)
	return Parse(getenv, fs, args, ScopeServe)
}

// Parse defines on fs a flag for each setting in scope, parses args and reads those settings: a
// flag wins over its environment variable, which wins over the default. Every invalid value is
// reported in one error, each naming its variable (or flag); a secret's value never appears in
// it. A -h or -help in args returns flag.ErrHelp after fs has printed its usage.
func Parse(getenv func(string) string, fs *flag.FlagSet, args []string, scope Scope) (Config, error) {
	flags := make([]*string, len(Settings))
	for i, s := range Settings {
		if s.flag != "" && s.in(scope) {
			flags[i] = fs.String(s.flag, "", s.usage+" ($"+s.env+", default "+strconv.Quote(s.def)+")")
		}
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	var c Config
	var errs []error
	given := map[string]bool{}
	for i, s := range Settings {
		if !s.in(scope) {
			continue
		}
		v, from := s.def, s.env
		if e := getenv(s.env); e != "" {
			v = e
		}
		if s.flag != "" && set[s.flag] {
			v, from = *flags[i], "-"+s.flag
		}
		v = strings.TrimSpace(v)
		given[s.env] = v != ""
		if err := s.parse(&c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", from, err))
		}
	}
	for _, name := range []string{"GATEHOUSE_SECRET_KEY", "GATEHOUSE_SECRET_KEY_PREVIOUS", "GATEHOUSE_CAPTCHA_SECRET"} {
		if given[name] && given[name+"_FILE"] {
			errs = append(errs, fmt.Errorf("%s and %s_FILE are both set: set one", name, name))
		}
	}
	if scope >= ScopeServe && c.RefreshTokenTTL != 0 && c.RefreshTokenTTL <= c.AccessTokenTTL {
		errs = append(errs, errors.New("GATEHOUSE_REFRESH_TOKEN_TTL must be longer than GATEHOUSE_ACCESS_TOKEN_TTL"))
	}
	if scope >= ScopeServe && (c.Captcha == "turnstile" || c.Captcha == "hcaptcha") && (c.CaptchaSiteKey == "" || c.CaptchaSecret == "") {
		errs = append(errs, fmt.Errorf("GATEHOUSE_CAPTCHA=%s needs GATEHOUSE_CAPTCHA_SITE_KEY and GATEHOUSE_CAPTCHA_SECRET (or _FILE)", c.Captcha))
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("GATEHOUSE_DATABASE_URL must not be empty"))
	}
	if scope >= ScopeServe && (c.Issuer == "" || c.Audience == "") {
		errs = append(errs, errors.New("GATEHOUSE_ISSUER and GATEHOUSE_AUDIENCE must not be empty"))
	}
	if scope >= ScopeServe {
		errs = append(errs, c.mailSettings()...)
	}
	if c.PProf && c.MetricsAddr == "" {
		errs = append(errs, errors.New("GATEHOUSE_PPROF requires GATEHOUSE_METRICS_ADDR: profiles are served on the metrics listener only, never on the public one"))
	}
	return c, errors.Join(errs...)
}

// mailSettings checks the mail settings together and defaults MailFrom for the development
// mailbox.
func (c *Config) mailSettings() []error {
	var errs []error
	if c.SMTP != nil && c.DevMailbox {
		errs = append(errs, errors.New("GATEHOUSE_SMTP_URL and GATEHOUSE_DEV_MAILBOX are both set: set one (the development mailbox sends nothing)"))
	}
	if c.SMTP != nil && c.MailFrom == "" {
		errs = append(errs, errors.New("GATEHOUSE_MAIL_FROM is required with GATEHOUSE_SMTP_URL: the address mail comes from, such as \"Gatehouse <noreply@example.com>\""))
	}
	if c.MailFrom == "" && c.PublicURL != "" && c.SiteName != "" {
		u, _ := url.Parse(c.PublicURL)
		c.MailFrom = (&netmail.Address{Name: c.SiteName, Address: "noreply@" + u.Hostname()}).String()
	}
	return errs
}

func duration(dst *time.Duration, v string, lo, hi time.Duration) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 15m or 720h", v)
	}
	if d < lo || d > hi {
		return fmt.Errorf("%s is outside %s–%s", FormatDuration(d), FormatDuration(lo), FormatDuration(hi))
	}
	*dst = d
	return nil
}

// FormatDuration writes d as people write it and time.ParseDuration reads it: 1m, 24h, 1h30m,
// 10s and 0, not time.Duration's 1m0s, 24h0m0s and 0s.
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// hostPort accepts host:port with a port 0–65535 and a host that is empty (every interface),
// an IP address or a host name, so a typo fails here, named, rather than at listen.
func hostPort(dst *string, v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("%q is not host:port, such as localhost:8000, 0.0.0.0:8000 or :8000", v)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || strconv.FormatUint(n, 10) != port {
		return fmt.Errorf("%q: the port must be a number 0–65535", v)
	}
	if _, err := netip.ParseAddr(host); host != "" && err != nil && !hostName(host) {
		return fmt.Errorf("%q: %q is not an IP address or host name", v, host)
	}
	*dst = v
	return nil
}

// hostName reports whether h is a DNS name: dot-separated labels of letters, digits and
// hyphens, none empty or starting or ending with a hyphen.
func hostName(h string) bool {
	if len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// key reads a secret key. Its errors never repeat the value.
func key(dst *[]byte, v string) error {
	if v == "" {
		return nil
	}
	k, err := secret.ParseKey(v)
	if err != nil {
		return err
	}
	*dst = k
	return nil
}

// keyFile reads a secret key from the file at path v. Its errors name the file, never its content.
func keyFile(dst *[]byte, v string) error {
	if v == "" {
		return nil
	}
	k, err := secret.ReadKeyFile(v)
	if err != nil {
		return err
	}
	*dst = k
	return nil
}

func keys(dst *[][]byte, items []string) error {
	for i, item := range items {
		k, err := secret.ParseKey(item)
		if err != nil {
			return fmt.Errorf("key %d: %w", i+1, err)
		}
		*dst = append(*dst, k)
	}
	return nil
}

// keysFile reads secret keys from the file at path v, one a line; blank lines are skipped.
func keysFile(dst *[][]byte, v string) error {
	if v == "" {
		return nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return fmt.Errorf("read secret key file: %w", err)
	}
	var items []string
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimSpace(line); line != "" {
			items = append(items, line)
		}
	}
	if err := keys(dst, items); err != nil {
		return fmt.Errorf("%s: %w", v, err)
	}
	return nil
}

// secretFile reads a secret from the file at path v, trimmed. Its errors name the file, never
// its content.
func secretFile(dst *string, v string) error {
	if v == "" {
		return nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return fmt.Errorf("read secret file: %w", err)
	}
	if *dst = strings.TrimSpace(string(b)); *dst == "" {
		return fmt.Errorf("%s is empty", v)
	}
	return nil
}

// redisURL accepts a redis:// or rediss:// URL. Its errors never repeat the value, which may
// hold a password.
func httpURL(dst *string, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", v)
	}
	*dst = v
	return nil
}

func integer(dst *int, v string, lo, hi int) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", v)
	}
	if n < lo || n > hi {
		return fmt.Errorf("%d is outside %d–%d", n, lo, hi)
	}
	*dst = n
	return nil
}

func onOff(dst *bool, v string) error {
	var mode string
	err := oneOf(&mode, v, "on", "off")
	*dst = mode == "on"
	return err
}

// readableFile accepts "" or the path of a regular file that can be opened, so a mistyped
// path fails at start, named, rather than at first use.
func readableFile(dst *string, v string) error {
	if v == "" {
		return nil
	}
	f, err := os.Open(v)
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return err
	} else if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", v)
	}
	*dst = v
	return nil
}

func boolean(dst *bool, v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("%q is not true or false", v)
	}
	*dst = b
	return nil
}

func oneOf(dst *string, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			*dst = v
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
}

func prefixes(dst *[]netip.Prefix, v string) error {
	for _, item := range splitList(v) {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			addr, err2 := netip.ParseAddr(item)
			if err2 != nil {
				return fmt.Errorf("%q is not an IP address or CIDR", item)
			}
			p = netip.PrefixFrom(addr, addr.BitLen())
		}
		*dst = append(*dst, p.Masked())
	}
	return nil
}

func origins(dst *[]string, v string) error {
	for _, item := range splitList(v) {
		u, err := url.Parse(item)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			return fmt.Errorf("%q is not an origin such as https://app.example.com", item)
		}
		*dst = append(*dst, item)
	}
	return nil
}

func publicURL(dst *string, v string) error {
	if err := mail.CheckPublicURL(v); err != nil {
		return err
	}
	*dst = strings.TrimRight(v, "/")
	return nil
}

func siteName(dst *string, v string) error {
	if v == "" || len(v) > 100 || strings.ContainsFunc(v, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return errors.New("must be one line of 1–100 characters")
	}
	*dst = v
	return nil
}

// smtpURL reads GATEHOUSE_SMTP_URL. Its errors never repeat the value: it holds a password.
func smtpURL(dst **mail.SMTPServer, v string) error {
	if v == "" {
		return nil
	}
	s, err := mail.ParseSMTPURL(v)
	if err != nil {
		return err
	}
	*dst = &s
	return nil
}

func mailFrom(dst *string, v string) error {
	if v == "" {
		return nil
	}
	if err := mail.CheckFrom(v); err != nil {
		return err
	}
	*dst = v
	return nil
}

// rate reads a limit written RATE/PERIOD[,BURST]: PERIOD is s, m, h or d (one of them) or a
// duration such as 15m or 24h; BURST defaults to RATE. "off" turns the limit off.
func rate(dst *ratelimit.Limit, v string) error {
	if v == "off" {
		*dst = ratelimit.Limit{}
		return nil
	}
	bad := fmt.Errorf("%q is not a rate such as 10/m, 100/24h or 5/m,10 (RATE/PERIOD[,BURST]), or off", v)
	spec, burst, hasBurst := strings.Cut(v, ",")
	n, per, ok := strings.Cut(spec, "/")
	if !ok {
		return bad
	}
	var l ratelimit.Limit
	var err error
	if l.Rate, err = strconv.Atoi(strings.TrimSpace(n)); err != nil {
		return bad
	}
	switch per = strings.TrimSpace(per); per {
	case "s":
		l.Period = time.Second
	case "m":
		l.Period = time.Minute
	case "h":
		l.Period = time.Hour
	case "d":
		l.Period = 24 * time.Hour
	default:
		if l.Period, err = time.ParseDuration(per); err != nil {
			return bad
		}
	}
	l.Burst = l.Rate
	if hasBurst {
		if l.Burst, err = strconv.Atoi(strings.TrimSpace(burst)); err != nil {
			return bad
		}
	}
	if err := l.Validate(); err != nil {
		return fmt.Errorf("%q: rate, period and burst must be positive", v)
	}
	*dst = l
	return nil
}

// redisURL checks a Redis URL's shape; its errors never repeat it, as it may hold a password.
func redisURL(dst *string, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme == "redis" || u.Scheme == "rediss") && u.Host == "" ||
		u.Scheme == "unix" && u.Path == "" || u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix" {
		return errors.New("not a URL such as redis://host:6379/0 (its value is not repeated: it may hold a password)")
	}
	*dst = v
	return nil
}

func splitList(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
