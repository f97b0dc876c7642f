package mail_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// TestDevMailbox delivers queued mail into the development mailbox, which lists it newest
// first and reads it back with both parts decoded.
func TestDevMailbox(t *testing.T) {
	st := storetest.OpenSQLite(t)
	dir := filepath.Join(t.TempDir(), "mail")
	box, err := mail.NewDevMailbox(dir, from, domain)
	if err != nil {
		t.Fatalf("NewDevMailbox: %v", err)
	}
	clk, logs := &clock{t: t0}, &syncBuffer{}
	first := queueReset(t, st, t0, "ada@example.com", "dev-token-1", "1111111")
	run(t, relayFor(st, box, clk, logs, 0))
	second := queueReset(t, st, t0, "bob@example.com", "dev-token-2", "2222222")
	run(t, relayFor(st, box, clk, logs, 0))

	// Modification times can tie within a filesystem's resolution: order them explicitly.
	old := time.Now().Add(-time.Minute)
	if err := os.Chtimes(filepath.Join(dir, first.ID.String()+".eml"), old, old); err != nil {
		t.Fatal(err)
	}
	list, err := box.List(10)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
		t.Fatalf("List: got %+v, want the two mails newest first", list)
	}
	if l := list[1]; l.To != "ada@example.com" || l.Subject != first.Subject || l.Kind != mail.KindPasswordReset || !l.Date.Equal(t0) || l.Text != "" {
		t.Errorf("List entry: got %+v", l)
	}
	got, err := box.Read(first.ID)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got.Text != first.Text || got.HTML != first.HTML {
		t.Errorf("Read: parts differ from what was queued:\ntext %q\nwant %q", got.Text, first.Text)
	}
	raw, err := box.Raw(first.ID)
	if err != nil || !strings.Contains(string(raw), "Message-ID: <"+first.ID.String()+"@"+domain+">") {
		t.Errorf("Raw: got %v, want the .eml with its Message-ID", err)
	}
	info, err := os.Stat(filepath.Join(dir, first.ID.String()+".eml"))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("file mode: got %v, %v; want 0600", info.Mode(), err)
	}
	if _, err := box.Read(uuid.New()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Read of an unknown id: got %v, want os.ErrNotExist", err)
	}
	if rec := record(t, st, first); rec.Status != mail.StatusSent || rec.HasBody {
		t.Errorf("outbox: got %+v, want sent with the body erased", rec)
	}
	for _, secret := range []string{"dev-token-1", "1111111", "dev-token-2"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}
