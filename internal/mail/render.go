package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"
)

//go:embed templates
var templateFiles embed.FS

// The web app's pages that mails link to. A link that carries a token puts it in the
// fragment (#token=…): browsers never send a fragment to the server, so the token reaches no
// access log, proxy log or Referer header, and the page's button posts it, so that a scanner
// fetching the link spends nothing.
const (
	PathVerifyEmail    = "/auth/verify-email"
	PathResetPassword  = "/auth/reset-password"
	PathConfirmEmail   = "/auth/confirm-email"
	PathReportEmail    = "/auth/report-email-change"
	PathForgotPassword = "/auth/forgot-password"
	PathSignIn         = "/auth/login"
	PathAccount        = "/accounts"
)

// Renderer renders every kind of mail from its embedded templates, which share one layout
// per part. Safe for concurrent use.
type Renderer struct {
	site string
	base string // the public URL, without a trailing slash
	html map[Kind]*htmltemplate.Template
	text map[Kind]*texttemplate.Template
}

// NewRenderer returns a Renderer whose mails name siteName and link under publicURL (an
// absolute http(s) URL without query or fragment).
func NewRenderer(siteName, publicURL string) (*Renderer, error) {
	if err := CheckPublicURL(publicURL); err != nil {
		return nil, fmt.Errorf("mail renderer: public URL: %w", err)
	}
	if siteName == "" || strings.ContainsAny(siteName, "\r\n") {
		return nil, errors.New("mail renderer: the site name must be one non-empty line")
	}
	r := &Renderer{
		site: siteName, base: strings.TrimRight(publicURL, "/"),
		html: map[Kind]*htmltemplate.Template{}, text: map[Kind]*texttemplate.Template{},
	}
	for _, k := range kinds {
		h, err := htmltemplate.ParseFS(templateFiles, "templates/layout.html", "templates/"+string(k)+".html")
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", k, err)
		}
		t, err := texttemplate.ParseFS(templateFiles, "templates/layout.txt", "templates/"+string(k)+".txt")
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", k, err)
		}
		r.html[k], r.text[k] = h, t
	}
	return r, nil
}

// kinds lists every Kind, each with a .html and a .txt template.
var kinds = []Kind{
	KindVerifyEmail, KindPasswordReset, KindEmailChange, KindEmailChangeNotice,
	KindPasswordChanged, KindNewDeviceSignIn, KindRegistrationAttempt,
}

// VerifyEmail is the data of the mail that confirms a new account's address.
type VerifyEmail struct {
	Name     string // the user's first name; may be empty
	Token    string
	Code     string // 6–8 digits, for reading the mail on another device
	ValidFor time.Duration
}

// PasswordReset is the data of the mail that lets a user choose a new password.
type PasswordReset struct {
	Name     string
	Token    string
	Code     string
	ValidFor time.Duration
}

// EmailChange is the data of the mail, sent to the new address, that confirms a change.
type EmailChange struct {
	Name     string
	NewEmail string
	Token    string
	Code     string
	ValidFor time.Duration
}

// EmailChangeNotice is the data of the mail, sent to the old address, that tells of a change
// asked for; ReportToken lets its owner say it was not them (which cancels the change).
type EmailChangeNotice struct {
	Name        string
	NewEmail    string
	ReportToken string
}

// PasswordChanged is the data of the notice that a password was changed.
type PasswordChanged struct {
	Name string
	At   time.Time
}

// NewDeviceSignIn is the data of the notice of a sign-in from a device the account does not
// trust.
type NewDeviceSignIn struct {
	Name      string
	At        time.Time
	UserAgent string
	IP        string
}

// RegistrationAttempt is the data of the mail to an address's owner when someone tried to
// register an account with it.
type RegistrationAttempt struct {
	At time.Time
}

// VerifyEmail renders the verification mail to to.
func (r *Renderer) VerifyEmail(to string, d VerifyEmail) (*Message, error) {
	if err := checkSecrets(KindVerifyEmail, d.Token, d.Code); err != nil {
		return nil, err
	}
	return r.render(KindVerifyEmail, to, "Confirm your email address for "+r.site, d.Name, map[string]any{
		"Link": r.link(PathVerifyEmail, d.Token), "Code": d.Code, "ValidFor": humanDuration(d.ValidFor),
	})
}

// PasswordReset renders the password-reset mail to to.
func (r *Renderer) PasswordReset(to string, d PasswordReset) (*Message, error) {
	if err := checkSecrets(KindPasswordReset, d.Token, d.Code); err != nil {
		return nil, err
	}
	return r.render(KindPasswordReset, to, "Reset your "+r.site+" password", d.Name, map[string]any{
		"Link": r.link(PathResetPassword, d.Token), "Code": d.Code, "ValidFor": humanDuration(d.ValidFor),
	})
}

// EmailChange renders the confirmation of an email change, to the new address to.
func (r *Renderer) EmailChange(to string, d EmailChange) (*Message, error) {
	if err := checkSecrets(KindEmailChange, d.Token, d.Code); err != nil {
		return nil, err
	}
	return r.render(KindEmailChange, to, "Confirm your new email address for "+r.site, d.Name, map[string]any{
		"Link": r.link(PathConfirmEmail, d.Token), "Code": d.Code, "ValidFor": humanDuration(d.ValidFor),
		"NewEmail": d.NewEmail,
	})
}

// EmailChangeNotice renders the notice of an email change, to the old address to.
func (r *Renderer) EmailChangeNotice(to string, d EmailChangeNotice) (*Message, error) {
	if d.ReportToken == "" {
		return nil, errors.New("render email_change_notice mail: no report token")
	}
	return r.render(KindEmailChangeNotice, to, "Your "+r.site+" email address is being changed", d.Name, map[string]any{
		"ReportLink": r.link(PathReportEmail, d.ReportToken), "NewEmail": d.NewEmail,
		"ResetLink": r.base + PathForgotPassword,
	})
}

// PasswordChanged renders the notice that the password of to's account was changed.
func (r *Renderer) PasswordChanged(to string, d PasswordChanged) (*Message, error) {
	return r.render(KindPasswordChanged, to, "Your "+r.site+" password was changed", d.Name, map[string]any{
		"At": humanTime(d.At), "ResetLink": r.base + PathForgotPassword,
	})
}

// NewDeviceSignIn renders the notice of a sign-in from a new device.
func (r *Renderer) NewDeviceSignIn(to string, d NewDeviceSignIn) (*Message, error) {
	return r.render(KindNewDeviceSignIn, to, "New sign-in to your "+r.site+" account", d.Name, map[string]any{
		"At": humanTime(d.At), "UserAgent": d.UserAgent, "IP": d.IP,
		"AccountLink": r.base + PathAccount, "ResetLink": r.base + PathForgotPassword,
	})
}

// RegistrationAttempt renders the mail telling to's owner that someone tried to register with
// the address.
func (r *Renderer) RegistrationAttempt(to string, d RegistrationAttempt) (*Message, error) {
	return r.render(KindRegistrationAttempt, to, "Someone tried to create a "+r.site+" account with your address", "", map[string]any{
		"At": humanTime(d.At), "SignInLink": r.base + PathSignIn, "ResetLink": r.base + PathForgotPassword,
	})
}

// render executes kind's templates with data plus the fields every mail has.
func (r *Renderer) render(kind Kind, to, subject, name string, data map[string]any) (*Message, error) {
	data["Site"], data["Name"], data["Subject"], data["HomeLink"] = r.site, name, subject, r.base+"/"
	var html, text bytes.Buffer
	if err := r.html[kind].ExecuteTemplate(&html, "layout", data); err != nil {
		return nil, fmt.Errorf("render %s mail: %w", kind, err)
	}
	if err := r.text[kind].ExecuteTemplate(&text, "layout", data); err != nil {
		return nil, fmt.Errorf("render %s mail: %w", kind, err)
	}
	return &Message{To: to, Kind: kind, Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

// checkSecrets refuses a mail without its token, or whose code is not 6–8 digits: a person
// must be able to type it from another device.
func checkSecrets(kind Kind, token, code string) error {
	if token == "" {
		return fmt.Errorf("render %s mail: no token", kind)
	}
	if len(code) < 6 || len(code) > 8 || strings.Trim(code, "0123456789") != "" {
		return fmt.Errorf("render %s mail: the code must be 6–8 digits", kind)
	}
	return nil
}

// link returns the page at path with token in the fragment.
func (r *Renderer) link(path, token string) string {
	return r.base + path + "#token=" + url.QueryEscape(token)
}

// humanDuration writes d as "24 hours" or "30 minutes".
func humanDuration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	case d >= time.Minute:
		return plural(int(d/time.Minute), "minute")
	default:
		return plural(int(d/time.Second), "second")
	}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// humanTime writes t in UTC, as a mail read anywhere should.
func humanTime(t time.Time) string { return t.UTC().Format("2 January 2006 at 15:04 UTC") }
