package httpapi

import (
	"errors"
	"html/template"
	"net/http"
	"net/netip"
	"os"
	"regexp"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mail"
)

// devMailboxCSP is the development mailbox page's policy: no script at all, no fetches, no
// forms, no framing of the page itself. A mail's HTML part is shown in a sandboxed iframe
// (srcdoc, without allow-scripts), which inherits this policy too, so a mail cannot run code
// even if a template let some through.
const devMailboxCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var (
	devLinkRe = regexp.MustCompile(`https?://[^\s<>"]+`)
	devCodeRe = regexp.MustCompile(`code: (\d{6,8})`)
)

// devMailbox serves the development mailbox at /dev/mailbox (a list, newest first) and
// /dev/mailbox/{id} (one mail with its links and code), to loopback clients only: the mails
// hold live links. It is mounted only when the development mailbox is on, so elsewhere the
// paths are the web app's 404. The client is judged by the connection's address, never by
// X-Forwarded-For, which anyone can write.
func (s *server) devMailbox(box *mail.DevMailbox) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ap, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !ap.Addr().Unmap().IsLoopback() {
			writeError(w, r, s.log, errNotFound)
			return
		}
		w.Header().Set("Content-Security-Policy", devMailboxCSP)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if id := r.PathValue("id"); id != "" {
			s.devMail(w, r, box, id)
			return
		}
		list, err := box.List(200)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		_ = devListPage.Execute(w, list)
	})
}

func (s *server) devMail(w http.ResponseWriter, r *http.Request, box *mail.DevMailbox, id string) {
	uid, err := uuid.Parse(id)
	var m *mail.DevMail
	if err == nil {
		m, err = box.Read(uid)
	}
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || uid == uuid.Nil {
			w.Header().Set("Content-Type", "application/json")
			writeError(w, r, s.log, errNotFound)
			return
		}
		writeError(w, r, s.log, err)
		return
	}
	var code string
	if c := devCodeRe.FindStringSubmatch(m.Text); c != nil {
		code = c[1]
	}
	_ = devMailPage.Execute(w, map[string]any{
		"Mail": m, "Links": devLinkRe.FindAllString(m.Text, -1), "Code": code,
	})
}

var devListPage = template.Must(template.New("list").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Development mailbox</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem;max-width:60rem}td,th{padding:.3rem .6rem;text-align:left}</style></head>
<body><main><h1>Development mailbox</h1>
<p>Mail Gatehouse would have sent, newest first. This page exists because <code>GATEHOUSE_DEV_MAILBOX</code> is on; it answers only this machine.</p>
{{if .}}<table><thead><tr><th scope="col">Date</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>
{{range .}}<tr><td>{{.Date.Format "2006-01-02 15:04:05"}}</td><td>{{.To}}</td><td><a href="/dev/mailbox/{{.ID}}">{{.Subject}}</a></td></tr>
{{end}}</tbody></table>{{else}}<p>No mail yet.</p>{{end}}
</main></body></html>
`))

var devMailPage = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Mail.Subject}}</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem;max-width:60rem}pre{white-space:pre-wrap}iframe{width:100%;height:32rem;border:1px solid #888}</style></head>
<body><main><p><a href="/dev/mailbox">All mail</a></p>
<h1>{{.Mail.Subject}}</h1>
<p>To {{.Mail.To}}, {{.Mail.Date.Format "2006-01-02 15:04:05"}}</p>
{{if .Links}}<h2>Links</h2><ul>{{range .Links}}<li><a href="{{.}}">{{.}}</a></li>{{end}}</ul>{{end}}
{{if .Code}}<h2>Code</h2><p><strong>{{.Code}}</strong></p>{{end}}
<h2>Text part</h2><pre>{{.Mail.Text}}</pre>
{{if .Mail.HTML}}<h2>HTML part</h2><iframe title="The mail's HTML part" sandbox srcdoc="{{.Mail.HTML}}"></iframe>{{end}}
</main></body></html>
`))
