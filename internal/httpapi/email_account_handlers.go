package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/mailbox"
)

// emailAccountResponse is one connected mailbox.
type emailAccountResponse struct {
	ID           uuid.UUID        `json:"id"`
	EmailAddress string           `json:"email_address" format:"email"`
	Provider     mailbox.Provider `json:"provider" enum:"gmail,outlook,imap,other"`
	DisplayName  string           `json:"display_name"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
}

func newEmailAccountResponse(a *mailbox.EmailAccount) emailAccountResponse {
	return emailAccountResponse{
		ID: a.ID, EmailAddress: a.EmailAddress, Provider: a.Provider, DisplayName: a.DisplayName,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

var opListEmailAccounts = operation{
	id: "listEmailAccounts", tag: "email accounts", summary: "My connected email accounts",
	responses: []response{{http.StatusOK, "Oldest first", []emailAccountResponse{}}},
}

// handleListEmailAccounts serves GET /api/email-accounts.
func (s *server) handleListEmailAccounts(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	list, err := s.opts.Mailboxes.List(r.Context(), p)
	if err != nil {
		return err
	}
	out := make([]emailAccountResponse, len(list))
	for i := range list {
		out[i] = newEmailAccountResponse(&list[i])
	}
	return encode(w, http.StatusOK, out)
}

var opAddEmailAccount = operation{
	id: "addEmailAccount", tag: "email accounts", summary: "Connect an email account",
	body: mailbox.EmailAccountInput{},
	responses: []response{
		{http.StatusCreated, "Connected", emailAccountResponse{}},
		{http.StatusBadRequest, "Already connected (code email_account_exists), or too many", errorBody{}},
	},
}

// handleAddEmailAccount serves POST /api/email-accounts.
func (s *server) handleAddEmailAccount(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	in, err := decode[mailbox.EmailAccountInput](r)
	if err != nil {
		return err
	}
	a, err := s.opts.Mailboxes.Add(r.Context(), p, in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, newEmailAccountResponse(a))
}

var opRenameEmailAccount = operation{
	id: "renameEmailAccount", tag: "email accounts", summary: "Rename an email account",
	body: mailbox.RenameInput{},
	responses: []response{
		{http.StatusOK, "Renamed", emailAccountResponse{}},
		{http.StatusNotFound, "No such account of mine (code email_account_not_found)", errorBody{}},
	},
}

// handleRenameEmailAccount serves PATCH /api/email-accounts/{id}.
func (s *server) handleRenameEmailAccount(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, err := decode[mailbox.RenameInput](r)
	if err != nil {
		return err
	}
	a, err := s.opts.Mailboxes.Rename(r.Context(), p, id, in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, newEmailAccountResponse(a))
}

var opRemoveEmailAccount = operation{
	id: "removeEmailAccount", tag: "email accounts", summary: "Disconnect an email account",
	responses: []response{
		{http.StatusNoContent, "Disconnected", nil},
		{http.StatusNotFound, "No such account of mine (code email_account_not_found)", errorBody{}},
	},
}

// handleRemoveEmailAccount serves DELETE /api/email-accounts/{id}.
func (s *server) handleRemoveEmailAccount(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.opts.Mailboxes.Remove(r.Context(), p, id); err != nil {
		return err
	}
	return noContent(w)
}
