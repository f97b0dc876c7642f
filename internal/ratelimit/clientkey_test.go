package ratelimit_test

import (
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

func TestClientKey(t *testing.T) {
	tests := []struct {
		name string
		addr string
		want string
	}{
		{"IPv4", "203.0.113.7", "203.0.113.7"},
		{"IPv4Loopback", "127.0.0.1", "127.0.0.1"},
		{"IPv4Mapped", "::ffff:203.0.113.7", "203.0.113.7"},
		{"IPv4MappedHex", "::ffff:cb00:7107", "203.0.113.7"},
		{"IPv6", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"IPv6SameSlash64", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
		{"IPv6OtherSlash64", "2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"IPv6Loopback", "::1", "::/64"},
		{"IPv6Zone", "fe80::1%eth0", "fe80::/64"},
		{"IPv4CompatibleIsIPv6", "::203.0.113.7", "::/64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ratelimit.ClientKey(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Fatalf("ClientKey(%s): got %q, want %q", tt.addr, got, tt.want)
			}
		})
	}
	t.Run("Zero", func(t *testing.T) {
		if got := ratelimit.ClientKey(netip.Addr{}); got != "" {
			t.Fatalf("ClientKey(zero): got %q, want empty", got)
		}
	})
}
