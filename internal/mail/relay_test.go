package mail_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// TestRelay_DeliversOverSTARTTLS sends a queued mail through a real SMTP server that requires
// a password: it arrives over TLS with both parts and a Message-ID derived from its outbox id,
// and its body is erased from the outbox once sent. No log line holds the link or the code.
func TestRelay_DeliversOverSTARTTLS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := mailtest.Start(t, mailtest.Options{Username: "relay", Password: "s3cret-pass"})
		clk, logs := &clock{t: t0}, &syncBuffer{}
		m := queueReset(t, st, t0, "ada@example.com", "reset-token-abc", "4815162")
		run(t, relayFor(st, smtpSender(t, srv, ""), clk, logs, 0))

		got := srv.Wait(1)
		if len(got) != 1 {
			t.Fatalf("received %d mails, want 1", len(got))
		}
		r := got[0]
		if !r.TLS {
			t.Error("mail arrived without TLS, want STARTTLS")
		}
		if want := "<" + m.ID.String() + "@" + domain + ">"; r.MessageID != want {
			t.Errorf("Message-ID: got %q, want %q", r.MessageID, want)
		}
		if r.Subject != m.Subject || len(r.To) != 1 || r.To[0] != "ada@example.com" || r.From != "noreply@example.com" {
			t.Errorf("envelope: got from %q to %v subject %q", r.From, r.To, r.Subject)
		}
		for _, part := range []string{r.Text, r.HTML} {
			if !strings.Contains(part, "reset-token-abc") || !strings.Contains(part, "4815162") {
				t.Errorf("part %.60q…: want the link and the code", part)
			}
		}
		rec := record(t, st, m)
		if rec.Status != mail.StatusSent || rec.HasBody || rec.SentAt == nil || !rec.SentAt.Equal(t0) {
			t.Errorf("outbox after delivery: got %+v, want sent at t0, body erased", rec)
		}
		for _, secret := range []string{"reset-token-abc", "4815162", "s3cret-pass"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("logs contain %q:\n%s", secret, logs)
			}
		}
		if !strings.Contains(logs.String(), "mail sent") {
			t.Errorf("logs: want a line saying the mail was sent, got:\n%s", logs)
		}
	})
}

// TestRelay_ImplicitTLS delivers to an smtps:// server.
func TestRelay_ImplicitTLS(t *testing.T) {
	st := storetest.OpenSQLite(t)
	srv := mailtest.Start(t, mailtest.Options{ImplicitTLS: true})
	queueReset(t, st, t0, "ada@example.com", "tok", "123456")
	run(t, relayFor(st, smtpSender(t, srv, ""), &clock{t: t0}, &syncBuffer{}, 0))
	if got := srv.Wait(1); !got[0].TLS {
		t.Error("mail arrived without TLS")
	}
}

// TestRelay_RefusesPlainWithoutSTARTTLS: when STARTTLS is required and the server does not
// offer it, nothing is sent in plain text; the mail stays queued for a retry.
func TestRelay_RefusesPlainWithoutSTARTTLS(t *testing.T) {
	st := storetest.OpenSQLite(t)
	srv := mailtest.Start(t, mailtest.Options{NoSTARTTLS: true, Username: "relay", Password: "s3cret-pass"})
	logs := &syncBuffer{}
	m := queueReset(t, st, t0, "ada@example.com", "tok-plain", "123456")
	run(t, relayFor(st, smtpSender(t, srv, ""), &clock{t: t0}, logs, 0))
	if got := srv.Received(); len(got) != 0 {
		t.Fatalf("received %d mails, want none in plain text", len(got))
	}
	rec := record(t, st, m)
	if rec.Status != mail.StatusPending || !rec.HasBody || !strings.Contains(rec.LastError, "STARTTLS") {
		t.Errorf("outbox: got %+v, want pending with an error about STARTTLS", rec)
	}
	if strings.Contains(rec.LastError, "s3cret-pass") || strings.Contains(logs.String(), "s3cret-pass") {
		t.Error("the password appears in the stored error or the logs")
	}
}

// TestRelay_OutageThenDelivered: the server is down, then answers 421, then is back. Each
// failure schedules a retry (the waits doubling), no attempt runs before it is due, and the
// mail goes out once the server is back. Time is driven by the clock, never slept.
func TestRelay_OutageThenDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.Stop()
		clk, logs := &clock{t: t0}, &syncBuffer{}
		relay := relayFor(st, smtpSender(t, srv, ""), clk, logs, 0)
		m := queueReset(t, st, t0, "ada@example.com", "tok-outage", "123456")

		run(t, relay) // attempt 1: connection refused
		rec := record(t, st, m)
		wantNext := t0.Add(30*time.Second - 1)
		if rec.Status != mail.StatusPending || rec.Attempts != 1 || !rec.NextAttemptAt.Equal(wantNext.Truncate(time.Microsecond)) || rec.LastError == "" {
			t.Fatalf("after attempt 1: got %+v, want pending, retry at %v, an error", rec, wantNext)
		}
		clk.Set(rec.NextAttemptAt.Add(-time.Second))
		run(t, relay) // not due yet
		if rec := record(t, st, m); rec.Attempts != 1 {
			t.Fatalf("a retry ran before it was due: attempts %d", rec.Attempts)
		}

		srv.Restart()
		srv.Reject(421)
		clk.Set(rec.NextAttemptAt)
		run(t, relay) // attempt 2: 421
		rec2 := record(t, st, m)
		if rec2.Status != mail.StatusPending || rec2.Attempts != 2 || !strings.Contains(rec2.LastError, "421") {
			t.Fatalf("after attempt 2: got %+v, want pending with the 421", rec2)
		}
		if wait := rec2.NextAttemptAt.Sub(rec.NextAttemptAt); wait <= 30*time.Second || wait > time.Minute {
			t.Errorf("second wait: got %v, want the cap doubled to 1m", wait)
		}

		srv.Accept()
		clk.Set(rec2.NextAttemptAt)
		run(t, relay) // attempt 3: delivered
		if got := srv.Wait(1); len(got) != 1 {
			t.Fatalf("received %d mails, want 1", len(got))
		}
		if rec := record(t, st, m); rec.Status != mail.StatusSent || rec.Attempts != 3 || rec.HasBody {
			t.Errorf("after the outage: got %+v, want sent at attempt 3, body erased", rec)
		}
		if n := strings.Count(logs.String(), "will retry"); n != 2 {
			t.Errorf("logs: got %d retry warnings, want 2:\n%s", n, logs)
		}
	})
}

// TestRelay_RestartMidSend: a relay claims mails and stops before sending (a crash, a
// restart). Once its lease ends, another relay sends them.
func TestRelay_RestartMidSend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := mailtest.Start(t, mailtest.Options{})
		m := queueReset(t, st, t0, "ada@example.com", "tok-crash", "123456")
		if got, err := st.ClaimMail(t.Context(), t0, 5*time.Minute, 10); err != nil || len(got) != 1 {
			t.Fatalf("ClaimMail: got %d, %v; want the mail", len(got), err)
		}
		clk := &clock{t: t0.Add(time.Minute)}
		relay := relayFor(st, smtpSender(t, srv, ""), clk, &syncBuffer{}, 0)
		run(t, relay) // the lease holds
		if got := srv.Received(); len(got) != 0 {
			t.Fatalf("sent during the first relay's lease: %d mails", len(got))
		}
		clk.Set(t0.Add(5 * time.Minute))
		run(t, relay)
		srv.Wait(1)
		if rec := record(t, st, m); rec.Status != mail.StatusSent || rec.Attempts != 2 {
			t.Errorf("after the restart: got %+v, want sent at attempt 2", rec)
		}
	})
}

// TestRelay_DeadAfterMaxAttempts: a server that keeps refusing makes the mail dead after the
// last attempt, its body erased, logged at error without the body.
func TestRelay_DeadAfterMaxAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.Reject(451)
		clk, logs := &clock{t: t0}, &syncBuffer{}
		relay := relayFor(st, smtpSender(t, srv, ""), clk, logs, 3)
		m := queueReset(t, st, t0, "ada@example.com", "tok-dead", "123456")
		for i := range 3 {
			run(t, relay)
			rec := record(t, st, m)
			if rec.Attempts != i+1 {
				t.Fatalf("attempt %d: got attempts %d", i+1, rec.Attempts)
			}
			clk.Set(rec.NextAttemptAt)
		}
		rec := record(t, st, m)
		if rec.Status != mail.StatusDead || rec.HasBody || !strings.Contains(rec.LastError, "451") {
			t.Fatalf("after 3 attempts: got %+v, want dead, body erased, the 451 kept", rec)
		}
		line := ""
		for l := range strings.Lines(logs.String()) {
			if strings.Contains(l, "level=ERROR") {
				line = l
			}
		}
		if !strings.Contains(line, "mail undeliverable") || !strings.Contains(line, m.ID.String()) || strings.Contains(logs.String(), "tok-dead") {
			t.Errorf("logs: want an error naming the mail, without its body; got:\n%s", logs)
		}
		clk.Set(clk.Now().Add(48 * time.Hour))
		srv.Accept()
		run(t, relay)
		if got := srv.Received(); len(got) != 0 {
			t.Errorf("a dead mail was sent")
		}
		st2, err := st.MailStats(t.Context())
		if err != nil || st2.Dead != 1 {
			t.Errorf("MailStats: got %+v, %v; want one dead", st2, err)
		}
	})
}

// TestRelay_PermanentRefusal: a recipient the server refuses for good (550) is dead at once.
func TestRelay_PermanentRefusal(t *testing.T) {
	st := storetest.OpenSQLite(t)
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Reject(550)
	m := queueReset(t, st, t0, "nobody@example.com", "tok", "123456")
	run(t, relayFor(st, smtpSender(t, srv, ""), &clock{t: t0}, &syncBuffer{}, 0))
	if rec := record(t, st, m); rec.Status != mail.StatusDead || rec.Attempts != 1 {
		t.Errorf("after a 550: got %+v, want dead at attempt 1", rec)
	}
}

// TestRelay_TwoRelaysSendEachMailOnce runs two relays, each on its own connection pool, over
// one database, concurrently: every mail arrives exactly once.
func TestRelay_TwoRelaysSendEachMailOnce(t *testing.T) {
	for _, dialect := range []struct {
		name string
		url  func(testing.TB) string
	}{{store.DialectSQLite, storetest.SQLiteURL}, {store.DialectPostgres, storetest.PostgresURL}} {
		t.Run(dialect.name, func(t *testing.T) { testTwoRelays(t, dialect.url(t)) })
	}
}

func testTwoRelays(t *testing.T, url string) {
	a, b := openAt(t, url), openAt(t, url)
	srv := mailtest.Start(t, mailtest.Options{})
	const n = 60
	for i := range n {
		queueReset(t, a, t0, fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("tok%d", i), "123456")
	}
	clk := &clock{t: t0}
	var wg sync.WaitGroup
	for _, st := range []*store.Store{a, b} {
		relay := mail.NewRelay(mail.RelayOptions{Store: st, Sender: smtpSender(t, srv, ""), Now: clk.Now, Batch: 3})
		wg.Go(func() {
			if err := relay.Run(t.Context()); err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	wg.Wait()
	got := srv.Wait(n)
	seen := map[string]int{}
	for _, m := range got {
		seen[m.MessageID]++
	}
	if len(got) != n || len(seen) != n {
		t.Errorf("received %d mails with %d distinct Message-IDs, want %d each once", len(got), len(seen), n)
	}
	stats, err := a.MailStats(t.Context())
	if err != nil || stats.Sent != n {
		t.Errorf("MailStats: got %+v, %v; want %d sent", stats, err, n)
	}
}

// openAt opens, migrates and seals the database at url, closed when the test ends.
func openAt(t *testing.T, url string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), url, storetest.Secrets())
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if err := st.SealSecrets(t.Context()); err != nil {
		t.Fatalf("SealSecrets: %v", err)
	}
	return st
}

// TestRelay_ReportBacklog: a mail waiting for over a minute is reported at warn, a newly dead
// one at error, and an empty outbox not at all.
func TestRelay_ReportBacklog(t *testing.T) {
	st := storetest.OpenSQLite(t)
	clk, logs := &clock{t: t0}, &syncBuffer{}
	relay := relayFor(st, nil, clk, logs, 0)
	report := func() {
		t.Helper()
		if err := relay.ReportBacklog(t.Context()); err != nil {
			t.Fatalf("ReportBacklog: %v", err)
		}
	}
	report()
	if logs.String() != "" {
		t.Fatalf("empty outbox: got logs %q, want none", logs)
	}
	m := queueReset(t, st, t0, "ada@example.com", "tok-report", "123456")
	clk.Set(t0.Add(2 * time.Minute))
	report()
	if !strings.Contains(logs.String(), `level=WARN msg="mail outbox backlog" pending=1`) || strings.Contains(logs.String(), "tok-report") {
		t.Fatalf("backlog: got logs %q, want a warning with the depth", logs)
	}
	q, err := st.ClaimMail(t.Context(), clk.Now(), time.Minute, 1)
	if err != nil || len(q) != 1 {
		t.Fatal(q, err)
	}
	if err := st.MarkMailFailed(t.Context(), m.ID, 1, clk.Now(), "550", true); err != nil {
		t.Fatal(err)
	}
	report()
	report()
	if n := strings.Count(logs.String(), "undeliverable mail"); n != 1 {
		t.Errorf("dead mail reported %d times, want once:\n%s", n, logs)
	}
}

func TestSanitize(t *testing.T) {
	got := mail.Sanitize(fmt.Errorf("451 busy\r\nlevel=ERROR msg=forged\x00 %s", strings.Repeat("é", 400)))
	if strings.ContainsAny(got, "\r\n\x00") || len(got) > 310 || !strings.HasPrefix(got, "451 busy  level=ERROR") || !strings.HasSuffix(got, "é…") {
		t.Errorf("Sanitize: got %q, want one line cut at a character boundary", got)
	}
}

// BenchmarkRelay measures delivery through a real SMTP server over STARTTLS (one connection
// per mail) from a SQLite outbox: claim, open the sealed body, send, mark sent.
func BenchmarkRelay(b *testing.B) {
	st := storetest.OpenSQLite(b)
	srv := mailtest.Start(b, mailtest.Options{})
	server, _ := mail.ParseSMTPURL(srv.URL())
	sender, _ := mail.NewSMTPSender(mail.SMTPOptions{Server: server, From: from, Domain: domain, TLSConfig: srv.ClientTLS()})
	r, _ := mail.NewRenderer("Gatehouse", publicURL)
	for i := range b.N {
		m, _ := r.VerifyEmail(fmt.Sprintf("u%d@example.com", i), mail.VerifyEmail{Token: "t", Code: "123456", ValidFor: time.Hour})
		if err := st.EnqueueMail(b.Context(), t0, m); err != nil {
			b.Fatal(err)
		}
	}
	relay := mail.NewRelay(mail.RelayOptions{Store: st, Sender: sender, Now: func() time.Time { return t0 }})
	b.ResetTimer()
	if err := relay.Run(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if got := len(srv.Received()); got != b.N {
		b.Fatalf("received %d, want %d", got, b.N)
	}
}
