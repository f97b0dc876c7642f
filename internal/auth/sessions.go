package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/token"
)

// Refresh exchanges a refresh token for a new access token and a new refresh token.
//
// Each refresh token works once. Presenting one again within the reuse grace returns the same
// successor (two tabs refreshing at once); later, it means the token was copied, so the whole
// session is revoked and every token of it stops working. It returns ErrInvalidRefreshToken
// for anything that does not yield tokens.
func (s *Service) Refresh(ctx context.Context, presented string, client Client) (Tokens, error) {
	r, err := token.ParseRefresh(presented)
	if err != nil {
		return Tokens{}, ErrInvalidRefreshToken
	}
	rt, sess, err := s.findRefresh(ctx, r)
	if err != nil {
		return Tokens{}, err
	}
	if err := s.guard.AllowRefresh(ctx, sess.ID); err != nil {
		return Tokens{}, err
	}
	client = client.clean()
	now := s.now()
	if rt.RotatedAt == nil {
		successor := r.Successor(rt.SuccessorSalt)
		salt, err := token.NewSalt()
		if err != nil {
			return Tokens{}, err
		}
		next := &RefreshToken{
			Selector: successor.Selector, SessionID: sess.ID, VerifierHash: successor.Hash(),
			SuccessorSalt: salt, CreatedAt: now, ExpiresAt: now.Add(s.refreshTTL),
		}
		rotated, err := s.store.RotateRefreshToken(ctx, rt.Selector, next, now, client.IP, client.UserAgent)
		if err != nil {
			return Tokens{}, fmt.Errorf("refresh: %w", err)
		}
		if rotated {
			return s.issue(sess.UserID, sess.ID, successor, now)
		}
		// Another request rotated it a moment ago (or revoked the session): read which, and
		// judge this one as a reuse.
		if rt, sess, err = s.findRefresh(ctx, r); err != nil {
			return Tokens{}, err
		}
		if rt.RotatedAt == nil {
			return Tokens{}, errors.New("refresh: rotation refused, yet the token is not rotated")
		}
	}
	if s.withinGrace(*rt.RotatedAt, now) {
		current, err := s.current(ctx, r, rt)
		if err != nil {
			return Tokens{}, err
		}
		s.log.InfoContext(ctx, "refresh token presented again within the grace window", "user_id", sess.UserID, "session_id", sess.ID, "ip", client.IP)
		return s.issue(sess.UserID, sess.ID, current, now)
	}
	if err := s.store.DeleteSession(ctx, sess.UserID, sess.ID); err != nil && !errors.Is(err, ErrSessionNotFound) {
		return Tokens{}, fmt.Errorf("revoke session on refresh token reuse: %w", err)
	}
	s.log.WarnContext(ctx, "refresh token reused: session revoked", "user_id", sess.UserID, "session_id", sess.ID, "ip", client.IP)
	return Tokens{}, ErrInvalidRefreshToken
}

func (s *Service) withinGrace(rotatedAt, now time.Time) bool {
	return s.reuseGrace > 0 && now.Sub(rotatedAt) <= s.reuseGrace
}

// maxGraceWalk bounds how far current follows a chain of rotations.
const maxGraceWalk = 8

// current returns the newest token of the chain that starts at r (already rotated): a tab that
// presents r late must get the token now in use, not one the other tab has rotated since,
// or the cookie it sets would be spent and the next refresh would look like reuse.
func (s *Service) current(ctx context.Context, r token.Refresh, rt *RefreshToken) (token.Refresh, error) {
	for range maxGraceWalk {
		next := r.Successor(rt.SuccessorSalt)
		row, err := s.store.FindRefreshToken(ctx, next.Selector)
		if errors.Is(err, ErrRefreshTokenNotFound) {
			return token.Refresh{}, ErrInvalidRefreshToken
		}
		if err != nil {
			return token.Refresh{}, fmt.Errorf("refresh: %w", err)
		}
		if row.RotatedAt == nil {
			return next, nil
		}
		r, rt = next, row
	}
	return token.Refresh{}, ErrInvalidRefreshToken
}

// findRefresh returns the stored token r names and its live session, or ErrInvalidRefreshToken.
func (s *Service) findRefresh(ctx context.Context, r token.Refresh) (*RefreshToken, *Session, error) {
	rt, err := s.store.FindRefreshToken(ctx, r.Selector)
	if errors.Is(err, ErrRefreshTokenNotFound) {
		return nil, nil, ErrInvalidRefreshToken
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read refresh token: %w", err)
	}
	now := s.now()
	if !r.Matches(rt.VerifierHash) || !now.Before(rt.ExpiresAt) {
		return nil, nil, ErrInvalidRefreshToken
	}
	sess, err := s.store.FindSession(ctx, rt.SessionID)
	if errors.Is(err, ErrSessionNotFound) {
		return nil, nil, ErrInvalidRefreshToken
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read refresh token: %w", err)
	}
	if !now.Before(sess.ExpiresAt) {
		return nil, nil, ErrInvalidRefreshToken
	}
	return rt, sess, nil
}

// Logout ends the session a refresh token belongs to. An unknown, invalid or expired token is
// not an error: the caller wanted it unusable, and it is (RFC 7009).
func (s *Service) Logout(ctx context.Context, presented string) error {
	r, err := token.ParseRefresh(presented)
	if err != nil {
		return nil
	}
	_, sess, err := s.findRefresh(ctx, r)
	if errors.Is(err, ErrInvalidRefreshToken) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.store.DeleteSession(ctx, sess.UserID, sess.ID); err != nil && !errors.Is(err, ErrSessionNotFound) {
		return fmt.Errorf("sign out: %w", err)
	}
	s.log.InfoContext(ctx, "signed out", "user_id", sess.UserID, "session_id", sess.ID)
	return nil
}

// Sessions returns the signed-in devices of p's user, most recently used first.
func (s *Service) Sessions(ctx context.Context, p Principal) ([]Session, error) {
	list, err := s.store.ListSessions(ctx, p.UserID, s.now())
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	return list, nil
}

// RevokeSession signs one of p's user's devices out. It returns ErrSessionNotFound if the user
// has no such session (another user's session included).
func (s *Service) RevokeSession(ctx context.Context, p Principal, id uuid.UUID) error {
	if err := s.store.DeleteSession(ctx, p.UserID, id); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	s.log.InfoContext(ctx, "session revoked", "user_id", p.UserID, "session_id", id)
	return nil
}

// RevokeOtherSessions signs every device of p's user out but the one p acts from, and returns
// how many it signed out.
func (s *Service) RevokeOtherSessions(ctx context.Context, p Principal) (int, error) {
	n, err := s.store.DeleteOtherSessions(ctx, p.UserID, p.SessionID)
	if err != nil {
		return 0, fmt.Errorf("revoke other sessions: %w", err)
	}
	s.log.InfoContext(ctx, "other sessions revoked", "user_id", p.UserID, "count", n)
	return n, nil
}

// DeleteExpiredSessions deletes sessions nobody can use any more and returns how many.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int, error) {
	n, err := s.store.DeleteExpired(ctx, s.now())
	if err != nil {
		return 0, fmt.Errorf("sweep sessions: %w", err)
	}
	return n, nil
}
