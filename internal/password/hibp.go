package password

import (
	"bufio"
	"context"
	"crypto/sha1" // the range API is keyed by SHA-1; nothing here relies on its strength
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultHIBPURL is Have I Been Pwned's Pwned Passwords range API.
const DefaultHIBPURL = "https://api.pwnedpasswords.com"

// DefaultHIBPTimeout bounds one range query: registration waits for it.
const DefaultHIBPTimeout = 2 * time.Second

// maxRangeBody bounds a range response (a padded one is about 40 KB).
const maxRangeBody = 1 << 20

// HIBP checks passwords against the Pwned Passwords k-anonymity range API, at BaseURL (HIBP's
// own or a self-hosted mirror serving /range/{prefix}). Only the first 5 hex digits of the
// password's SHA-1 leave the server, with padding asked for (Add-Padding: true) so the
// response's size does not tell which prefix was asked either. When the service does not
// answer within Timeout, FailClosed decides: true returns ErrBreachCheckUnavailable (the
// password is neither accepted nor refused), false lets it through as not breached.
type HIBP struct {
	BaseURL    string
	Timeout    time.Duration
	FailClosed bool
	Client     *http.Client // nil for http.DefaultClient
	// FailedOpen, when set, is told of each query that went unanswered and let the password
	// through (FailClosed false), so the outage is logged; err names no password or prefix.
	FailedOpen func(err error)
}

// Breached reports whether pw is in Pwned Passwords. Padding entries (count 0) never count.
func (h *HIBP) Breached(ctx context.Context, pw string) (bool, error) {
	sum := sha1.Sum([]byte(pw))
	digest := strings.ToUpper(hex.EncodeToString(sum[:]))
	found, err := h.lookup(ctx, digest[:5], digest[5:])
	if err != nil {
		if h.FailClosed {
			return false, fmt.Errorf("%w: %v", ErrBreachCheckUnavailable, err)
		}
		if h.FailedOpen != nil {
			h.FailedOpen(err)
		}
		return false, nil
	}
	return found, nil
}

func (h *HIBP) lookup(ctx context.Context, prefix, suffix string) (bool, error) {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultHIBPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(h.BaseURL, "/")+"/range/"+prefix, nil)
	if err != nil {
		return false, fmt.Errorf("pwned passwords: %w", err)
	}
	req.Header.Set("Add-Padding", "true")
	req.Header.Set("User-Agent", "Gatehouse")
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if ue, ok := errors.AsType[*url.Error](err); ok {
		// Without the URL: it holds the prefix of the password's hash.
		err = ue.Err
	}
	if err != nil {
		return false, fmt.Errorf("pwned passwords: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("pwned passwords: status %d", resp.StatusCode)
	}
	found := false
	sc := bufio.NewScanner(io.LimitReader(resp.Body, maxRangeBody))
	for sc.Scan() {
		s, count, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok || count == "0" || len(s) != len(suffix) {
			continue
		}
		// Constant time: the suffix is part of the password's hash.
		if subtle.ConstantTimeCompare([]byte(strings.ToUpper(s)), []byte(suffix)) == 1 {
			found = true
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("pwned passwords: %w", err)
	}
	return found, nil
}
