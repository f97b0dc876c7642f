package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/password"
)

// passwordPolicy builds the password policy from the settings: the blocklist is loaded here,
// at start, so a list that cannot be read stops the start with its path named. A command
// that does not read the policy's settings (a database-scope one, which sets no password)
// gets the default policy.
func passwordPolicy(s config.PasswordSettings, log *slog.Logger) (*password.Policy, error) {
	p := password.DefaultPolicy()
	if s.MinLength == 0 {
		return &p, nil
	}
	p.MinLength, p.MinScore = s.MinLength, s.MinScore
	if s.Blocklist != "" {
		start := time.Now()
		bl, err := password.LoadBlocklist(s.Blocklist)
		if err != nil {
			return nil, fmt.Errorf("GATEHOUSE_PASSWORD_BLOCKLIST: %w", err)
		}
		log.Info("password blocklist loaded", "path", s.Blocklist, "passwords", bl.Len(),
			"bytes", bl.Bytes(), "false_positive_rate", password.BlocklistFalsePositiveRate,
			"took", time.Since(start).Round(time.Millisecond))
		p.Blocklist = bl
	}
	if s.HIBP {
		p.Breached = &password.HIBP{
			BaseURL: s.HIBPURL, Timeout: s.HIBPTimeout, FailClosed: s.HIBPFailClosed,
			FailedOpen: func(err error) {
				log.Warn("breached-password check unanswered: the password was let through (GATEHOUSE_PASSWORD_HIBP_FAIL=open)", "error", err)
			},
		}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	// The dictionaries' tables take ~80 ms and ~15 MiB to build. Built in the background they
	// keep the start fast (under 100 ms to ready) and are ready long before a first password is
	// scored in all but a race at start; the first Score waits for them, never builds twice.
	go password.Preload()
	return &p, nil
}
