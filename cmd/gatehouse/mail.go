package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"

	"github.com/gatehouse/gatehouse/internal/config"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/store"
)

// devMailboxDir is the development mailbox's directory: mail/ beside the SQLite database, or
// data/mail/ with PostgreSQL.
func devMailboxDir(cfg config.Config) string {
	if path, ok := store.SQLitePath(cfg.DatabaseURL); ok {
		return filepath.Join(filepath.Dir(path), "mail")
	}
	return filepath.Join(filepath.Dir(config.DefaultDatabaseURL), "mail")
}

// mailSender returns the sender the settings ask for: SMTP, the development mailbox (also
// returned, for the page that will show it), or none, when mail stays queued. It logs which,
// once: where mail goes, never the SMTP password.
func mailSender(cfg config.Config, log *slog.Logger) (mail.Sender, *mail.DevMailbox, error) {
	u, _ := url.Parse(cfg.PublicURL) // validated by config
	domain := u.Hostname()
	switch {
	case cfg.SMTP != nil:
		s, err := mail.NewSMTPSender(mail.SMTPOptions{Server: *cfg.SMTP, From: cfg.MailFrom, Domain: domain})
		if err != nil {
			return nil, nil, fmt.Errorf("GATEHOUSE_SMTP_URL: %w", err)
		}
		log.Info("mail is delivered through SMTP", "server", cfg.SMTP.Addr(), "tls", cfg.SMTP.TLS, "from", cfg.MailFrom)
		return s, nil, nil
	case cfg.DevMailbox:
		box, err := mail.NewDevMailbox(devMailboxDir(cfg), cfg.MailFrom, domain)
		if err != nil {
			return nil, nil, fmt.Errorf("GATEHOUSE_DEV_MAILBOX: %w", err)
		}
		log.Warn("development mailbox: mail is written as .eml files, not sent; never use this in production",
			"dir", box.Dir())
		return box, box, nil
	default:
		log.Warn("mail will not be delivered: set GATEHOUSE_SMTP_URL (or GATEHOUSE_DEV_MAILBOX=true in development); " +
			"until then mail stays queued, and nothing is lost")
		return nil, nil, nil
	}
}
