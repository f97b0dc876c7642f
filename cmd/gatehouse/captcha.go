package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/guard"
	"github.com/gatehouse/gatehouse/internal/store"
)

// redisCaptchaPrefix starts the Redis keys of used challenges.
const redisCaptchaPrefix = "gatehouse:captcha:used:"

// newCaptcha wires the CAPTCHA the configuration asks for; nil for off. close releases what
// it opened (the Redis client). decisions is told each check's outcome (metrics).
func newCaptcha(ctx context.Context, cfg config.Config, st *store.Store, grd *guard.Guard, decisions captcha.Decisions,
	log *slog.Logger) (gate *captcha.Gate, close func(), err error) {
	close = func() {}
	opts := captcha.GateOptions{Provider: cfg.Captcha, RegisterAlways: cfg.CaptchaRegisterAlways, Logger: log, Decisions: decisions}
	if grd != nil {
		opts.Signals = captchaSignals{guard: grd, userID: func(ctx context.Context, email string) uuid.UUID {
			if u, err := st.FindUserByEmail(ctx, email); err == nil {
				return u.ID
			}
			return uuid.Nil
		}}
	}
	switch cfg.Captcha {
	case captcha.ProviderOff:
		return nil, close, nil
	case captcha.ProviderTurnstile, captcha.ProviderHCaptcha:
		opts.Vendor, err = captcha.NewVendor(captcha.VendorOptions{
			Provider: cfg.Captcha, SiteKey: cfg.CaptchaSiteKey, Secret: cfg.CaptchaSecret, VerifyURL: cfg.CaptchaVerifyURL,
		})
		if err != nil {
			return nil, close, err
		}
	case captcha.ProviderPoW:
		// Every instance signs with the one key in the database (sealed), made by whichever
		// starts first.
		key, err := st.CaptchaKey(ctx, func() ([]byte, error) {
			k := make([]byte, captcha.KeySize)
			_, err := rand.Read(k)
			return k, err
		})
		if err != nil {
			return nil, close, err
		}
		// Used challenges go to the database, which every instance shares; with Redis, to
		// Redis first, the database taking over while Redis does not answer.
		var replays captcha.Replays = captcha.ReplaysFunc(st.SpendCaptcha)
		if cfg.RedisURL != "" {
			ropts, err := redis.ParseURL(cfg.RedisURL)
			if err != nil {
				return nil, close, fmt.Errorf("GATEHOUSE_REDIS_URL: not a Redis URL")
			}
			client := redis.NewClient(ropts)
			close = func() { _ = client.Close() }
			replays = captcha.Fallback{Primary: captcha.NewRedisReplays(client, redisCaptchaPrefix, nil), Secondary: replays}
		}
		if opts.PoW, err = captcha.NewPoW(captcha.PoWOptions{Key: key, Replays: replays}); err != nil {
			return nil, close, err
		}
	}
	gate, err = captcha.NewGate(opts)
	return gate, close, err
}

// registrationsPerMinuteForCaptcha is the service-wide registration rate past which every
// registration must carry a solved challenge: a sign-up wave no single IP's limit sees.
const registrationsPerMinuteForCaptcha = 60

// captchaSignals lets the CAPTCHA read the rate limiter's state (guard.Signals): when a
// challenge is required and how hard it is. It is the one place the two domains meet.
type captchaSignals struct {
	guard *guard.Guard
	// userID finds the account an email names, to tell whether a device token is that
	// account's; uuid.Nil when there is none.
	userID func(ctx context.Context, email string) uuid.UUID
}

// Pressure implements captcha.Signals.
func (c captchaSignals) Pressure(ctx context.Context, s captcha.Subject) captcha.Pressure {
	a := auth.Attempt{Email: s.Account, IP: s.IP.String()}
	if s.DeviceToken != "" && s.Account != "" {
		// Only a token that verifies costs the lookup, so a stranger's guess costs nothing.
		if owner, ok := c.guard.DeviceUser(ctx, s.DeviceToken); ok && owner == c.userID(ctx, s.Account) {
			a.DeviceToken, a.Trusted, a.UserID = s.DeviceToken, true, owner
		}
	}
	return captchaPressure(s.Action, c.guard.Pressure(ctx, a))
}

// captchaPressure decides from the limiter's state. A sign-in is challenged when it comes
// from a client the account does not trust while the account is under attack or the global
// breaker is tripped; a registration during a sign-up wave. A trusted device never is. The
// difficulty rises with the failures the service and this client have seen.
func captchaPressure(action captcha.Action, p guard.Pressure) captcha.Pressure {
	var out captcha.Pressure
	switch action {
	case captcha.ActionSignIn:
		out.Required = !p.Trusted && (p.AccountUnderAttack || p.GlobalTripped)
	case captcha.ActionRegister:
		out.Required = p.Registrations >= registrationsPerMinuteForCaptcha
	}
	switch {
	case p.GlobalTripped:
		out.Level = captcha.LevelAttack
	case p.AccountUnderAttack || p.Registrations >= registrationsPerMinuteForCaptcha:
		out.Level = captcha.LevelHigh
	case p.ClientFailures > 0 || p.GlobalFailures > 0:
		out.Level = captcha.LevelElevated
	}
	if p.Trusted {
		out.Level = captcha.LevelNormal
	}
	return out
}
