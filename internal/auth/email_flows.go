package auth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/ratelimit"
)

// The default lifetimes of mailed tokens.
const (
	DefaultVerifyEmailTTL   = 24 * time.Hour
	DefaultPasswordResetTTL = time.Hour
	DefaultEmailChangeTTL   = 24 * time.Hour
)

// The limits on mails a request can make Gatehouse send: per account and per client IP, each
// kind (verification, reset) counted apart. They count mails actually queued, not requests,
// so asking for an address without an account spends nothing and reveals nothing.
var (
	MailLimitPerAccount = ratelimit.Limit{Rate: 5, Period: time.Hour, Burst: 5}
	MailLimitPerIP      = ratelimit.Limit{Rate: 20, Period: time.Hour, Burst: 20}
)

// EmailOptions configures the email flows.
type EmailOptions struct {
	// Mail renders the mails; nil means a renderer for "Gatehouse" at http://localhost:8000.
	Mail *mail.Renderer
	// VerifyTTL, ResetTTL and ChangeTTL are the tokens' lifetimes; 0 means the defaults.
	VerifyTTL, ResetTTL, ChangeTTL time.Duration
	// RequireVerified refuses sign-in to accounts whose address is unverified.
	RequireVerified bool
	// PrivateRegistration answers a registration with a taken address exactly as a new one
	// (and mails the address's owner instead); it implies RequireVerified, since an account
	// that signed in at once would tell the two apart.
	PrivateRegistration bool
	// Notices sends the security notices (password changed, email change asked for).
	Notices bool
	// Limiter counts mails sent per account and per IP; nil means an in-process Memory. The
	// abuse work may pass its shared (Redis) limiter here.
	Limiter ratelimit.Limiter
	// QueueSize bounds the mail requests waiting for RunMailRequests; 0 means 1024.
	QueueSize int
}

// emailFlows is the Service's email state.
type emailFlows struct {
	EmailOptions
	requests chan mailRequest
}

func newEmailFlows(o EmailOptions) (emailFlows, error) {
	if o.Mail == nil {
		r, err := mail.NewRenderer("Gatehouse", "http://localhost:8000")
		if err != nil {
			return emailFlows{}, err
		}
		o.Mail = r
	}
	o.VerifyTTL = cmp.Or(o.VerifyTTL, DefaultVerifyEmailTTL)
	o.ResetTTL = cmp.Or(o.ResetTTL, DefaultPasswordResetTTL)
	o.ChangeTTL = cmp.Or(o.ChangeTTL, DefaultEmailChangeTTL)
	if o.PrivateRegistration {
		o.RequireVerified = true
	}
	if o.Limiter == nil {
		o.Limiter = ratelimit.NewMemory(ratelimit.MemoryOptions{})
	}
	return emailFlows{EmailOptions: o, requests: make(chan mailRequest, cmp.Or(o.QueueSize, 1024))}, nil
}

// mailRequest is a signed-out request for a mail (a reset, a verification), handled off the
// request path by RunMailRequests so that its answer takes the same time whether or not the
// address has an account.
type mailRequest struct {
	purpose Purpose
	email   string
	ip      string
}

// RunMailRequests handles queued signed-out mail requests until ctx ends: looks the address up
// and, if it has an account and the limits allow, issues a token and queues its mail. The
// server runs it as a background job; tests run it in a goroutine.
func (s *Service) RunMailRequests(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-s.email.requests:
			if err := s.handleMailRequest(ctx, r); err != nil {
				s.log.WarnContext(ctx, "mail request failed", "purpose", r.purpose, "error", err)
			}
		}
	}
}

// requestMail queues a signed-out mail request without waiting. A full queue drops it (and
// logs that, without the address): the caller's answer must not change, and its owner can ask
// again.
func (s *Service) requestMail(ctx context.Context, r mailRequest) {
	select {
	case s.email.requests <- r:
	default:
		s.log.WarnContext(ctx, "mail request queue full; request dropped", "purpose", r.purpose)
	}
}

func (s *Service) handleMailRequest(ctx context.Context, r mailRequest) error {
	u, err := s.store.FindUserByEmail(ctx, r.email)
	if errors.Is(err, ErrUserNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if r.purpose == PurposeVerifyEmail && u.EmailVerifiedAt != nil {
		return nil
	}
	if err := s.allowMail(ctx, r.purpose, u.ID, r.ip); err != nil {
		if errors.Is(err, ErrMailLimited) {
			s.log.InfoContext(ctx, "mail not sent: limit reached", "purpose", r.purpose, "user_id", u.ID)
			return nil
		}
		return err
	}
	return s.sendToken(ctx, u, r.purpose)
}

// allowMail counts one mail of purpose to userID requested from ip, or returns ErrMailLimited
// (counting nothing) if either limit is reached. The IP is peeked before the account is
// counted, so a refused request spends neither.
func (s *Service) allowMail(ctx context.Context, purpose Purpose, userID uuid.UUID, ip string) error {
	lim := s.email.Limiter
	ipKey := "mail:" + string(purpose) + ":ip:" + ip
	if ip != "" {
		if res, err := lim.Allow(ctx, ipKey, MailLimitPerIP, 0); err != nil {
			return fmt.Errorf("mail limit: %w", err)
		} else if !res.Allowed {
			return ErrMailLimited
		}
	}
	res, err := lim.Allow(ctx, "mail:"+string(purpose)+":user:"+userID.String(), MailLimitPerAccount, 1)
	if err != nil {
		return fmt.Errorf("mail limit: %w", err)
	}
	if !res.Allowed {
		return ErrMailLimited
	}
	if ip != "" {
		if _, err := lim.Allow(ctx, ipKey, MailLimitPerIP, 1); err != nil {
			return fmt.Errorf("mail limit: %w", err)
		}
	}
	return nil
}

// sendToken makes u a new token of purpose (verification or reset), superseding older ones, and
// queues its mail in the same transaction.
func (s *Service) sendToken(ctx context.Context, u *User, purpose Purpose) error {
	now := s.now()
	ttl := s.email.VerifyTTL
	if purpose == PurposePasswordReset {
		ttl = s.email.ResetTTL
	}
	t, sec, err := newEmailToken(u, purpose, u.Email, now, ttl)
	if err != nil {
		return err
	}
	var m *mail.Message
	if purpose == PurposePasswordReset {
		m, err = s.email.Mail.PasswordReset(u.Email, mail.PasswordReset{Name: u.FirstName, Token: sec.token, Code: sec.code, ValidFor: ttl})
	} else {
		m, err = s.email.Mail.VerifyEmail(u.Email, mail.VerifyEmail{Name: u.FirstName, Token: sec.token, Code: sec.code, ValidFor: ttl})
	}
	if err != nil {
		return err
	}
	if err := s.store.IssueEmailToken(ctx, t, now, m); err != nil {
		return fmt.Errorf("issue %s token: %w", purpose, err)
	}
	s.log.InfoContext(ctx, "mail queued", "kind", m.Kind, "user_id", u.ID, "mail_id", m.ID)
	return nil
}

// notify queues a security notice if notices are on. A failure is logged, not returned: what
// the notice tells of is done.
func (s *Service) notify(ctx context.Context, m *mail.Message, err error) {
	if err == nil {
		err = s.store.EnqueueMail(ctx, s.now(), m)
	}
	if err != nil {
		s.log.WarnContext(ctx, "queue notice", "error", err)
	}
}
