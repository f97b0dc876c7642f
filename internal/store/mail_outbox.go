package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mail"
)

var _ mail.Store = (*Store)(nil)

// mailBodyColumn holds each queued mail's text and HTML parts, sealed: they carry live links
// and codes, which a copy of the database must not reveal any more than the token hashes do.
// Delivered and dead mails have none.
var mailBodyColumn = sealedColumn{table: "mail_outbox", id: "id", column: "body", where: "body IS NOT NULL"}

// mailBody is what mailBodyColumn seals.
type mailBody struct {
	Text string `json:"text"`
	HTML string `json:"html"`
}

// EnqueueMail queues msgs at now, each due at once, in one transaction. It sets each
// message's ID when it is zero. A mail caused by another write is queued by that write's store
// method instead, in its transaction (see insertMail), so that neither can happen without the
// other.
func (s *Store) EnqueueMail(ctx context.Context, now time.Time, msgs ...*mail.Message) error {
	return wrap("enqueue mail", s.inTx(ctx, func(tx *sql.Tx) error {
		for _, m := range msgs {
			if err := s.insertMail(ctx, tx, m, now); err != nil {
				return err
			}
		}
		return nil
	}))
}

// insertMail queues m at now in tx, due at once, its body sealed to its row. Store methods
// that write what causes a mail (a token, a user) take the *mail.Message and call this in
// their own transaction: the mail is queued if and only if the write commits.
func (s *Store) insertMail(ctx context.Context, tx *sql.Tx, m *mail.Message, now time.Time) error {
	if m.ID == uuid.Nil {
		m.ID = uuid.New()
	}
	plain, err := json.Marshal(mailBody{Text: m.Text, HTML: m.HTML})
	if err != nil {
		return fmt.Errorf("insert mail: %w", err)
	}
	sealed, err := s.secrets.Seal(plain, mailBodyColumn.additionalData(m.ID.String()))
	if err != nil {
		return fmt.Errorf("insert mail: %w", err)
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO mail_outbox (id, recipient, kind, subject, body, status, attempts, created_at, next_attempt_at)
		VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)`,
		m.ID, m.To, string(m.Kind), m.Subject, sealed, timeValue{now})
	if err != nil {
		return fmt.Errorf("insert mail: %w", err)
	}
	return nil
}

// ClaimMail implements mail.Store. On PostgreSQL the candidate rows are locked with FOR
// UPDATE SKIP LOCKED, so concurrent relays each take different mails without waiting for one
// another; the UPDATE's own condition re-checks that a row is still due. The candidates are a
// materialized CTE: as a plain IN subquery PostgreSQL may evaluate the LIMIT more than once and
// claim more than limit rows. SQLite runs write transactions one at a time.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Queued, error) {
	lock := ""
	if s.dialect == DialectPostgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var claimed []mail.Queued
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		claimed = nil
		rows, err := tx.QueryContext(ctx, `
			WITH due AS MATERIALIZED (
				SELECT id FROM mail_outbox
				WHERE status IN ('pending', 'sending') AND next_attempt_at <= $2
				ORDER BY next_attempt_at, id LIMIT $3`+lock+`)
			UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1
			WHERE id IN (SELECT id FROM due)
			AND status IN ('pending', 'sending') AND next_attempt_at <= $2
			RETURNING id, recipient, kind, subject, body, attempts, created_at`,
			timeValue{now.Add(lease)}, timeValue{now}, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var q mail.Queued
			var kind string
			var sealed []byte
			if err := rows.Scan(&q.ID, &q.To, &kind, &q.Subject, &sealed, &q.Attempts, timeScan{&q.CreatedAt}); err != nil {
				return err
			}
			q.Kind = mail.Kind(kind)
			if err := s.openMailBody(&q, sealed); err != nil {
				return err
			}
			claimed = append(claimed, q)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("claim mail", err)
	}
	return claimed, nil
}

func (s *Store) openMailBody(q *mail.Queued, sealed []byte) error {
	plain, err := s.secrets.Open(sealed, mailBodyColumn.additionalData(q.ID.String()))
	if err != nil {
		return fmt.Errorf("mail %s: %w", q.ID, err)
	}
	var b mailBody
	if err := json.Unmarshal(plain, &b); err != nil {
		return fmt.Errorf("mail %s: %w", q.ID, err)
	}
	q.Text, q.HTML = b.Text, b.HTML
	return nil
}

// MarkMailSent implements mail.Store.
func (s *Store) MarkMailSent(ctx context.Context, id uuid.UUID, attempts int, now time.Time) error {
	res, err := s.exec(ctx, `
		UPDATE mail_outbox SET status = 'sent', sent_at = $1, body = NULL, last_error = ''
		WHERE id = $2 AND attempts = $3 AND status = 'sending'`,
		timeValue{now}, id, attempts)
	return wrap("mark mail sent", expectOne(res, err, mail.ErrClaimLost))
}

// MarkMailFailed implements mail.Store.
func (s *Store) MarkMailFailed(ctx context.Context, id uuid.UUID, attempts int, next time.Time, lastError string, dead bool) error {
	query := `UPDATE mail_outbox SET status = 'pending', next_attempt_at = $1, last_error = $2
		WHERE id = $3 AND attempts = $4 AND status = 'sending'`
	if dead {
		query = `UPDATE mail_outbox SET status = 'dead', next_attempt_at = $1, last_error = $2, body = NULL
		WHERE id = $3 AND attempts = $4 AND status = 'sending'`
	}
	res, err := s.exec(ctx, query, timeValue{next}, lastError, id, attempts)
	return wrap("mark mail failed", expectOne(res, err, mail.ErrClaimLost))
}

// MailStats implements mail.Store.
func (s *Store) MailStats(ctx context.Context) (mail.Stats, error) {
	var st mail.Stats
	rows, err := s.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM mail_outbox GROUP BY status`)
	if err != nil {
		return st, fmt.Errorf("mail stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return st, fmt.Errorf("mail stats: %w", err)
		}
		switch status {
		case mail.StatusPending:
			st.Pending = n
		case mail.StatusSending:
			st.Sending = n
		case mail.StatusSent:
			st.Sent = n
		case mail.StatusDead:
			st.Dead = n
		}
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("mail stats: %w", err)
	}
	var oldest *time.Time
	err = s.db.QueryRowContext(ctx, `
		SELECT MIN(created_at) FROM mail_outbox WHERE status IN ('pending', 'sending')`).
		Scan(nullTimeScan{&oldest})
	if err != nil {
		return st, fmt.Errorf("mail stats: %w", err)
	}
	if oldest != nil {
		st.OldestPending = *oldest
	}
	return st, nil
}

// FindMail returns what the outbox keeps of mail id, or mail.ErrNotQueued if there is none.
func (s *Store) FindMail(ctx context.Context, id uuid.UUID) (*mail.Record, error) {
	var r mail.Record
	var kind string
	err := s.db.QueryRowContext(ctx, `
		SELECT id, recipient, kind, subject, status, attempts, created_at, next_attempt_at,
			last_error, sent_at, body IS NOT NULL
		FROM mail_outbox WHERE id = $1`, id).
		Scan(&r.ID, &r.To, &kind, &r.Subject, &r.Status, &r.Attempts, timeScan{&r.CreatedAt},
			timeScan{&r.NextAttemptAt}, &r.LastError, nullTimeScan{&r.SentAt}, &r.HasBody)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, mail.ErrNotQueued
	}
	if err != nil {
		return nil, fmt.Errorf("find mail: %w", err)
	}
	r.Kind = mail.Kind(kind)
	return &r, nil
}

// DeleteMailBefore deletes what the outbox keeps of mail sent or dead before before (by its
// sent_at, or for a dead mail its last attempt), and returns how many rows went. Mail still
// waiting is never deleted.
func (s *Store) DeleteMailBefore(ctx context.Context, before time.Time) (int, error) {
	res, err := s.exec(ctx, `
		DELETE FROM mail_outbox
		WHERE (status = 'sent' AND sent_at < $1) OR (status = 'dead' AND next_attempt_at < $1)`,
		timeValue{before})
	if err != nil {
		return 0, fmt.Errorf("delete old mail: %w", err)
	}
	n, err := rowsAffected(res)
	return n, wrap("delete old mail", err)
}
