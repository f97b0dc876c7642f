// Package config reads Gatehouse's settings from GATEHOUSE_* environment variables and
// command-line flags (a flag wins), applies defaults and validates them. It is the only code
// that reads the environment, and only cmd imports it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/password"
)

// Config is every setting, validated.
type Config struct {
	Addr               string
	DatabaseURL        string
	Issuer             string
	Audience           string
	AccessTokenTTL     time.Duration
	RefreshTokenTTL    time.Duration
	RefreshReuseGrace  time.Duration
	BcryptCost         int
	SigningKeyRotation time.Duration
	TrustedProxies     []netip.Prefix
	SecureCookies      bool
	HSTSMaxAge         time.Duration
	AllowedOrigins     []string
	LogFormat          string
	LogLevel           string
}

// setting is one configuration value: its variable, flag, default and how to read it.
type setting struct {
	env, flag, def, usage string
	parse                 func(c *Config, v string) error
}

// Settings lists every setting in the order the README's table shows them.
var Settings = []setting{
	{"GATEHOUSE_ADDR", "addr", "localhost:8000", "host:port to listen on (port 0 picks a free one)",
		func(c *Config, v string) error { c.Addr = v; return nil }},
	{"GATEHOUSE_DATABASE_URL", "database-url", "data/gatehouse.db", "a SQLite file path, or postgres://user@host/db",
		func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
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
	{"GATEHOUSE_LOG_FORMAT", "log-format", "text", "text or json",
		func(c *Config, v string) error { return oneOf(&c.LogFormat, v, "text", "json") }},
	{"GATEHOUSE_LOG_LEVEL", "log-level", "info", "debug, info, warn or error",
		func(c *Config, v string) error { return oneOf(&c.LogLevel, v, "debug", "info", "warn", "error") }},
}

// Load reads the settings: a flag in args wins over its environment variable, which wins
// over the default. Every invalid value is reported, each naming its variable.
func Load(getenv func(string) string, args []string, usage io.Writer) (Config, error) {
	fs := flag.NewFlagSet("gatehouse", flag.ContinueOnError)
	fs.SetOutput(usage)
	flags := make([]*string, len(Settings))
	for i, s := range Settings {
		flags[i] = fs.String(s.flag, "", s.usage+" ($"+s.env+", default "+strconv.Quote(s.def)+")")
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
	for i, s := range Settings {
		v, from := s.def, s.env
		if e := getenv(s.env); e != "" {
			v = e
		}
		if set[s.flag] {
			v, from = *flags[i], "-"+s.flag
		}
		if err := s.parse(&c, strings.TrimSpace(v)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", from, err))
		}
	}
	if c.RefreshTokenTTL != 0 && c.RefreshTokenTTL <= c.AccessTokenTTL {
		errs = append(errs, errors.New("GATEHOUSE_REFRESH_TOKEN_TTL must be longer than GATEHOUSE_ACCESS_TOKEN_TTL"))
	}
	if c.Addr == "" || c.DatabaseURL == "" || c.Issuer == "" || c.Audience == "" {
		errs = append(errs, errors.New("GATEHOUSE_ADDR, GATEHOUSE_DATABASE_URL, GATEHOUSE_ISSUER and GATEHOUSE_AUDIENCE must not be empty"))
	}
	return c, errors.Join(errs...)
}

func duration(dst *time.Duration, v string, lo, hi time.Duration) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 15m or 720h", v)
	}
	if d < lo || d > hi {
		return fmt.Errorf("%s is outside %s–%s", d, lo, hi)
	}
	*dst = d
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

func splitList(v string) []string {
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
