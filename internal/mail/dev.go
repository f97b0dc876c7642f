package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DevMailbox is the development sender: instead of delivering, it writes each mail as an
// .eml file in one directory, where a person (or the dev mailbox page) reads it. It is for
// a machine without an SMTP server, never for production: the files hold live links.
type DevMailbox struct {
	dir    string
	from   string
	domain string
	keep   int
}

// DevMail is one mail in the development mailbox.
type DevMail struct {
	ID      uuid.UUID
	To      string
	Subject string
	Kind    Kind
	Date    time.Time
	// Text and HTML are filled by Read only.
	Text, HTML string
}

// devKeep is how many mails the development mailbox keeps; older ones are removed.
const devKeep = 200

// NewDevMailbox returns a development mailbox in dir, creating it (mode 0700) if needed.
func NewDevMailbox(dir, from, domain string) (*DevMailbox, error) {
	if err := CheckFrom(from); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("development mailbox: %w", err)
	}
	return &DevMailbox{dir: dir, from: from, domain: domain, keep: devKeep}, nil
}

// Dir returns the directory the mails are written to.
func (d *DevMailbox) Dir() string { return d.dir }

// Send writes m as <id>.eml (mode 0600), complete or not at all, and removes the oldest
// mails beyond the most recent 200.
func (d *DevMailbox) Send(ctx context.Context, m *Queued) error {
	msg, err := build(d.from, d.domain, m)
	if err != nil {
		return Permanent(err)
	}
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		return fmt.Errorf("development mailbox: %w", err)
	}
	tmp, err := os.CreateTemp(d.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("development mailbox: %w", err)
	}
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(d.dir, m.ID.String()+".eml"))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("development mailbox: %w", err)
	}
	return d.prune()
}

// List returns up to limit mails, newest first, without their bodies.
func (d *DevMailbox) List(limit int) ([]DevMail, error) {
	files, err := d.files()
	if err != nil {
		return nil, err
	}
	list := []DevMail{}
	for _, f := range files {
		if len(list) == limit {
			break
		}
		m, err := d.read(f.id, false)
		if err != nil {
			continue // removed meanwhile, or not ours
		}
		list = append(list, *m)
	}
	return list, nil
}

// Read returns the mail with id, its text and HTML parts decoded. It returns an error
// satisfying errors.Is(err, os.ErrNotExist) if there is none.
func (d *DevMailbox) Read(id uuid.UUID) (*DevMail, error) { return d.read(id, true) }

// Raw returns the .eml file of the mail with id, as an SMTP server would have received it.
func (d *DevMailbox) Raw(id uuid.UUID) ([]byte, error) {
	return os.ReadFile(filepath.Join(d.dir, id.String()+".eml"))
}

type devFile struct {
	id  uuid.UUID
	mod time.Time
}

// files returns the mailbox's files, newest first.
func (d *DevMailbox) files() ([]devFile, error) {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, fmt.Errorf("development mailbox: %w", err)
	}
	var files []devFile
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".eml")
		id, err := uuid.Parse(name)
		if !ok || err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, devFile{id, info.ModTime()})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.After(files[j].mod) })
	return files, nil
}

func (d *DevMailbox) prune() error {
	files, err := d.files()
	if err != nil || len(files) <= d.keep {
		return err
	}
	for _, f := range files[d.keep:] {
		os.Remove(filepath.Join(d.dir, f.id.String()+".eml"))
	}
	return nil
}

// read parses the .eml of id; with bodies, it decodes the text and HTML parts too.
func (d *DevMailbox) read(id uuid.UUID, bodies bool) (*DevMail, error) {
	raw, err := d.Raw(id)
	if err != nil {
		return nil, err
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("development mailbox %s: %w", id, err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	m := &DevMail{ID: id, To: msg.Header.Get("To"), Subject: subject, Kind: Kind(msg.Header.Get("X-Gatehouse-Kind"))}
	if to, err := netmail.ParseAddress(m.To); err == nil {
		m.To = to.Address
	}
	m.Date, _ = msg.Header.Date()
	if bodies {
		m.Text, m.HTML, err = parts(msg)
		if err != nil {
			return nil, fmt.Errorf("development mailbox %s: %w", id, err)
		}
	}
	return m, nil
}

// parts returns the decoded text/plain and text/html parts of a multipart/alternative mail,
// with LF line ends.
func parts(msg *netmail.Message) (text, html string, err error) {
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		return "", "", errors.New("not a multipart mail")
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			return text, html, nil
		}
		if err != nil {
			return "", "", err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return "", "", err
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		// MIME lines end in CRLF; the page shows them as the template wrote them.
		body := strings.ReplaceAll(string(b), "\r\n", "\n")
		switch ct {
		case "text/plain":
			text = body
		case "text/html":
			html = body
		}
	}
}
