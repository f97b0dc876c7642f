package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	netmail "net/mail"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrClaimLost is returned by a Store's Mark methods when the claim they name is no longer
// current: its lease ended and another relay claimed the mail again.
var ErrClaimLost = errors.New("mail claim lost: the lease ended and the mail was claimed again")

// ErrNotQueued is returned by a store's FindMail when the outbox has no such mail.
var ErrNotQueued = errors.New("no such mail in the outbox")

// permanentError is a failure that no retry can fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as a failure no retry can fix (the server refused the recipient for
// good): the relay marks the mail dead at once.
func Permanent(err error) error { return permanentError{err} }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool { return errors.As(err, new(permanentError)) }

// CheckFrom returns nil if from is an address, with or without a display name, usable as a
// From header.
func CheckFrom(from string) error {
	_, err := parseFrom(from)
	return err
}

func parseFrom(from string) (*netmail.Address, error) {
	a, err := netmail.ParseAddress(from)
	if err != nil || strings.ContainsAny(from, "\r\n") {
		return nil, fmt.Errorf("%q is not an address such as \"Gatehouse <noreply@example.com>\"", from)
	}
	return a, nil
}

// RelayInterval is how often a relay looks for due mail; ReportInterval how often the
// outbox's backlog is logged while it has one.
const (
	RelayInterval  = 2 * time.Second
	ReportInterval = 5 * time.Minute
)

// Retention is how long the outbox keeps what it knows of a sent or dead mail (its body is
// erased at once): long enough to answer "did my mail go out?", short enough not to keep a
// history of everyone's addresses.
const Retention = 30 * 24 * time.Hour

// RelayOptions configures NewRelay. Zero fields take the defaults the comments give.
type RelayOptions struct {
	Store  Store
	Sender Sender
	Logger *slog.Logger
	// Now is the clock (time.Now); tests drive time with it.
	Now func() time.Time
	// MaxAttempts is how many times a mail is tried before it is dead (15: with the delays
	// below, about four hours on average, so an outage of an hour loses nothing).
	MaxAttempts int
	// BaseDelay is the cap of the wait after the first failure (30 s); the cap doubles with
	// every failure up to MaxDelay (1 h), and each wait is drawn uniformly below its cap
	// ("full jitter"), so relays that failed together do not all retry together.
	BaseDelay, MaxDelay time.Duration
	// Lease is how long a claim holds its mails before another relay may claim them (5 min):
	// longer than a whole batch takes even when every delivery runs into the SMTP sender's
	// timeout (10 × 15 s), short enough that a crashed sender's mail goes out soon.
	Lease time.Duration
	// Batch is how many mails one claim takes (10).
	Batch int
	// Jitter draws a wait in [0, n); math/rand/v2's by default.
	Jitter func(n int64) int64
	// Observer, when set, is told the result of every delivery attempt (metrics).
	Observer DeliveryObserver
}

// DeliveryObserver counts delivery attempts by result: "sent", "failed" (will be retried) or
// "dead" (given up).
type DeliveryObserver interface {
	MailDelivery(result string)
}

func (r *Relay) observe(result string) {
	if r.o.Observer != nil {
		r.o.Observer.MailDelivery(result)
	}
}

// Relay delivers the outbox: each Run claims due mails, sends them and records the outcome.
// Several relays may run against one database: claims never overlap.
type Relay struct {
	o RelayOptions
	// dead is the count of dead mails at the last report.
	dead atomic.Int64
}

// NewRelay returns a relay with o's zero fields defaulted.
func NewRelay(o RelayOptions) *Relay {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 15
	}
	if o.BaseDelay == 0 {
		o.BaseDelay = 30 * time.Second
	}
	if o.MaxDelay == 0 {
		o.MaxDelay = time.Hour
	}
	if o.Lease == 0 {
		o.Lease = 5 * time.Minute
	}
	if o.Batch == 0 {
		o.Batch = 10
	}
	if o.Jitter == nil {
		o.Jitter = rand.Int64N
	}
	return &Relay{o: o}
}

// Run delivers every mail due now, batch after batch, and returns when none is left or ctx
// ends. A failed delivery is not an error of Run: it is recorded on the mail and logged.
func (r *Relay) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		claimed, err := r.o.Store.ClaimMail(ctx, r.o.Now(), r.o.Lease, r.o.Batch)
		if err != nil {
			return fmt.Errorf("mail relay: %w", err)
		}
		for i := range claimed {
			if err := r.deliver(ctx, &claimed[i]); err != nil {
				return fmt.Errorf("mail relay: %w", err)
			}
		}
		if len(claimed) < r.o.Batch {
			return nil
		}
	}
	return nil
}

// deliver sends one claimed mail and records the outcome. Logs name the mail by id and kind:
// never its body, subject or recipient's links.
func (r *Relay) deliver(ctx context.Context, m *Queued) error {
	log := r.o.Logger.With("mail_id", m.ID.String(), "kind", string(m.Kind), "attempt", m.Attempts)
	var sendErr error
	if m.Attempts > r.o.MaxAttempts {
		// A sender stopped mid-send on the last attempt: the lease ran out.
		sendErr = errors.New("the last attempt did not finish")
	} else {
		sendErr = r.o.Sender.Send(ctx, m)
	}
	if sendErr == nil {
		// Record a delivery even when shutting down, so that it is not sent again.
		markCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		err := r.o.Store.MarkMailSent(markCtx, m.ID, m.Attempts, r.o.Now())
		if errors.Is(err, ErrClaimLost) {
			log.Warn("mail sent after its claim was lost: it may be delivered twice, with one Message-ID")
			return nil
		}
		if err == nil {
			r.observe("sent")
			log.Info("mail sent")
		}
		return err
	}
	if ctx.Err() != nil {
		// Shutting down: leave the claim, whose lease ends and lets the next start retry.
		return nil
	}
	reason := Sanitize(sendErr)
	dead := m.Attempts >= r.o.MaxAttempts || IsPermanent(sendErr)
	next := r.o.Now().Add(r.backoff(m.Attempts))
	err := r.o.Store.MarkMailFailed(ctx, m.ID, m.Attempts, next, reason, dead)
	switch {
	case errors.Is(err, ErrClaimLost):
		return nil
	case err != nil:
		return err
	case dead:
		r.observe("dead")
		log.Error("mail undeliverable: given up", "error", reason, "created_at", m.CreatedAt)
	default:
		r.observe("failed")
		log.Warn("mail delivery failed: will retry", "error", reason, "retry_at", next)
	}
	return nil
}

// ReportBacklog logs the outbox's depth at warn when mail has been waiting for over a minute
// (SMTP is down, or no sender is configured), and at error when more mail has died since the
// last report; nothing when all is well.
func (r *Relay) ReportBacklog(ctx context.Context) error {
	st, err := r.o.Store.MailStats(ctx)
	if err != nil {
		return fmt.Errorf("mail outbox report: %w", err)
	}
	if st.Pending+st.Sending > 0 && r.o.Now().Sub(st.OldestPending) > time.Minute {
		r.o.Logger.Warn("mail outbox backlog", "pending", st.Pending, "sending", st.Sending,
			"oldest_queued_at", st.OldestPending, "dead", st.Dead, "sender_configured", r.o.Sender != nil)
	}
	if st.Dead > int(r.dead.Swap(int64(st.Dead))) {
		r.o.Logger.Error("mail outbox holds undeliverable mail", "dead", st.Dead)
	}
	return nil
}

// backoff is the wait after the failure of attempt n (1-based): uniform in [0, cap), where cap
// doubles from BaseDelay with every attempt up to MaxDelay.
func (r *Relay) backoff(n int) time.Duration {
	c := r.o.BaseDelay
	for i := 1; i < n && c < r.o.MaxDelay; i++ {
		c *= 2
	}
	c = min(c, r.o.MaxDelay)
	return time.Duration(r.o.Jitter(int64(c)))
}

// maxErrorLen bounds a stored error.
const maxErrorLen = 300

// Sanitize turns a delivery error into one line safe to store and log: control characters
// become spaces, and it is cut at maxErrorLen bytes. Senders never put a body or a password in
// their errors; this keeps a server's reply from writing lines of its own into a log.
func Sanitize(err error) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, err.Error())
	if len(s) > maxErrorLen {
		s = s[:maxErrorLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
