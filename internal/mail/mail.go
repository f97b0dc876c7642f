// Package mail owns the mail Gatehouse sends: the templates that render each kind, the outbox
// relay that delivers queued mail with retries, and the two senders (SMTP, and the development
// mailbox that writes .eml files). It knows nothing of SQL or HTTP: the outbox is a Store that
// internal/store implements, and a mail is queued by the store method that writes what caused
// it, in the same transaction.
package mail

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Kind names a template, and so what a mail is for. It is stored with every queued mail.
type Kind string

// The mails Gatehouse sends.
const (
	KindVerifyEmail         Kind = "verify_email"
	KindPasswordReset       Kind = "password_reset"
	KindEmailChange         Kind = "email_change"
	KindEmailChangeNotice   Kind = "email_change_notice"
	KindPasswordChanged     Kind = "password_changed"
	KindNewDeviceSignIn     Kind = "new_device_sign_in"
	KindRegistrationAttempt Kind = "registration_attempt"
)

// Message is one rendered mail, ready to queue. Text and HTML hold links and codes: they are
// secrets until the mail is delivered, and are never logged.
type Message struct {
	// ID is the outbox row's id, set by the store when the mail is queued; the Message-ID
	// header is derived from it, so every retry carries the same one.
	ID      uuid.UUID
	To      string
	Kind    Kind
	Subject string
	Text    string
	HTML    string
}

// Queued is a mail claimed from the outbox for delivery.
type Queued struct {
	Message
	// Attempts counts the claims of this mail, this one included: 1 on the first try.
	Attempts  int
	CreatedAt time.Time
}

// The states of a queued mail, as the outbox stores them.
const (
	StatusPending = "pending" // waiting for its next attempt
	StatusSending = "sending" // claimed by a relay, until its lease ends
	StatusSent    = "sent"    // delivered; its body is erased
	StatusDead    = "dead"    // given up on after the last attempt; its body is erased
)

// Stats is the outbox at a glance, for logs and metrics.
type Stats struct {
	Pending int // waiting, due or not
	Sending int // claimed by a relay
	Sent    int
	Dead    int
	// OldestPending is when the oldest mail not yet sent was queued (zero if none is).
	OldestPending time.Time
}

// Store is the outbox as the relay needs it. Queueing is not here: a mail is written by the
// store method that writes what caused it, in one transaction (EnqueueMail for a mail alone).
type Store interface {
	// ClaimMail claims up to limit mails that are due at now: pending ones whose
	// next_attempt_at has come, and ones being sent whose lease has ended (their sender
	// stopped). Each claimed mail is marked sending with a lease until now+lease and its
	// Attempts incremented. Concurrent claims never return the same mail.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Queued, error)
	// MarkMailSent records the delivery of the claim (id, attempts) at now and erases the
	// body. It returns ErrClaimLost, changing nothing, if that claim is no longer current.
	MarkMailSent(ctx context.Context, id uuid.UUID, attempts int, now time.Time) error
	// MarkMailFailed records a failed attempt of the claim (id, attempts): lastError, and
	// either the next attempt at next (status pending) or, when dead, status dead with the
	// body erased. It returns ErrClaimLost if that claim is no longer current.
	MarkMailFailed(ctx context.Context, id uuid.UUID, attempts int, next time.Time, lastError string, dead bool) error
	// MailStats counts the outbox's mails by status.
	MailStats(ctx context.Context) (Stats, error)
}

// Sender delivers one mail. An error is worth retrying unless it is Permanent.
type Sender interface {
	Send(ctx context.Context, m *Queued) error
}

// Record is what the outbox keeps of a mail, without its body: for tests, support and the
// metrics to come.
type Record struct {
	ID            uuid.UUID
	To            string
	Kind          Kind
	Subject       string
	Status        string
	Attempts      int
	CreatedAt     time.Time
	NextAttemptAt time.Time
	LastError     string
	SentAt        *time.Time
	// HasBody reports whether the body is still stored: false once sent or dead.
	HasBody bool
}
