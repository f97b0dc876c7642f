package token

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// ErrInvalid is returned for any access token that does not verify: a bad signature, an
// unknown key, another algorithm, a wrong issuer or audience, or an expired token.
var ErrInvalid = errors.New("invalid access token")

// leeway absorbs clock skew between the instances that sign and verify.
const leeway = 30 * time.Second

// Claims is what an access token says about its bearer.
type Claims struct {
	UserID    uuid.UUID
	SessionID uuid.UUID
	ExpiresAt time.Time
}

type jwtClaims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid"`
}

// Issuer signs and verifies access tokens: EdDSA JWTs with sub, sid, iat, exp, jti, iss and aud.
type Issuer struct {
	keys     *Keyring
	issuer   string
	audience string
	ttl      time.Duration
}

// NewIssuer returns an Issuer whose tokens live for ttl.
func NewIssuer(keys *Keyring, issuer, audience string, ttl time.Duration) *Issuer {
	return &Issuer{keys: keys, issuer: issuer, audience: audience, ttl: ttl}
}

// TTL returns how long an access token lives.
func (i *Issuer) TTL() time.Duration { return i.ttl }

// Issue returns a signed access token for the user's session, valid from now for TTL.
func (i *Issuer) Issue(userID, sessionID uuid.UUID, now time.Time) (string, error) {
	key, err := i.keys.signer()
	if err != nil {
		return "", err
	}
	claims := jwtClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   userID.String(),
			Issuer:    i.issuer,
			Audience:  jwt.ClaimStrings{i.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(i.ttl)),
			ID:        uuid.NewString(),
		},
		SessionID: sessionID.String(),
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header["kid"] = key.ID
	s, err := t.SignedString(key.private)
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return s, nil
}
