package httpapi

import (
	"net/http"

	"github.com/gatehouse/gatehouse/internal/password"
)

// passwordPolicyResponse describes the password policy, so the web app and any other client
// judge as the server does from its own settings, never a copy of them.
type passwordPolicyResponse struct {
	MinLength      int    `json:"min_length" doc:"The fewest characters (Unicode code points) a new password may have (GATEHOUSE_PASSWORD_MIN_LENGTH)." example:"8"`
	MaxBytes       int    `json:"max_bytes" doc:"The most UTF-8 bytes a password may have: bcrypt reads no further, so a longer one is refused, never cut." example:"72"`
	MinScore       int    `json:"min_score" doc:"The lowest zxcvbn score (0–4) a new password may have (GATEHOUSE_PASSWORD_MIN_SCORE)." example:"3"`
	MaxScoredChars int    `json:"max_scored_chars" doc:"How many characters (code points) of a password zxcvbn scores; the rest is not scored, on either side." example:"64"`
	BreachCheck    string `json:"breach_check" enum:"off,hibp" doc:"hibp when new passwords are also checked against Have I Been Pwned's range API (GATEHOUSE_PASSWORD_HIBP=on), else off."`
	Blocklist      bool   `json:"blocklist" doc:"True when the operator's list of refused passwords is loaded (GATEHOUSE_PASSWORD_BLOCKLIST): a password on it is refused as common."`
}

// policyMaxAge is how long a client may keep the policy: it changes only with a restart.
const policyMaxAge = "public, max-age=60"

var opPasswordPolicy = operation{
	id: "passwordPolicy", tag: "auth", summary: "The password policy new passwords are judged by",
	desc: "What a new password must be (register, change, reset), from the server's settings. Score with zxcvbn " +
		"4.4.2 as the web app does (the first max_scored_chars characters, canonicalised): the server's 422 decides. " +
		"Cacheable for 60 seconds.",
	responses: []response{{http.StatusOK, "The policy", passwordPolicyResponse{}}},
}

// handlePasswordPolicy serves GET /api/auth/password-policy.
func (s *server) handlePasswordPolicy(w http.ResponseWriter, r *http.Request) error {
	p := s.svc.PasswordPolicy()
	out := passwordPolicyResponse{
		MinLength: p.MinLength, MaxBytes: password.MaxBytes, MinScore: p.MinScore,
		MaxScoredChars: password.MaxScoredRunes, BreachCheck: "off", Blocklist: p.Blocklist != nil,
	}
	if p.Breached != nil {
		out.BreachCheck = "hibp"
	}
	w.Header().Set("Cache-Control", policyMaxAge)
	return encode(w, http.StatusOK, out)
}
