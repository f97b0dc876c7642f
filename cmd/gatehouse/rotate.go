package main

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/internal/token"
)

// rotateKey makes a new signing key.
func rotateKey(ctx context.Context, e *env) error {
	keys, err := token.NewKeyring(ctx, e.store, e.cfg.AccessTokenTTL, time.Now)
	if err != nil {
		return err
	}
	key, err := keys.Rotate(ctx)
	if err != nil {
		return err
	}
	e.log.Info("signing key rotated: published now, signing once cached key sets have it", "kid", key.ID)
	return nil
}

// rotateSecret reseals every stored secret under the current secret key.
func rotateSecret(ctx context.Context, e *env) error {
	n, err := e.store.ResealSecrets(ctx)
	if err != nil {
		return err
	}
	e.log.Info("secrets resealed under GATEHOUSE_SECRET_KEY: GATEHOUSE_SECRET_KEY_PREVIOUS can now be removed",
		"resealed", n, "secret_key_id", e.secrets.KeyID())
	return nil
}
