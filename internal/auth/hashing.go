package auth

import (
	"context"
	"fmt"
	"time"
)

// ErrBusy is returned when every hashing slot stayed taken for Options.HashWait.
var ErrBusy = &Error{Code: "busy", Message: "The server is busy; try again in a moment"}

// withSlot runs f once a hashing slot is free. bcrypt is slow on purpose, so unbounded
// concurrent hashing would let a burst of sign-ins take every CPU from every other request.
func (s *Service) withSlot(ctx context.Context, f func()) error {
	timer := time.NewTimer(s.hashWait)
	defer timer.Stop()
	select {
	case s.hashSlots <- struct{}{}:
	case <-timer.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashSlots }()
	f()
	return nil
}

// hash hashes a new password within a slot.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if slotErr := s.withSlot(ctx, func() { hash, err = s.hasher.Hash(password) }); slotErr != nil {
		return "", slotErr
	}
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// verify checks a password within a slot. An unusable hash (UnusablePasswordHash) matches
// nothing, after the work of a real verification, so timing does not tell such users apart.
func (s *Service) verify(ctx context.Context, hash, password string) (bool, error) {
	if Unusable(hash) {
		_, err := s.verify(ctx, s.dummyHash, password)
		return false, err
	}
	var ok bool
	var err error
	if slotErr := s.withSlot(ctx, func() { ok, err = s.hasher.Verify(hash, password) }); slotErr != nil {
		return false, slotErr
	}
	return ok, err
}
