package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/store"
)

const lease = 5 * time.Minute

// newMail queues a mail to "to" at t0 and returns it with its ID set.
func newMail(t *testing.T, s *store.Store, to string) *mail.Message {
	t.Helper()
	m := &mail.Message{
		To: to, Kind: mail.KindVerifyEmail, Subject: "Confirm " + to,
		Text: "text secret-link-" + to, HTML: "<p>html secret-link-" + to + "</p>",
	}
	must(t, "EnqueueMail", s.EnqueueMail(t.Context(), t0, m))
	if m.ID == uuid.Nil {
		t.Fatal("EnqueueMail: got no ID set, want one")
	}
	return m
}

// claim claims up to 100 mails at now.
func claim(t *testing.T, s *store.Store, now time.Time) []mail.Queued {
	t.Helper()
	got, err := s.ClaimMail(t.Context(), now, lease, 100)
	must(t, "ClaimMail", err)
	return got
}

// record returns what the outbox keeps of mail id.
func record(t *testing.T, s *store.Store, id uuid.UUID) *mail.Record {
	t.Helper()
	r, err := s.FindMail(t.Context(), id)
	must(t, "FindMail", err)
	return r
}

func testClaimMail(t *testing.T, s *store.Store) {
	a := newMail(t, s, "a@example.com")
	b := newMail(t, s, "b@example.com")
	got := claim(t, s, t0)
	if len(got) != 2 {
		t.Fatalf("ClaimMail: got %d mails, want 2", len(got))
	}
	byID := map[uuid.UUID]mail.Queued{got[0].ID: got[0], got[1].ID: got[1]}
	for _, m := range []*mail.Message{a, b} {
		q, ok := byID[m.ID]
		if !ok {
			t.Fatalf("ClaimMail: mail %s not claimed", m.ID)
		}
		wantEqual(t, "claimed message", q.Message, *m)
		wantEqual(t, "attempts", q.Attempts, 1)
		wantEqual(t, "created_at", q.CreatedAt, t0)
		if r := record(t, s, m.ID); r.Status != mail.StatusSending || !r.HasBody || r.NextAttemptAt != t0.Add(lease) {
			t.Errorf("claimed mail: got %+v, want sending with its body, leased until t0+lease", r)
		}
	}
	if again := claim(t, s, t0.Add(lease-time.Microsecond)); len(again) != 0 {
		t.Fatalf("ClaimMail during the lease: got %d mails, want 0", len(again))
	}
	// The relay that claimed them stopped: once the lease ends they are claimed again.
	again := claim(t, s, t0.Add(lease))
	if len(again) != 2 || again[0].Attempts != 2 {
		t.Fatalf("ClaimMail after the lease: got %+v, want both mails at attempt 2", again)
	}
	// The first claim is no longer current.
	wantErr(t, "MarkMailSent of a lost claim", s.MarkMailSent(t.Context(), a.ID, 1, t0), mail.ErrClaimLost)
	wantErr(t, "MarkMailFailed of a lost claim",
		s.MarkMailFailed(t.Context(), a.ID, 1, t0, "x", false), mail.ErrClaimLost)

	t.Run("Limit", func(t *testing.T) {
		for i := range 3 {
			newMail(t, s, fmt.Sprintf("limit%d@example.com", i))
		}
		got, err := s.ClaimMail(t.Context(), t0, lease, 2)
		must(t, "ClaimMail", err)
		wantEqual(t, "claimed", len(got), 2)
	})
}

func testMarkMailSent(t *testing.T, s *store.Store) {
	m := newMail(t, s, "sent@example.com")
	q := claim(t, s, t0)[0]
	must(t, "MarkMailSent", s.MarkMailSent(t.Context(), q.ID, q.Attempts, t0.Add(time.Second)))
	sentAt := t0.Add(time.Second)
	wantEqual(t, "record after delivery", *record(t, s, m.ID), mail.Record{
		ID: m.ID, To: m.To, Kind: m.Kind, Subject: m.Subject, Status: mail.StatusSent, Attempts: 1,
		CreatedAt: t0, NextAttemptAt: t0.Add(lease), SentAt: &sentAt, HasBody: false,
	})
	if got := claim(t, s, t0.Add(24*time.Hour)); len(got) != 0 {
		t.Errorf("ClaimMail after delivery: got %d mails, want 0", len(got))
	}
	wantErr(t, "MarkMailSent twice", s.MarkMailSent(t.Context(), q.ID, q.Attempts, t0), mail.ErrClaimLost)
}

func testMarkMailFailed(t *testing.T, s *store.Store) {
	m := newMail(t, s, "retry@example.com")
	q := claim(t, s, t0)[0]
	next := t0.Add(time.Minute)
	must(t, "MarkMailFailed", s.MarkMailFailed(t.Context(), q.ID, q.Attempts, next, "421 try later", false))
	if got := claim(t, s, next.Add(-time.Microsecond)); len(got) != 0 {
		t.Fatalf("ClaimMail before the retry is due: got %d mails, want 0", len(got))
	}
	q2 := claim(t, s, next)
	if len(q2) != 1 || q2[0].Attempts != 2 || q2[0].Text != m.Text {
		t.Fatalf("ClaimMail when due: got %+v, want the mail at attempt 2 with its body", q2)
	}
	must(t, "MarkMailFailed dead", s.MarkMailFailed(t.Context(), m.ID, 2, next, "550 no such user", true))
	r := record(t, s, m.ID)
	if r.Status != mail.StatusDead || r.HasBody || r.LastError != "550 no such user" || r.SentAt != nil {
		t.Errorf("dead mail: got %+v, want dead, body erased, its last error kept", r)
	}
	if got := claim(t, s, next.Add(48*time.Hour)); len(got) != 0 {
		t.Errorf("ClaimMail of a dead mail: got %d mails, want 0", len(got))
	}
}

func testMailStats(t *testing.T, s *store.Store) {
	st, err := s.MailStats(t.Context())
	must(t, "MailStats", err)
	wantEqual(t, "empty stats", st, mail.Stats{})
	for i := range 4 {
		newMail(t, s, fmt.Sprintf("stats%d@example.com", i))
	}
	got := claim(t, s, t0)
	must(t, "MarkMailSent", s.MarkMailSent(t.Context(), got[0].ID, 1, t0))
	must(t, "MarkMailFailed", s.MarkMailFailed(t.Context(), got[1].ID, 1, t0, "x", true))
	must(t, "MarkMailFailed", s.MarkMailFailed(t.Context(), got[2].ID, 1, t0.Add(time.Hour), "x", false))
	st, err = s.MailStats(t.Context())
	must(t, "MailStats", err)
	wantEqual(t, "stats", st, mail.Stats{Pending: 1, Sending: 1, Sent: 1, Dead: 1, OldestPending: t0})
}

// testEnqueueMailAtomic checks that the mails of one EnqueueMail are queued together or not
// at all: a message that cannot be stored (an ID taken) rolls the others back.
func testEnqueueMailAtomic(t *testing.T, s *store.Store) {
	taken := newMail(t, s, "taken@example.com")
	fresh := &mail.Message{To: "fresh@example.com", Kind: mail.KindPasswordReset, Subject: "s", Text: "t", HTML: "h"}
	dup := &mail.Message{ID: taken.ID, To: "dup@example.com", Kind: mail.KindPasswordReset, Subject: "s", Text: "t", HTML: "h"}
	if err := s.EnqueueMail(t.Context(), t0, fresh, dup); err == nil {
		t.Fatal("EnqueueMail with a taken ID: got nil error, want one")
	}
	got := claim(t, s, t0)
	if len(got) != 1 || got[0].ID != taken.ID {
		t.Fatalf("after a failed EnqueueMail: got %d mails, want only the first one", len(got))
	}
}

// testClaimMailConcurrently has many claimers race for many mails: each mail is claimed once.
// On PostgreSQL this is FOR UPDATE SKIP LOCKED at work.
func testClaimMailConcurrently(t *testing.T, s *store.Store) {
	const mails, claimers = 60, 6
	for i := range mails {
		newMail(t, s, fmt.Sprintf("race%d@example.com", i))
	}
	var mu sync.Mutex
	seen := map[uuid.UUID]int{}
	var wg sync.WaitGroup
	errs := make(chan error, claimers)
	for range claimers {
		wg.Go(func() {
			for {
				got, err := s.ClaimMail(t.Context(), t0, lease, 4)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, q := range got {
					seen[q.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("ClaimMail: %v", err)
	}
	if len(seen) != mails {
		t.Errorf("claimed %d distinct mails, want %d", len(seen), mails)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("mail %s claimed %d times, want once", id, n)
		}
	}
}

func testDeleteMailBefore(t *testing.T, s *store.Store) {
	sent, dead, waiting := newMail(t, s, "sent@example.com"), newMail(t, s, "dead@example.com"), newMail(t, s, "wait@example.com")
	claim(t, s, t0)
	must(t, "MarkMailSent", s.MarkMailSent(t.Context(), sent.ID, 1, t0))
	must(t, "MarkMailFailed", s.MarkMailFailed(t.Context(), dead.ID, 1, t0, "550", true))
	must(t, "MarkMailFailed", s.MarkMailFailed(t.Context(), waiting.ID, 1, t0, "421", false))
	n, err := s.DeleteMailBefore(t.Context(), t0)
	must(t, "DeleteMailBefore", err)
	wantEqual(t, "deleted at t0", n, 0)
	n, err = s.DeleteMailBefore(t.Context(), t0.Add(time.Microsecond))
	must(t, "DeleteMailBefore", err)
	wantEqual(t, "deleted after t0", n, 2)
	for _, m := range []*mail.Message{sent, dead} {
		_, err := s.FindMail(t.Context(), m.ID)
		wantErr(t, "FindMail of a deleted mail", err, mail.ErrNotQueued)
	}
	wantEqual(t, "waiting mail kept", record(t, s, waiting.ID).Status, mail.StatusPending)
}
