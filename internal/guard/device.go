package guard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// A device token is "gd1." + base64url(user id (16) | nonce (16) | issued at, Unix seconds
// (8) | HMAC-SHA-256 of those 40 bytes (32)). It names the account so it can be bound to it,
// and a random nonce so each token's failures are counted (and locked out) on their own. It
// holds no secret of the account: stealing one only lets its holder try passwords at the
// owner's pace, and ten failures lock it out.
const (
	devicePrefix  = "gd1."
	devicePayload = 16 + 16 + 8
	deviceLen     = devicePayload + sha256.Size
)

// Succeeded implements auth.Guard: it issues a new device token bound to userID, and clears
// the failures of the client's (account, IP) pair, which belong to the owner.
func (g *Guard) Succeeded(ctx context.Context, a auth.Attempt, userID uuid.UUID) (string, error) {
	if !g.limits.AccountIP.IsZero() && !a.Trusted {
		// A reset that fails leaves the pair's failures to expire on their own: the sign-in
		// stands, and the failure is logged.
		if err := g.lim.Reset(ctx, LimitAccountIP+":account_ip:"+g.hash("account_ip", a.Email+"\x00"+clientKey(a.IP))); err != nil {
			g.log.WarnContext(ctx, "clear the failed sign-ins of a signed-in client", "user_id", userID, "error", err)
		}
	}
	b := make([]byte, deviceLen)
	copy(b, userID[:])
	if _, err := rand.Read(b[16:32]); err != nil {
		return "", err
	}
	binary.BigEndian.PutUint64(b[32:40], uint64(g.now().Unix()))
	copy(b[devicePayload:], g.mac(b[:devicePayload]))
	return devicePrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// DeviceUser implements auth.Guard: the token's user, if its MAC verifies (compared in
// constant time), it has not expired and its own failures have not locked it out.
func (g *Guard) DeviceUser(ctx context.Context, token string) (uuid.UUID, bool) {
	nonce, user, ok := g.parseDevice(token)
	if !ok {
		return uuid.Nil, false
	}
	if !g.limits.Device.IsZero() {
		res, err := g.lim.Allow(ctx, deviceKey(nonce), g.limits.Device, 0)
		locked := err == nil && res.Remaining == 0
		g.decisions.RateLimitDecision(LimitDevice, !locked)
		if locked {
			return uuid.Nil, false
		}
	}
	return user, true
}

// parseDevice returns an authentic, unexpired token's nonce and user.
func (g *Guard) parseDevice(token string) ([]byte, uuid.UUID, bool) {
	raw, ok := strings.CutPrefix(token, devicePrefix)
	if !ok || len(raw) != base64.RawURLEncoding.EncodedLen(deviceLen) {
		return nil, uuid.Nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) != deviceLen || !hmac.Equal(b[devicePayload:], g.mac(b[:devicePayload])) {
		return nil, uuid.Nil, false
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[32:40])), 0)
	if now := g.now(); now.Before(issued.Add(-time.Minute)) || !now.Before(issued.Add(g.ttl)) {
		return nil, uuid.Nil, false
	}
	user, _ := uuid.FromBytes(b[:16])
	return b[16:32], user, true
}

func (g *Guard) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte("gatehouse device token\x00"))
	m.Write(payload)
	return m.Sum(nil)
}

func deviceKey(nonce []byte) string {
	return LimitDevice + ":device:" + hex.EncodeToString(nonce)
}
