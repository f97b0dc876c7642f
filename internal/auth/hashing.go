package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/hashpool"
)

// ErrBusy is returned when the hashing queue is full, or a request waited in it longer than
// its maximum wait. The error returned is a copy that carries RetryAfter, computed from the
// queue; errors.Is(err, ErrBusy) matches it.
var ErrBusy = &Error{Code: "busy", Message: "The server is busy; try again in a moment"}

// HashStats is a snapshot of the hashing queue, for metrics.
type HashStats = hashpool.Stats

// HashStats returns the hashing queue's depth, waits and refusals.
func (s *Service) HashStats() HashStats { return s.hashing.Stats() }

// withSlot runs f on a hashing worker once one is free, in FIFO order with every other
// password operation (registrations, sign-ins, the dummy verification for unknown emails,
// password changes alike). bcrypt is slow on purpose, so unbounded concurrent hashing would
// let a burst of sign-ins take every CPU from every other request; internal/hashpool says
// how its workers yield the CPU to requests.
func (s *Service) withSlot(ctx context.Context, f func()) error {
	err := s.hashing.Do(ctx, f)
	if be, ok := errors.AsType[*hashpool.BusyError](err); ok {
		busy := *ErrBusy
		busy.RetryAfter = be.RetryAfter
		return &busy
	}
	return err
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
