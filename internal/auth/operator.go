package auth

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// What an operator does to accounts from the command line (gatehouse users). The same rules
// apply as to the user's own requests: a password set here is judged by the password policy
// as the API judges one, and every credential change goes through the security stamp.

// SetPassword gives the user a new password, judged by the password policy with the user's
// email and names as the API judges one (a refusal is a validation error of field
// "password"), and signs every session of the user out: it is a credential change, so the
// security stamp moves and a sign-in hashing meanwhile with the old password gets no session.
// It returns ErrUserNotFound if there is no such user, ErrCredentialsChanged if the password
// changed while this one was hashed.
func (s *Service) SetPassword(ctx context.Context, id uuid.UUID, pw string) error {
	var c checker
	c.password("password", pw)
	if err := c.err(); err != nil {
		return err
	}
	u, err := s.store.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.checkNewPassword(ctx, s.policy, "password", pw, accountOf(u)); err != nil {
		return err
	}
	hash, err := s.hash(ctx, pw)
	if err != nil {
		return err
	}
	if err := s.store.ChangePassword(ctx, id, u.SecurityStamp, hash, s.now(), uuid.Nil); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	s.log.InfoContext(ctx, "password set by an operator; every session signed out", "user_id", id)
	return nil
}

// RevokeSessions signs every session of the user out and returns how many there were.
func (s *Service) RevokeSessions(ctx context.Context, id uuid.UUID) (int, error) {
	if _, err := s.store.FindUserByID(ctx, id); err != nil {
		return 0, err
	}
	n, err := s.store.DeleteOtherSessions(ctx, id, uuid.Nil)
	if err != nil {
		return 0, fmt.Errorf("revoke sessions: %w", err)
	}
	s.log.InfoContext(ctx, "every session signed out by an operator", "user_id", id, "count", n)
	return n, nil
}

// RemoveUser deletes the user with everything kept of them (sessions, email accounts). It
// returns ErrUserNotFound if there is no such user.
func (s *Service) RemoveUser(ctx context.Context, id uuid.UUID) error {
	u, err := s.store.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteUser(ctx, id, u.SecurityStamp); err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	s.log.InfoContext(ctx, "user deleted by an operator", "user_id", id)
	return nil
}
