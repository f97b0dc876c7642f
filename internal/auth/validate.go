package auth

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gatehouse/gatehouse/internal/password"
)

// Limits on what users type. Names and labels are for display; 100 characters is generous.
const (
	MaxNameLength = 100
	// MaxPasswordBytes is bcrypt's limit: it reads no further, so a longer password is refused
	// rather than silently truncated.
	MaxPasswordBytes = password.MaxBytes
	maxEmailLength   = 254
)

// The FastAPI (pydantic) types and messages the article's front end already understands.
const (
	typeMissing   = "value_error.missing"
	typeEmail     = "value_error.email"
	typeMinLength = "value_error.any_str.min_length"
	typeMaxLength = "value_error.any_str.max_length"
	typeControl   = "value_error.str.control_characters"
	typeInvisible = "value_error.str.no_visible_characters"
	// MsgMissing is FastAPI's message for a missing field.
	MsgMissing = "field required"
	// TypeMissing is FastAPI's type for a missing field.
	TypeMissing = typeMissing
)

// checker collects field errors so one response lists every invalid field.
type checker struct{ fields []FieldError }

func (c *checker) add(field, msg, typ string) {
	c.fields = append(c.fields, FieldError{Field: field, Msg: msg, Type: typ})
}

func (c *checker) err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return Invalid(c.fields...)
}

// maxLength records field as too long when v has more than max characters (code points).
func (c *checker) maxLength(field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		c.add(field, fmt.Sprintf("ensure this value has at most %d characters", max), typeMaxLength)
	}
}

// email checks an already-normalised address.
func (c *checker) email(field, v string) {
	if !validEmail(v) {
		c.add(field, "value is not a valid email address", typeEmail)
	}
}

// text checks a trimmed display string: required unless optional, at most MaxNameLength
// characters, no control or formatting characters (PostgreSQL refuses NUL; a right-to-left
// override would make a name display as another), and something visible when not empty.
func (c *checker) text(field, v string, optional bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && !optional:
		c.add(field, "ensure this value has at least 1 characters", typeMinLength)
	case n > MaxNameLength:
		c.add(field, fmt.Sprintf("ensure this value has at most %d characters", MaxNameLength), typeMaxLength)
	case strings.IndexFunc(v, isHidden) >= 0:
		c.add(field, "must not contain control characters", typeControl)
	case n > 0 && strings.IndexFunc(v, isVisible) < 0:
		c.add(field, "must contain a visible character", typeInvisible)
	}
}

// isHidden reports control (Cc) and formatting (Cf) characters, but for the zero-width
// joiner and non-joiner, which some scripts and emoji need.
func isHidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d'
}

func isVisible(r rune) bool {
	return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S, unicode.M)
}

// password checks what of a new password holds whatever the policy's settings: at most
// MaxPasswordBytes (bcrypt's limit, refused as the policy refuses it) and no NUL (C bcrypt
// implementations, Python's among them, stop or fail at it, so such a hash could not move to
// another system). The rest (length, strength, breaches) is the policy's, which the Service
// applies with its settings (checkNewPassword).
func (c *checker) password(field, v string) {
	switch {
	case len(v) > MaxPasswordBytes:
		c.add(field, fmt.Sprintf("ensure this value has at most %d bytes (bcrypt reads no further)", MaxPasswordBytes), password.TypeTooLong)
	case strings.ContainsRune(v, 0):
		c.add(field, "must not contain NUL characters", typeControl)
	}
}

// normalizeEmail trims, composes (NFC) and lower-cases an address, so Ada@Example.com and
// ada@example.com are one account, and so is an "é" typed as one character or as two.
// Lower-casing the local part is what users expect, though RFC 5321 allows case-sensitive
// mailboxes: no mainstream provider has them.
func normalizeEmail(s string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
}

// validEmail accepts addresses of the form local@domain.tld: a dot-atom local part of at most
// 64 bytes and a domain of at least two labels (letters, digits, hyphens; internationalised
// letters allowed), the way email-validator, which pydantic uses, accepts them.
func validEmail(s string) bool {
	if len(s) > maxEmailLength || strings.Count(s, "@") != 1 {
		return false
	}
	local, domain, _ := strings.Cut(s, "@")
	if len(local) == 0 || len(local) > 64 || !dotSeparated(local, isAtext) {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || !dotSeparated(domain, isLabelRune) {
		return false
	}
	for _, l := range labels {
		if len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return strings.IndexFunc(tld, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0
}

// dotSeparated reports whether s is non-empty parts of allowed runes joined by single dots.
func dotSeparated(s string, allowed func(rune) bool) bool {
	for part := range strings.SplitSeq(s, ".") {
		if part == "" || strings.IndexFunc(part, func(r rune) bool { return !allowed(r) }) >= 0 {
			return false
		}
	}
	return true
}

func isAtext(r rune) bool {
	return isLabelRune(r) || strings.ContainsRune("!#$%&'*+/=?^_`{|}~", r)
}

func isLabelRune(r rune) bool {
	return r == '-' || r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
