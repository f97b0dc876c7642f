package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/mail/mailtest"
	"github.com/gatehouse/gatehouse/internal/secret"
	"github.com/gatehouse/gatehouse/internal/store"
)

// queueMail opens the running instance's SQLite database with its key and queues a reset
// mail holding token and code, as a flow would.
func queueMail(t *testing.T, dbPath, key, token, code string) *mail.Message {
	t.Helper()
	raw, err := secret.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := secret.NewKeyring(raw)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), dbPath, ring)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := mail.NewRenderer("Gatehouse", "http://localhost:8000")
	if err != nil {
		t.Fatal(err)
	}
	m, err := r.PasswordReset("ada@example.com", mail.PasswordReset{Name: "Ada", Token: token, Code: code, ValidFor: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EnqueueMail(t.Context(), time.Now(), m); err != nil {
		t.Fatal(err)
	}
	return m
}

// waitFor polls cond for 10 s at most.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// A full send through serve's relay job to a real SMTP server (plain, on loopback, as
// ?tls=none allows): the mail arrives, and no log line holds its link, code or the password.
func TestRun_MailThroughSMTP(t *testing.T) {
	dir := t.TempDir()
	db, key := filepath.Join(dir, "gatehouse.db"), newSecretKey(t)
	srv := mailtest.Start(t, mailtest.Options{NoSTARTTLS: true, Username: "relay", Password: "pw-never-logged"})
	inst := start(t, map[string]string{
		"GATEHOUSE_DATABASE_URL": db, "GATEHOUSE_SECRET_KEY": key, "GATEHOUSE_LOG_LEVEL": "debug",
		"GATEHOUSE_SMTP_URL":  "smtp://relay:pw-never-logged@" + srv.Addr() + "?tls=none",
		"GATEHOUSE_MAIL_FROM": "Gatehouse <noreply@example.com>",
	})
	m := queueMail(t, db, key, "token-never-logged", "7654321")
	waitFor(t, "the mail to arrive", func() bool { return len(srv.Received()) > 0 || strings.Contains(inst.out.String(), "will retry") })
	got := srv.Received()
	if len(got) == 0 {
		t.Fatalf("no mail arrived:\n%s", inst.out)
	}
	if !strings.Contains(got[0].Text, "token-never-logged") || got[0].MessageID != "<"+m.ID.String()+"@localhost>" {
		t.Errorf("received %+v, want the reset mail with its Message-ID", got[0])
	}
	waitFor(t, "the relay to log the delivery", func() bool { return strings.Contains(inst.out.String(), "mail sent") })
	inst.stop()
	log := inst.out.String()
	for _, secret := range []string{"token-never-logged", "7654321", "pw-never-logged"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains %q:\n%s", secret, log)
		}
	}
	if !strings.Contains(log, "mail is delivered through SMTP") || !strings.Contains(log, srv.Addr()) {
		t.Errorf("the log does not say where mail goes:\n%s", log)
	}
}

// With the development mailbox on, mail lands as .eml files beside the database.
func TestRun_DevMailbox(t *testing.T) {
	dir := t.TempDir()
	db, key := filepath.Join(dir, "gatehouse.db"), newSecretKey(t)
	inst := start(t, map[string]string{
		"GATEHOUSE_DATABASE_URL": db, "GATEHOUSE_SECRET_KEY": key, "GATEHOUSE_DEV_MAILBOX": "true",
	})
	m := queueMail(t, db, key, "dev-token", "1234567")
	file := filepath.Join(dir, "mail", m.ID.String()+".eml")
	waitFor(t, file, func() bool { _, err := os.Stat(file); return err == nil })
	b, _ := os.ReadFile(file)
	if !strings.Contains(string(b), "dev-token") {
		t.Errorf("%s does not hold the mail", file)
	}
	inst.stop()
	if log := inst.out.String(); !strings.Contains(log, "development mailbox") || strings.Contains(log, "dev-token") || strings.Contains(log, "1234567") {
		t.Errorf("log: want the development mailbox named, without the link or code:\n%s", log)
	}
}

// Without a sender, serve says once that mail will not be delivered, and mail stays queued.
func TestRun_NoMailSender(t *testing.T) {
	dir := t.TempDir()
	db, key := filepath.Join(dir, "gatehouse.db"), newSecretKey(t)
	inst := start(t, map[string]string{"GATEHOUSE_DATABASE_URL": db, "GATEHOUSE_SECRET_KEY": key})
	m := queueMail(t, db, key, "tok", "1234567")
	inst.stop()
	if n := strings.Count(inst.out.String(), "mail will not be delivered"); n != 1 {
		t.Errorf("got %d warnings that mail will not be delivered, want 1:\n%s", n, inst.out)
	}
	raw, _ := secret.ParseKey(key)
	ring, _ := secret.NewKeyring(raw)
	st, err := store.Open(t.Context(), db, ring)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if rec, err := st.FindMail(t.Context(), m.ID); err != nil || rec.Status != mail.StatusPending || !rec.HasBody {
		t.Errorf("mail without a sender: got %+v, %v; want it still pending, with its body", rec, err)
	}
}

// A plain-text SMTP URL to a host that is not loopback stops the start, naming the setting
// and not the password.
func TestRun_SMTPPlainRemoteRefused(t *testing.T) {
	out := &syncBuffer{}
	env := map[string]string{
		"GATEHOUSE_DATABASE_URL": filepath.Join(t.TempDir(), "gatehouse.db"),
		"GATEHOUSE_SMTP_URL":     "smtp://u:pw-secret@mail.example.com:25?tls=none",
		"GATEHOUSE_MAIL_FROM":    "a@example.com",
	}
	err := run(t.Context(), []string{"gatehouse", "serve"}, func(k string) string { return env[k] }, out)
	if err == nil || !strings.Contains(err.Error(), "GATEHOUSE_SMTP_URL") || strings.Contains(err.Error()+out.String(), "pw-secret") {
		t.Errorf("got %v, want an error naming GATEHOUSE_SMTP_URL without the password", err)
	}
}
