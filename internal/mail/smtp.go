package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of an SMTP connection.
const (
	TLSStartTLS = "starttls" // smtp://: plain connection upgraded with STARTTLS, which must be offered
	TLSImplicit = "implicit" // smtps://: TLS from the first byte
	TLSNone     = "none"     // smtp://…?tls=none: no TLS at all, only to a loopback address
)

// SMTPServer is where and how to deliver mail, as GATEHOUSE_SMTP_URL says.
type SMTPServer struct {
	Host     string
	Port     int
	Username string
	// Password is secret: it appears in no error and no log line.
	Password string
	TLS      string // TLSStartTLS, TLSImplicit or TLSNone
}

// Addr returns host:port, safe to log.
func (s SMTPServer) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// ParseSMTPURL reads smtp://user:pass@host:587 (STARTTLS required), smtps://user:pass@host:465
// (implicit TLS) or smtp://host:25?tls=none (no TLS, accepted only for a loopback host: mail
// in plain text over a network would expose its links and the password). Its errors never
// contain the URL, which holds the password.
func ParseSMTPURL(raw string) (SMTPServer, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPServer{}, errors.New("not a URL such as smtp://user:password@host:587 (special characters in the password must be percent-encoded)")
	}
	var s SMTPServer
	switch u.Scheme {
	case "smtp":
		s.TLS, s.Port = TLSStartTLS, 587
	case "smtps":
		s.TLS, s.Port = TLSImplicit, 465
	default:
		return SMTPServer{}, errors.New("the scheme must be smtp:// (STARTTLS) or smtps:// (implicit TLS)")
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return SMTPServer{}, errors.New("no host: write smtp://user:password@host:587")
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return SMTPServer{}, errors.New("only a host, a port, a user and a password, and ?tls=none, are allowed")
	}
	s.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil || n == 0 {
			return SMTPServer{}, errors.New("the port must be a number 1–65535")
		}
		s.Port = int(n)
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return SMTPServer{}, fmt.Errorf("unknown parameter %q: only tls=none is allowed", k)
		}
	}
	switch tlsMode := q.Get("tls"); {
	case !q.Has("tls"):
	case tlsMode == TLSNone && u.Scheme == "smtp":
		if !isLoopback(s.Host) {
			return SMTPServer{}, fmt.Errorf("tls=none is allowed only to a loopback address (localhost, 127.0.0.1, ::1), not %s: use STARTTLS or smtps://", s.Host)
		}
		s.TLS = TLSNone
	default:
		return SMTPServer{}, errors.New("the only tls parameter is tls=none, with smtp://")
	}
	return s, nil
}

// isLoopback reports whether host is localhost or a loopback IP. A name other than localhost
// is not resolved: what it resolves to can change after the check.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// CheckPublicURL returns nil if raw is an absolute http or https URL with a host and no
// query, fragment or user: the base of every link in a mail.
func CheckPublicURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q is not an absolute http(s) URL such as https://accounts.example.com", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(raw, "?#") {
		return fmt.Errorf("%q: the base of links must have no query or fragment", raw)
	}
	if u.User != nil {
		return fmt.Errorf("%q: the base of links must have no user", raw)
	}
	return nil
}

// SMTPSender delivers mail to one SMTP server, one connection per mail. TLS is enforced as
// the server's TLS mode says: STARTTLS mode refuses a server that does not offer it instead of
// falling back to plain text.
type SMTPSender struct {
	server  SMTPServer
	from    string
	domain  string
	timeout time.Duration
	tls     *tls.Config
}

// SMTPOptions configures NewSMTPSender.
type SMTPOptions struct {
	Server SMTPServer
	// From is the From header, "Name <address>" or an address.
	From string
	// Domain is the right side of every Message-ID (the public URL's host).
	Domain string
	// Timeout bounds each delivery, connection included (default 15 s; the relay's lease
	// assumes no more).
	Timeout time.Duration
	// TLSConfig, when set, is the TLS configuration (tests give their own CA's roots); its
	// ServerName is always the server's host and TLS 1.2 the least version.
	TLSConfig *tls.Config
}

// NewSMTPSender returns a sender for o.Server.
func NewSMTPSender(o SMTPOptions) (*SMTPSender, error) {
	if _, err := parseFrom(o.From); err != nil {
		return nil, err
	}
	if o.Timeout == 0 {
		o.Timeout = 15 * time.Second
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: o.Server.Host}
	if o.TLSConfig != nil {
		cfg = o.TLSConfig.Clone()
		cfg.ServerName = o.Server.Host
		if cfg.MinVersion < tls.VersionTLS12 {
			cfg.MinVersion = tls.VersionTLS12
		}
	}
	return &SMTPSender{server: o.Server, from: o.From, domain: o.Domain, timeout: o.Timeout, tls: cfg}, nil
}

// Send delivers m. Its error names the server (host:port), never the password or the body;
// a recipient the server refuses for good is a Permanent error.
func (s *SMTPSender) Send(ctx context.Context, m *Queued) error {
	msg, err := build(s.from, s.domain, m)
	if err != nil {
		return Permanent(err)
	}
	opts := []gomail.Option{
		gomail.WithPort(s.server.Port), gomail.WithTimeout(s.timeout), gomail.WithTLSConfig(s.tls),
		gomail.WithHELO(s.domain),
	}
	switch s.server.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.server.Username != "" {
		// Over TLS, the strongest mechanism the server offers. Without TLS (loopback only, as
		// ParseSMTPURL allows) go-mail's discovery refuses every mechanism that sends the
		// password, so PLAIN is asked for by name.
		auth := gomail.SMTPAuthAutoDiscover
		if s.server.TLS == TLSNone {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.server.Username), gomail.WithPassword(s.server.Password))
	}
	c, err := gomail.NewClient(s.server.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.server.Addr(), err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp() {
			return Permanent(fmt.Errorf("smtp %s: %w", s.server.Addr(), err))
		}
		return fmt.Errorf("smtp %s: %w", s.server.Addr(), err)
	}
	return nil
}

// build makes the MIME message of m: a text part and an HTML alternative, and a Message-ID
// derived from the outbox id, the same on every retry so that a receiver can drop a duplicate.
func build(from, domain string, m *Queued) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, errors.New("the recipient is not a valid address")
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(MessageID(m.ID.String(), domain))
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetGenHeader("X-Gatehouse-Kind", string(m.Kind))
	// Ask autoresponders (out-of-office replies) to stay quiet.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

// MessageID returns the Message-ID (without angle brackets) of the outbox mail id.
func MessageID(id, domain string) string {
	if domain == "" {
		domain = "gatehouse.invalid"
	}
	return id + "@" + domain
}
