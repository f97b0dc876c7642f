package ratelimit

import "net/netip"

// ClientKey returns the part of a client's address that its limits key on: an IPv4 address
// as it is ("203.0.113.7"), an IPv4-mapped IPv6 address (::ffff:203.0.113.7) as the IPv4
// address it maps, and any other IPv6 address as its /64 ("2001:db8:1:2::/64"), zone
// dropped. One host usually holds a whole /64 and can pick any address in it, so keying on
// the full address would give it 2^64 fresh budgets. It returns "" for the zero Addr; callers
// must not let such clients share one key unnoticed.
func ClientKey(addr netip.Addr) string {
	addr = addr.Unmap().WithZone("")
	switch {
	case addr.Is4():
		return addr.String()
	case addr.Is6():
		p, _ := addr.Prefix(64) // cannot fail: 64 is within an IPv6 address's 128 bits
		return p.String()
	}
	return ""
}
