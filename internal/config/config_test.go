package config

import (
	"flag"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad_Defaults(t *testing.T) {
	c, err := Load(env(nil), nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "localhost:8000" || c.DatabaseURL != "data/gatehouse.db" || c.BcryptCost != 12 ||
		c.AccessTokenTTL != 15*time.Minute || c.RefreshTokenTTL != 720*time.Hour ||
		c.RefreshReuseGrace != 10*time.Second || !c.SecureCookies || c.LogFormat != "text" ||
		c.HashWorkers != 0 || c.HashQueueDepth != 128 || c.HashQueueWait != 5*time.Second || c.HashPriority != "low" {
		t.Errorf("got %+v", c)
	}
}

func TestLoad_FlagBeatsEnv(t *testing.T) {
	c, err := Load(env(map[string]string{"GATEHOUSE_ADDR": ":9000", "GATEHOUSE_BCRYPT_COST": "11"}),
		[]string{"-addr", "127.0.0.1:0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:0" || c.BcryptCost != 11 {
		t.Errorf("got addr %q cost %d, want 127.0.0.1:0 and 11", c.Addr, c.BcryptCost)
	}
}

func TestLoad_Lists(t *testing.T) {
	c, err := Load(env(map[string]string{
		"GATEHOUSE_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7",
		"GATEHOUSE_ALLOWED_ORIGINS": "https://app.example.com",
	}), nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32")}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[0] != want[0] || c.TrustedProxies[1] != want[1] {
		t.Errorf("got proxies %v, want %v", c.TrustedProxies, want)
	}
	if len(c.AllowedOrigins) != 1 {
		t.Errorf("got origins %v", c.AllowedOrigins)
	}
}

func TestLoad_Invalid(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"cost below 10", map[string]string{"GATEHOUSE_BCRYPT_COST": "9"}, "GATEHOUSE_BCRYPT_COST: 9 is outside 10–16"},
		{"cost not a number", map[string]string{"GATEHOUSE_BCRYPT_COST": "twelve"}, "not a whole number"},
		{"ttl", map[string]string{"GATEHOUSE_ACCESS_TOKEN_TTL": "15"}, "not a duration"},
		{"grace too long", map[string]string{"GATEHOUSE_REFRESH_REUSE_GRACE": "2h"}, "outside"},
		{"refresh shorter than access", map[string]string{"GATEHOUSE_ACCESS_TOKEN_TTL": "2h", "GATEHOUSE_REFRESH_TOKEN_TTL": "1h"}, "must be longer"},
		{"proxy", map[string]string{"GATEHOUSE_TRUSTED_PROXIES": "example.com"}, "not an IP address"},
		{"origin with path", map[string]string{"GATEHOUSE_ALLOWED_ORIGINS": "https://a.example/x"}, "not an origin"},
		{"log format", map[string]string{"GATEHOUSE_LOG_FORMAT": "xml"}, "not one of"},
		{"cookies", map[string]string{"GATEHOUSE_SECURE_COOKIES": "maybe"}, "not true or false"},
		{"hash workers", map[string]string{"GATEHOUSE_HASH_WORKERS": "-1"}, "GATEHOUSE_HASH_WORKERS: -1 is outside 0–1024"},
		{"hash queue depth", map[string]string{"GATEHOUSE_HASH_QUEUE_DEPTH": "deep"}, "GATEHOUSE_HASH_QUEUE_DEPTH: \"deep\" is not a whole number"},
		{"hash queue wait", map[string]string{"GATEHOUSE_HASH_QUEUE_WAIT": "10ms"}, "GATEHOUSE_HASH_QUEUE_WAIT: 10ms is outside 100ms–1m"},
		{"hash priority", map[string]string{"GATEHOUSE_HASH_PRIORITY": "high"}, "GATEHOUSE_HASH_PRIORITY"},
		{"durations as people write them", map[string]string{"GATEHOUSE_ACCESS_TOKEN_TTL": "30s"}, "GATEHOUSE_ACCESS_TOKEN_TTL: 30s is outside 1m–24h"},
		{"grace as people write it", map[string]string{"GATEHOUSE_REFRESH_REUSE_GRACE": "2h"}, "2h is outside 0–1m"},
		{"addr without a port", map[string]string{"GATEHOUSE_ADDR": "nope"}, `GATEHOUSE_ADDR: "nope" is not host:port`},
		{"addr port too big", map[string]string{"GATEHOUSE_ADDR": "localhost:65536"}, "the port must be a number 0–65535"},
		{"addr port a name", map[string]string{"GATEHOUSE_ADDR": "localhost:http"}, "the port must be a number 0–65535"},
		{"addr port signed", map[string]string{"GATEHOUSE_ADDR": ":+80"}, "the port must be a number 0–65535"},
		{"addr bad host", map[string]string{"GATEHOUSE_ADDR": "exa mple:80"}, "not an IP address or host name"},
		{"secret key not base64", map[string]string{"GATEHOUSE_SECRET_KEY": "hunter2!"}, "GATEHOUSE_SECRET_KEY: not standard base64 (make a key with: openssl rand -base64 32)"},
		{"secret key short", map[string]string{"GATEHOUSE_SECRET_KEY": "c2hvcnQ="}, "decodes to 5 bytes, want 32"},
		{"secret key file missing", map[string]string{"GATEHOUSE_SECRET_KEY_FILE": "/nonexistent/key"}, "GATEHOUSE_SECRET_KEY_FILE: read secret key file: open /nonexistent/key"},
		{"secret key twice", map[string]string{"GATEHOUSE_SECRET_KEY": testKey, "GATEHOUSE_SECRET_KEY_FILE": "/nonexistent/key"}, "GATEHOUSE_SECRET_KEY and GATEHOUSE_SECRET_KEY_FILE are both set"},
		{"captcha provider", map[string]string{"GATEHOUSE_CAPTCHA": "recaptcha"}, `GATEHOUSE_CAPTCHA: "recaptcha" is not one of pow, turnstile, hcaptcha, off`},
		{"captcha register", map[string]string{"GATEHOUSE_CAPTCHA_REGISTER": "sometimes"}, "not one of auto, always"},
		{"vendor without keys", map[string]string{"GATEHOUSE_CAPTCHA": "turnstile"}, "GATEHOUSE_CAPTCHA=turnstile needs GATEHOUSE_CAPTCHA_SITE_KEY and GATEHOUSE_CAPTCHA_SECRET"},
		{"vendor secret twice", map[string]string{"GATEHOUSE_CAPTCHA_SECRET": "s", "GATEHOUSE_CAPTCHA_SECRET_FILE": "/nonexistent/s"}, "GATEHOUSE_CAPTCHA_SECRET and GATEHOUSE_CAPTCHA_SECRET_FILE are both set"},
		{"verify url", map[string]string{"GATEHOUSE_CAPTCHA_VERIFY_URL": "ftp://x"}, "not an http(s) URL"},
		{"redis url", map[string]string{"GATEHOUSE_REDIS_URL": "http://:hunter2@redis:6379"}, "GATEHOUSE_REDIS_URL: not a URL such as redis://"},
		{"previous key bad", map[string]string{"GATEHOUSE_SECRET_KEY_PREVIOUS": testKey + ",nope"}, "GATEHOUSE_SECRET_KEY_PREVIOUS: key 2: decodes to 3 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env), nil, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestLoad_Captcha(t *testing.T) {
	c, err := Load(env(nil), nil, io.Discard)
	if err != nil || c.Captcha != "pow" || c.CaptchaRegisterAlways || c.RedisURL != "" {
		t.Fatalf("defaults: got %+v, %v; want pow, auto, no Redis", c, err)
	}
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte("0x4AAA-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(env(map[string]string{
		"GATEHOUSE_CAPTCHA": "hcaptcha", "GATEHOUSE_CAPTCHA_SITE_KEY": "site", "GATEHOUSE_CAPTCHA_SECRET_FILE": file,
		"GATEHOUSE_CAPTCHA_REGISTER": "always", "GATEHOUSE_REDIS_URL": "redis://127.0.0.1:6379/0",
	}), []string{"-captcha-verify-url", "http://127.0.0.1:9/siteverify"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Captcha != "hcaptcha" || c.CaptchaSecret != "0x4AAA-secret" || c.CaptchaSiteKey != "site" || !c.CaptchaRegisterAlways ||
		c.CaptchaVerifyURL != "http://127.0.0.1:9/siteverify" || c.RedisURL != "redis://127.0.0.1:6379/0" {
		t.Errorf("got %+v", c)
	}
	if _, err := Load(env(map[string]string{"GATEHOUSE_REDIS_URL": "redis://:hunter2@"}), nil, io.Discard); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("got %v, want an error that does not repeat the Redis password", err)
	}
}

// testKey is a valid GATEHOUSE_SECRET_KEY: 32 bytes in standard base64.
const testKey = "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k="

func TestLoad_EveryInvalidSettingNamed(t *testing.T) {
	_, err := Load(env(map[string]string{"GATEHOUSE_ADDR": "nope", "GATEHOUSE_BCRYPT_COST": "4", "GATEHOUSE_SECRET_KEY": "hunter2!"}), nil, io.Discard)
	if err == nil {
		t.Fatal("got nil error")
	}
	for _, want := range []string{"GATEHOUSE_ADDR", "GATEHOUSE_BCRYPT_COST", "GATEHOUSE_SECRET_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q repeats the secret key", err)
	}
}

func TestLoad_Addr(t *testing.T) {
	for _, addr := range []string{"localhost:8000", ":8000", "0.0.0.0:0", "[::1]:65535", "auth.example.com:443", "127.0.0.1:0"} {
		c, err := Load(env(map[string]string{"GATEHOUSE_ADDR": addr}), nil, io.Discard)
		if err != nil || c.Addr != addr {
			t.Errorf("GATEHOUSE_ADDR=%s: got %q, %v", addr, c.Addr, err)
		}
	}
}

func TestLoad_SecretKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "key")
	os.WriteFile(file, []byte(testKey+"\n"), 0o600)
	prev := filepath.Join(dir, "previous")
	os.WriteFile(prev, []byte(testKey+"\n\n"+"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"), 0o600)

	c, err := Load(env(nil), nil, io.Discard)
	if err != nil || c.SecretKey != nil || c.SecretKeyPrevious != nil {
		t.Errorf("unset: got %x, %x, %v; want none", c.SecretKey, c.SecretKeyPrevious, err)
	}
	c, err = Load(env(map[string]string{"GATEHOUSE_SECRET_KEY": testKey, "GATEHOUSE_SECRET_KEY_PREVIOUS_FILE": prev}), nil, io.Discard)
	if err != nil || len(c.SecretKey) != 32 || len(c.SecretKeyPrevious) != 2 {
		t.Errorf("from the environment: got %d bytes and %d previous, %v", len(c.SecretKey), len(c.SecretKeyPrevious), err)
	}
	c, err = Load(env(nil), []string{"-secret-key-file", file}, io.Discard)
	if err != nil || len(c.SecretKey) != 32 {
		t.Errorf("from -secret-key-file: got %d bytes, %v", len(c.SecretKey), err)
	}
	// The key itself has no flag: a command line shows in every process listing.
	if _, err := Load(env(nil), []string{"-secret-key", testKey}, io.Discard); err == nil {
		t.Error("-secret-key: got nil error, want an unknown flag")
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0", time.Minute: "1m", 24 * time.Hour: "24h", 90 * time.Minute: "1h30m",
		10 * time.Second: "10s", time.Hour + 30*time.Second: "1h0m30s", 8760 * time.Hour: "8760h",
		1500 * time.Millisecond: "1.5s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v): got %q, want %q", d, got, want)
		}
		if back, err := time.ParseDuration(FormatDuration(d)); err != nil || back != d {
			t.Errorf("ParseDuration(%q): got %v, %v; want %v", FormatDuration(d), back, err, d)
		}
	}
}

// A command reads only its scope: an invalid serve-only setting does not stop migrate, and
// migrate offers no serve-only flag.
func TestParse_Scope(t *testing.T) {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c, err := Parse(env(map[string]string{"GATEHOUSE_BCRYPT_COST": "4", "GATEHOUSE_DATABASE_URL": "x.db"}), fs, nil, ScopeDatabase)
	if err != nil || c.DatabaseURL != "x.db" {
		t.Fatalf("got %q, %v", c.DatabaseURL, err)
	}
	if fs.Lookup("bcrypt-cost") != nil || fs.Lookup("access-token-ttl") != nil || fs.Lookup("database-url") == nil || fs.Lookup("secret-key-file") == nil {
		t.Error("ScopeDatabase: got the wrong flags")
	}
	fs = flag.NewFlagSet("rotate-key", flag.ContinueOnError)
	c, err = Parse(env(nil), fs, []string{"-access-token-ttl", "1h"}, ScopeSigningKeys)
	if err != nil || c.AccessTokenTTL != time.Hour || fs.Lookup("addr") != nil {
		t.Errorf("ScopeSigningKeys: got %v, %v", c.AccessTokenTTL, err)
	}
}

func TestLoad_UnknownFlag(t *testing.T) {
	if _, err := Load(env(nil), []string{"-nope"}, io.Discard); err == nil {
		t.Fatal("got nil error for an unknown flag")
	}
}

// The README's configuration table must name every setting with its flag and default.
func TestREADME_ListsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, s := range Settings {
		def := "`" + s.def + "`"
		if s.def == "" {
			def = "(none)"
		}
		flag := "`-" + s.flag + "`"
		if s.flag == "" {
			flag = "—"
		}
		row := "| `" + s.env + "` | " + flag + " | " + def + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README lacks the row starting %q", row)
		}
	}
}

func TestLoad_Mail(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c, err := Load(env(nil), nil, io.Discard)
		if err != nil || c.SMTP != nil || c.DevMailbox || c.PublicURL != "http://localhost:8000" ||
			c.SiteName != "Gatehouse" || c.MailFrom != `"Gatehouse" <noreply@localhost>` {
			t.Errorf("got SMTP %v dev %v public %q site %q from %q, %v", c.SMTP, c.DevMailbox, c.PublicURL, c.SiteName, c.MailFrom, err)
		}
	})
	t.Run("SMTP", func(t *testing.T) {
		c, err := Load(env(map[string]string{
			"GATEHOUSE_SMTP_URL":   "smtp://relay%40example.com:p%40ss@mail.example.com:2525",
			"GATEHOUSE_MAIL_FROM":  "Accounts <accounts@example.com>",
			"GATEHOUSE_PUBLIC_URL": "https://accounts.example.com/",
		}), nil, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		want := mail.SMTPServer{Host: "mail.example.com", Port: 2525, Username: "relay@example.com", Password: "p@ss", TLS: mail.TLSStartTLS}
		if c.SMTP == nil || *c.SMTP != want || c.PublicURL != "https://accounts.example.com" {
			t.Errorf("got %+v, public %q; want %+v", c.SMTP, c.PublicURL, want)
		}
	})
	t.Run("Modes", func(t *testing.T) {
		for raw, want := range map[string]mail.SMTPServer{
			"smtp://mail.example.com":        {Host: "mail.example.com", Port: 587, TLS: mail.TLSStartTLS},
			"smtps://u:p@mail.example.com":   {Host: "mail.example.com", Port: 465, Username: "u", Password: "p", TLS: mail.TLSImplicit},
			"smtp://localhost:1025?tls=none": {Host: "localhost", Port: 1025, TLS: mail.TLSNone},
			"smtp://127.0.0.1:25/?tls=none":  {Host: "127.0.0.1", Port: 25, TLS: mail.TLSNone},
			"smtp://[::1]:25?tls=none":       {Host: "::1", Port: 25, TLS: mail.TLSNone},
			"smtp://u:p@[2001:db8::1]:587":   {Host: "2001:db8::1", Port: 587, Username: "u", Password: "p", TLS: mail.TLSStartTLS},
		} {
			got, err := mail.ParseSMTPURL(raw)
			if err != nil || got != want {
				t.Errorf("ParseSMTPURL(%q): got %+v, %v; want %+v", raw, got, err, want)
			}
		}
	})
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"plain to a remote host", map[string]string{"GATEHOUSE_SMTP_URL": "smtp://u:hunter2@mail.example.com:25?tls=none", "GATEHOUSE_MAIL_FROM": "a@example.com"}, "GATEHOUSE_SMTP_URL: tls=none is allowed only to a loopback address"},
		{"plain to a private address", map[string]string{"GATEHOUSE_SMTP_URL": "smtp://u:hunter2@10.0.0.5:25?tls=none", "GATEHOUSE_MAIL_FROM": "a@example.com"}, "only to a loopback address"},
		{"tls=none with smtps", map[string]string{"GATEHOUSE_SMTP_URL": "smtps://u:hunter2@localhost?tls=none", "GATEHOUSE_MAIL_FROM": "a@example.com"}, "GATEHOUSE_SMTP_URL: the only tls parameter"},
		{"unknown scheme", map[string]string{"GATEHOUSE_SMTP_URL": "http://u:hunter2@mail.example.com", "GATEHOUSE_MAIL_FROM": "a@example.com"}, "GATEHOUSE_SMTP_URL: the scheme must be"},
		{"bad port", map[string]string{"GATEHOUSE_SMTP_URL": "smtp://u:hunter2@mail.example.com:0", "GATEHOUSE_MAIL_FROM": "a@example.com"}, "GATEHOUSE_SMTP_URL: the port"},
		{"unparsable", map[string]string{"GATEHOUSE_SMTP_URL": "smtp://u:hun%zzter2@mail.example.com", "GATEHOUSE_MAIL_FROM": "a@example.com"}, "GATEHOUSE_SMTP_URL: not a URL"},
		{"unknown parameter", map[string]string{"GATEHOUSE_SMTP_URL": "smtp://u:hunter2@mail.example.com?auth=x", "GATEHOUSE_MAIL_FROM": "a@example.com"}, "unknown parameter"},
		{"no from", map[string]string{"GATEHOUSE_SMTP_URL": "smtp://u:hunter2@mail.example.com"}, "GATEHOUSE_MAIL_FROM is required"},
		{"bad from", map[string]string{"GATEHOUSE_MAIL_FROM": "not an address"}, "GATEHOUSE_MAIL_FROM:"},
		{"both senders", map[string]string{"GATEHOUSE_SMTP_URL": "smtp://u:hunter2@mail.example.com", "GATEHOUSE_MAIL_FROM": "a@example.com", "GATEHOUSE_DEV_MAILBOX": "true"}, "set one"},
		{"public URL relative", map[string]string{"GATEHOUSE_PUBLIC_URL": "accounts.example.com"}, "GATEHOUSE_PUBLIC_URL:"},
		{"public URL query", map[string]string{"GATEHOUSE_PUBLIC_URL": "https://a.example.com/?x=1"}, "no query or fragment"},
		{"public URL fragment", map[string]string{"GATEHOUSE_PUBLIC_URL": "https://a.example.com/#x"}, "no query or fragment"},
		{"site name two lines", map[string]string{"GATEHOUSE_SITE_NAME": "Gate\nhouse"}, "GATEHOUSE_SITE_NAME: must be one line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env), nil, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "hun%zzter2") {
				t.Errorf("error %q repeats the SMTP password", err)
			}
		})
	}
	// The SMTP URL holds a password: it has no flag, which would show in process listings.
	if _, err := Load(env(nil), []string{"-smtp-url", "smtp://x"}, io.Discard); err == nil {
		t.Error("-smtp-url: got nil error, want an unknown flag")
	}
}

func TestParse_Rates(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want ratelimit.Limit
		ok   bool
	}{
		{"10/m", ratelimit.Limit{Rate: 10, Period: time.Minute, Burst: 10}, true},
		{"10/m,20", ratelimit.Limit{Rate: 10, Period: time.Minute, Burst: 20}, true},
		{"100/24h", ratelimit.Limit{Rate: 100, Period: 24 * time.Hour, Burst: 100}, true},
		{"5/15m,3", ratelimit.Limit{Rate: 5, Period: 15 * time.Minute, Burst: 3}, true},
		{"1/d", ratelimit.Limit{Rate: 1, Period: 24 * time.Hour, Burst: 1}, true},
		{"off", ratelimit.Limit{}, true},
		{"10", ratelimit.Limit{}, false},
		{"0/m", ratelimit.Limit{}, false},
		{"10/m,0", ratelimit.Limit{}, false},
		{"ten/m", ratelimit.Limit{}, false},
		{"10/fortnight", ratelimit.Limit{}, false},
	} {
		env := map[string]string{"GATEHOUSE_RATE_SIGN_IN_IP": tc.v}
		c, err := Load(func(k string) string { return env[k] }, nil, io.Discard)
		if tc.ok != (err == nil) || tc.ok && c.Rates.SignInIP != tc.want {
			t.Errorf("GATEHOUSE_RATE_SIGN_IN_IP=%s: got %v, %v; want %v, ok=%v", tc.v, c.Rates.SignInIP, err, tc.want, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "GATEHOUSE_RATE_SIGN_IN_IP") {
			t.Errorf("error %q does not name the setting", err)
		}
	}
	c, err := Load(func(string) string { return "" }, nil, io.Discard)
	if err != nil || c.MaxSessionsPerUser != 50 || c.Rates.SignInAccountCeiling.Burst != 100 || c.RedisURL != "" {
		t.Errorf("defaults: got %+v, %v", c, err)
	}
	env := map[string]string{"GATEHOUSE_REDIS_URL": "http://user:hunter2@host"}
	if _, err := Load(func(k string) string { return env[k] }, nil, io.Discard); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("GATEHOUSE_REDIS_URL=http://…: got %v, want an error that does not repeat the URL", err)
	}
}

// The limit on mailed tokens and codes per client is on by default and can be set or turned off.
func TestLoad_EmailTokenRate(t *testing.T) {
	c, err := Load(env(nil), nil, io.Discard)
	if want := (ratelimit.Limit{Rate: 30, Period: time.Hour, Burst: 10}); err != nil || c.Rates.EmailTokenIP != want {
		t.Errorf("default: got %v, %v; want %v", c.Rates.EmailTokenIP, err, want)
	}
	for v, want := range map[string]ratelimit.Limit{"off": {}, "5/m": {Rate: 5, Period: time.Minute, Burst: 5}} {
		c, err := Load(env(map[string]string{"GATEHOUSE_RATE_EMAIL_TOKEN_IP": v}), nil, io.Discard)
		if err != nil || c.Rates.EmailTokenIP != want {
			t.Errorf("GATEHOUSE_RATE_EMAIL_TOKEN_IP=%s: got %v, %v; want %v", v, c.Rates.EmailTokenIP, err, want)
		}
	}
}

func TestLoad_Metrics(t *testing.T) {
	c, err := Load(env(nil), nil, io.Discard)
	if err != nil || c.MetricsAddr != "" || c.PProf {
		t.Fatalf("defaults: got addr %q pprof %v, %v; want both off", c.MetricsAddr, c.PProf, err)
	}
	c, err = Load(env(map[string]string{"GATEHOUSE_METRICS_ADDR": "127.0.0.1:9100", "GATEHOUSE_PPROF": "true"}), nil, io.Discard)
	if err != nil || c.MetricsAddr != "127.0.0.1:9100" || !c.PProf {
		t.Fatalf("got addr %q pprof %v, %v", c.MetricsAddr, c.PProf, err)
	}
	c, err = Load(env(nil), []string{"-metrics-addr", ":0"}, io.Discard)
	if err != nil || c.MetricsAddr != ":0" {
		t.Fatalf("flag: got addr %q, %v", c.MetricsAddr, err)
	}
	for name, tt := range map[string]struct {
		env  map[string]string
		want string
	}{
		"pprof without a listener": {map[string]string{"GATEHOUSE_PPROF": "true"}, "GATEHOUSE_PPROF requires GATEHOUSE_METRICS_ADDR"},
		"bad address":              {map[string]string{"GATEHOUSE_METRICS_ADDR": "9100"}, "GATEHOUSE_METRICS_ADDR:"},
		"bad boolean":              {map[string]string{"GATEHOUSE_METRICS_ADDR": ":9100", "GATEHOUSE_PPROF": "sure"}, "GATEHOUSE_PPROF:"},
	} {
		if _, err := Load(env(tt.env), nil, io.Discard); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, tt.want)
		}
	}
}

func TestLoad_Password(t *testing.T) {
	c, err := Load(env(nil), nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := PasswordSettings{MinLength: 8, MinScore: 3, HIBPURL: "https://api.pwnedpasswords.com", HIBPTimeout: 2 * time.Second}
	if c.Password.MinLength != want.MinLength || c.Password.MinScore != want.MinScore || c.Password.Blocklist != "" ||
		c.Password.HIBP || c.Password.HIBPURL != want.HIBPURL || c.Password.HIBPTimeout != want.HIBPTimeout || c.Password.HIBPFailClosed {
		t.Errorf("defaults: got %+v, want %+v", c.Password, want)
	}

	list := filepath.Join(t.TempDir(), "blocklist.txt")
	if err := os.WriteFile(list, []byte("listed-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(env(map[string]string{
		"GATEHOUSE_PASSWORD_MIN_LENGTH": "15", "GATEHOUSE_PASSWORD_MIN_SCORE": "4",
		"GATEHOUSE_PASSWORD_BLOCKLIST": list, "GATEHOUSE_PASSWORD_HIBP": "on",
		"GATEHOUSE_PASSWORD_HIBP_URL": "http://hibp.internal:8080", "GATEHOUSE_PASSWORD_HIBP_TIMEOUT": "500ms",
		"GATEHOUSE_PASSWORD_HIBP_FAIL": "closed",
	}), []string{"-password-min-length", "12"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = PasswordSettings{MinLength: 12, MinScore: 4, Blocklist: list, HIBP: true, HIBPURL: "http://hibp.internal:8080",
		HIBPTimeout: 500 * time.Millisecond, HIBPFailClosed: true}
	if c.Password != want {
		t.Errorf("set: got %+v, want %+v", c.Password, want)
	}

	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"min length 0", map[string]string{"GATEHOUSE_PASSWORD_MIN_LENGTH": "0"}, "GATEHOUSE_PASSWORD_MIN_LENGTH: 0 is outside 1–64"},
		{"min length 65", map[string]string{"GATEHOUSE_PASSWORD_MIN_LENGTH": "65"}, "GATEHOUSE_PASSWORD_MIN_LENGTH: 65 is outside 1–64"},
		{"min score 5", map[string]string{"GATEHOUSE_PASSWORD_MIN_SCORE": "5"}, "GATEHOUSE_PASSWORD_MIN_SCORE: 5 is outside 0–4"},
		{"blocklist missing", map[string]string{"GATEHOUSE_PASSWORD_BLOCKLIST": filepath.Join(t.TempDir(), "nope.txt")}, "GATEHOUSE_PASSWORD_BLOCKLIST: open "},
		{"blocklist a directory", map[string]string{"GATEHOUSE_PASSWORD_BLOCKLIST": t.TempDir()}, "is not a regular file"},
		{"hibp yes", map[string]string{"GATEHOUSE_PASSWORD_HIBP": "yes"}, `GATEHOUSE_PASSWORD_HIBP: "yes" is not one of on, off`},
		{"hibp url", map[string]string{"GATEHOUSE_PASSWORD_HIBP_URL": "ftp://mirror"}, "GATEHOUSE_PASSWORD_HIBP_URL: \"ftp://mirror\" is not an http(s) URL"},
		{"hibp timeout", map[string]string{"GATEHOUSE_PASSWORD_HIBP_TIMEOUT": "1m"}, "GATEHOUSE_PASSWORD_HIBP_TIMEOUT: 1m is outside 100ms–30s"},
		{"hibp fail", map[string]string{"GATEHOUSE_PASSWORD_HIBP_FAIL": "shut"}, `GATEHOUSE_PASSWORD_HIBP_FAIL: "shut" is not one of open, closed`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env), nil, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
