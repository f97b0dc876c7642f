package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// serverSecretColumn holds the secrets the instances share (server_secrets.value), sealed and
// bound to their name.
var serverSecretColumn = sealedColumn{table: "server_secrets", id: "name", column: "value"}

// captchaKeyName names the key that signs proof-of-work challenges in server_secrets.
const captchaKeyName = "captcha_hmac_key"

// CaptchaKey returns the key that signs proof-of-work challenges. On first use it stores the
// key generate makes; when several instances start at once, the first insert wins and every
// instance returns that one. The key is stored sealed.
func (s *Store) CaptchaKey(ctx context.Context, generate func() ([]byte, error)) ([]byte, error) {
	key, err := s.serverSecret(ctx, captchaKeyName)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return key, err
	}
	fresh, err := generate()
	if err != nil {
		return nil, fmt.Errorf("generate captcha key: %w", err)
	}
	sealed, err := s.secrets.Seal(fresh, serverSecretColumn.additionalData(captchaKeyName))
	if err != nil {
		return nil, fmt.Errorf("seal captcha key: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `
		INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO NOTHING`, captchaKeyName, sealed, timeValue{time.Now()}); err != nil {
		return nil, fmt.Errorf("store captcha key: %w", err)
	}
	return s.serverSecret(ctx, captchaKeyName)
}

// serverSecret opens the secret name; sql.ErrNoRows (wrapped) when there is none.
func (s *Store) serverSecret(ctx context.Context, name string) ([]byte, error) {
	var sealed []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = $1`, name).Scan(&sealed)
	if err != nil {
		return nil, fmt.Errorf("read server secret %s: %w", name, err)
	}
	plain, err := s.secrets.Open(sealed, serverSecretColumn.additionalData(name))
	if err != nil {
		return nil, fmt.Errorf("open server secret %s: %w", name, err)
	}
	return plain, nil
}

// SpendCaptcha records the challenge as used until expires and reports whether it was unused;
// the primary key decides between concurrent calls, on any instance sharing the database.
func (s *Store) SpendCaptcha(ctx context.Context, challenge string, expires time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO used_captchas (challenge, expires_at) VALUES ($1, $2)
		ON CONFLICT (challenge) DO NOTHING`, challenge, timeValue{expires})
	if err != nil {
		return false, fmt.Errorf("spend captcha: %w", err)
	}
	n, err := rowsAffected(res)
	return n == 1, wrap("spend captcha", err)
}

// DeleteExpiredCaptchas forgets used challenges that expired before t (they are refused as
// expired anyway) and returns how many.
func (s *Store) DeleteExpiredCaptchas(ctx context.Context, t time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM used_captchas WHERE expires_at < $1`, timeValue{t})
	if err != nil {
		return 0, fmt.Errorf("delete expired captchas: %w", err)
	}
	n, err := rowsAffected(res)
	return n, wrap("delete expired captchas", err)
}
