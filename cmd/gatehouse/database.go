package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store"
)

// secretKeyFile is the name of the secret key Gatehouse generates beside a SQLite database
// when GATEHOUSE_SECRET_KEY is unset.
const secretKeyFile = "secret.key"

// errPostgresNeedsKey says how to make the key that PostgreSQL deployments must set.
var errPostgresNeedsKey = errors.New("GATEHOUSE_SECRET_KEY is required with PostgreSQL: every instance must seal and " +
	"open the stored secrets with the same key. Make one with `openssl rand -base64 32` and give the same value to " +
	"every instance as GATEHOUSE_SECRET_KEY, or in a file named by GATEHOUSE_SECRET_KEY_FILE")

// openStore opens the database with the secret keyring, migrates it and seals any secret still
// in plaintext. On SQLite without GATEHOUSE_SECRET_KEY it uses, or generates on first start, the
// key file beside the database. It creates only the default data/ directory: an explicit path
// in a directory that does not exist is an error, not a new directory.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Store, *secret.Keyring, error) {
	path, sqlite := store.SQLitePath(cfg.DatabaseURL)
	dir := filepath.Dir(path)
	if sqlite && cfg.DatabaseURL == config.DefaultDatabaseURL {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, nil, fmt.Errorf("create the data directory: %w", err)
		}
	}
	if sqlite {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return nil, nil, fmt.Errorf("GATEHOUSE_DATABASE_URL: the directory %s does not exist: create it, or fix the path "+
				"(only the default %s is created)", dir, filepath.Dir(config.DefaultDatabaseURL)+"/")
		}
	}

	key, generated := cfg.SecretKey, ""
	if key == nil {
		if !sqlite {
			return nil, nil, errPostgresNeedsKey
		}
		file := filepath.Join(dir, secretKeyFile)
		k, created, err := secret.LoadOrCreateKeyFile(file)
		if err != nil {
			return nil, nil, fmt.Errorf("GATEHOUSE_SECRET_KEY is unset, and its file beside the database: %w", err)
		}
		if created {
			generated = file
			log.Info("generated a secret key, which seals the secrets in the database: keep it, and back it up "+
				"apart from the database; or set GATEHOUSE_SECRET_KEY", "path", file)
		}
		key = k
	}
	secrets, err := secret.NewKeyring(key, cfg.SecretKeyPrevious...)
	if err != nil {
		return nil, nil, err
	}

	st, err := store.Open(ctx, cfg.DatabaseURL, secrets)
	if err != nil {
		return nil, nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	if err := st.SealSecrets(ctx); err != nil {
		st.Close()
		return nil, nil, explainSealError(err, secrets, generated)
	}
	return st, secrets, nil
}

// explainSealError turns a failure to open the stored secrets into what to do about it.
func explainSealError(err error, secrets *secret.Keyring, generated string) error {
	var unknown *secret.UnknownKeyError
	switch {
	case errors.As(err, &unknown):
		msg := fmt.Sprintf("the database's secrets are sealed under secret key %s, which is neither GATEHOUSE_SECRET_KEY "+
			"(key %s) nor among GATEHOUSE_SECRET_KEY_PREVIOUS: start with the key that sealed them", unknown.KeyID, secrets.KeyID())
		if generated != "" {
			msg += fmt.Sprintf(" (no key file was there, so a new one was generated at %s: put the original in its place)", generated)
		}
		return fmt.Errorf("%s: %w", msg, err)
	case errors.Is(err, secret.ErrTampered), errors.Is(err, secret.ErrMalformed):
		return fmt.Errorf("a secret stored in the database does not authenticate under its key: the database was altered: %w", err)
	}
	return err
}
