package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/gatehouse/gatehouse/internal/captcha"
	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/store"
)

// redisCaptchaPrefix starts the Redis keys of used challenges.
const redisCaptchaPrefix = "gatehouse:captcha:used:"

// newCaptcha wires the CAPTCHA the configuration asks for; nil for off. close releases what
// it opened (the Redis client).
func newCaptcha(ctx context.Context, cfg config.Config, st *store.Store, log *slog.Logger) (gate *captcha.Gate, close func(), err error) {
	close = func() {}
	opts := captcha.GateOptions{Provider: cfg.Captcha, RegisterAlways: cfg.CaptchaRegisterAlways, Logger: log}
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
