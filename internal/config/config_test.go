package config

import (
	"io"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad_Defaults(t *testing.T) {
	c, err := Load(env(nil), nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "localhost:8000" || c.DatabaseURL != "data/gatehouse.db" || c.BcryptCost != 12 ||
		c.AccessTokenTTL != 15*time.Minute || c.RefreshTokenTTL != 720*time.Hour ||
		c.RefreshReuseGrace != 10*time.Second || !c.SecureCookies || c.LogFormat != "text" {
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
		row := "| `" + s.env + "` | `-" + s.flag + "` | " + def + " |"
		if !strings.Contains(readme, row) {
			t.Errorf("README lacks the row starting %q", row)
		}
	}
}
