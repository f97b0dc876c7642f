package metrics

// Decisions is what the rate limiter and the CAPTCHA report their decisions through. *Metrics
// implements it; a domain package declares the same small interface itself (it never imports
// this package) and cmd hands it a *Metrics.
type Decisions interface {
	// RateLimitDecision counts one decision of the named limit ("login", "register", …).
	RateLimitDecision(limit string, allowed bool)
	// CaptchaDecision counts one CAPTCHA decision by its outcome ("passed", "failed",
	// "missing", "expired", …).
	CaptchaDecision(outcome string)
}

var _ Decisions = (*Metrics)(nil)

// RateLimitDecision counts one decision of the named limit as allowed or limited. A name that
// is not a short identifier is counted as "other": label values must come from a fixed set.
func (m *Metrics) RateLimitDecision(limit string, allowed bool) {
	d := "limited"
	if allowed {
		d = "allowed"
	}
	m.rateLimit.WithLabelValues(labelName(limit), d).Inc()
}

// CaptchaDecision counts one CAPTCHA decision by outcome; a name that is not a short
// identifier is counted as "other".
func (m *Metrics) CaptchaDecision(outcome string) {
	m.captcha.WithLabelValues(labelName(outcome)).Inc()
}

// The results of a mail delivery attempt, as MailDelivery takes them.
const (
	MailSent   = "sent"
	MailFailed = "failed"
	MailDead   = "dead"
)

// MailDelivery counts one delivery attempt of the relay by its result: MailSent, MailFailed
// (will retry) or MailDead (given up). It implements mail.DeliveryObserver.
func (m *Metrics) MailDelivery(result string) {
	switch result {
	case MailSent, MailFailed, MailDead:
	default:
		result = "other"
	}
	m.mail.WithLabelValues(result).Inc()
}

// labelName keeps v when it is a short identifier (lower-case letters, digits, '_', '-', '.'):
// the names callers pass are constants, and anything else (a bug passing user input) must not
// become a label, where it would leak and grow without bound.
func labelName(v string) string {
	if v == "" || len(v) > 40 {
		return "other"
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return "other"
		}
	}
	return v
}
