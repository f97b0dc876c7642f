package token

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// segmentEncoding decodes JWT segments: unpadded base64url, and strictly so, so that a token has one
// spelling and not the sixteen a lenient decoder accepts.
var segmentEncoding = base64.RawURLEncoding.Strict()

// maxSegment bounds a header or payload segment, so a huge forged token costs no large
// decode; ours are under 400 characters.
const maxSegment = 2048

type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

type jwtPayload struct {
	Subject   string          `json:"sub"`
	SessionID string          `json:"sid"`
	Issuer    string          `json:"iss"`
	Audience  json.RawMessage `json:"aud"`
	ExpiresAt *float64        `json:"exp"`
	IssuedAt  *float64        `json:"iat"`
	NotBefore *float64        `json:"nbf"`
}

// Verify checks s and returns its claims, or ErrInvalid. It verifies only what Gatehouse
// issues, in this order: three canonical base64url segments; a header whose alg is EdDSA
// (so neither "none" nor an HMAC token keyed with our public key can pass) and whose kid is
// a published key; the Ed25519 signature; and only then the payload, which must name our
// issuer and audience, carry exp (and iat, nbf if present) that hold at now within the
// leeway, and UUIDs in sub and sid. It is a verifier for our own tokens rather than a general
// JOSE parser, which spends most of its allocations on generality we refuse anyway.
func (i *Issuer) Verify(ctx context.Context, s string, now time.Time) (Claims, error) {
	c, err := i.verify(ctx, s, now)
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %s", ErrInvalid, err)
	}
	return c, nil
}

func (i *Issuer) verify(ctx context.Context, s string, now time.Time) (Claims, error) {
	h, rest, ok1 := strings.Cut(s, ".")
	p, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.IndexByte(sig, '.') >= 0 || len(h) > maxSegment || len(p) > maxSegment {
		return Claims{}, errString("not three segments")
	}
	buf := make([]byte, segmentEncoding.DecodedLen(max(len(h), len(p))))
	raw, err := decodeSegment(buf, h)
	if err != nil {
		return Claims{}, err
	}
	var hdr jwtHeader
	if err := json.Unmarshal(raw, &hdr); err != nil {
		return Claims{}, errString("malformed header")
	}
	if hdr.Alg != "EdDSA" {
		return Claims{}, errString("algorithm is not EdDSA")
	}
	pub, ok := i.keys.publicKey(ctx, hdr.Kid)
	if !ok {
		return Claims{}, errString("unknown key id")
	}
	var sigBuf [ed25519.SignatureSize + 3]byte
	sigBytes, err := decodeSegment(sigBuf[:], sig)
	if err != nil || len(sigBytes) != ed25519.SignatureSize {
		return Claims{}, errString("malformed signature")
	}
	if !ed25519.Verify(pub, []byte(s[:len(h)+1+len(p)]), sigBytes) {
		return Claims{}, errString("signature does not verify")
	}

	raw, err = decodeSegment(buf, p)
	if err != nil {
		return Claims{}, err
	}
	var c jwtPayload
	if err := json.Unmarshal(raw, &c); err != nil {
		return Claims{}, errString("malformed payload")
	}
	if err := i.checkClaims(&c, now); err != nil {
		return Claims{}, err
	}
	userID, err1 := uuid.Parse(c.Subject)
	sessionID, err2 := uuid.Parse(c.SessionID)
	if err1 != nil || err2 != nil {
		return Claims{}, errString("malformed sub or sid")
	}
	return Claims{UserID: userID, SessionID: sessionID, ExpiresAt: numericDate(*c.ExpiresAt)}, nil
}

// checkClaims checks iss, aud and the times, as RFC 7519 defines them, with the leeway.
func (i *Issuer) checkClaims(c *jwtPayload, now time.Time) error {
	if c.Issuer != i.issuer {
		return errString("wrong issuer")
	}
	if !hasAudience(c.Audience, i.audience) {
		return errString("wrong audience")
	}
	if c.ExpiresAt == nil {
		return errString("no exp")
	}
	if !now.Before(numericDate(*c.ExpiresAt).Add(leeway)) {
		return errString("expired")
	}
	if c.IssuedAt != nil && now.Add(leeway).Before(numericDate(*c.IssuedAt)) {
		return errString("issued in the future")
	}
	if c.NotBefore != nil && now.Add(leeway).Before(numericDate(*c.NotBefore)) {
		return errString("not valid yet")
	}
	return nil
}

// hasAudience reports whether aud, a string or an array of strings, names want.
func hasAudience(aud json.RawMessage, want string) bool {
	aud = bytes.TrimSpace(aud)
	if len(aud) > 0 && aud[0] == '"' {
		var one string
		return json.Unmarshal(aud, &one) == nil && one == want
	}
	var many []string
	if json.Unmarshal(aud, &many) != nil {
		return false
	}
	for _, a := range many {
		if a == want {
			return true
		}
	}
	return false
}

// numericDate turns a JWT NumericDate (seconds since the epoch, maybe fractional) into a time.
func numericDate(f float64) time.Time {
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
}

// decodeSegment decodes seg strictly into buf, which must be large enough.
func decodeSegment(buf []byte, seg string) ([]byte, error) {
	if segmentEncoding.DecodedLen(len(seg)) > len(buf) {
		return nil, errString("segment too long")
	}
	n, err := segmentEncoding.Decode(buf, []byte(seg))
	if err != nil {
		return nil, errString("not canonical base64url")
	}
	return buf[:n], nil
}

// errString is a reason a token is invalid; constant strings, so a refusal costs no
// allocation beyond the wrapping ErrInvalid.
type errString string

func (e errString) Error() string { return string(e) }
