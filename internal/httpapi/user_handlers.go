package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// userResponse is the signed-in user. The password hash never leaves the service.
type userResponse struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email" format:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	// EmailVerified says whether the address was confirmed, and EmailVerifiedAt when.
	EmailVerified   bool       `json:"email_verified"`
	EmailVerifiedAt *time.Time `json:"email_verified_at"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func newUserResponse(u *auth.User) userResponse {
	return userResponse{
		ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		EmailVerified: u.EmailVerifiedAt != nil, EmailVerifiedAt: u.EmailVerifiedAt,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

var opMe = operation{
	id: "getMe", tag: "users", summary: "The signed-in user",
	responses: []response{{http.StatusOK, "The user", userResponse{}}},
}

// handleMe serves GET /api/users/me.
func (s *server) handleMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	u, err := s.svc.Me(r.Context(), p)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, newUserResponse(u))
}

var opUpdateMe = operation{
	id: "updateMe", tag: "users", summary: "Change my names",
	body:      auth.ProfileInput{},
	responses: []response{{http.StatusOK, "The updated user", userResponse{}}},
}

// handleUpdateMe serves PUT /api/users/me.
func (s *server) handleUpdateMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	in, err := decode[auth.ProfileInput](r)
	if err != nil {
		return err
	}
	u, err := s.svc.UpdateProfile(r.Context(), p, in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, newUserResponse(u))
}

var opDeleteMe = operation{
	id: "deleteMe", tag: "users", summary: "Delete my account",
	desc: "Deletes the user with their sessions and email accounts. The password confirms it.",
	body: auth.DeleteAccountInput{},
	responses: []response{
		{http.StatusNoContent, "Deleted", nil},
		{http.StatusBadRequest, "Wrong password (code incorrect_password)", errorBody{}},
		{http.StatusConflict, "The password changed meanwhile (code credentials_changed); nothing was deleted", errorBody{}},
		busyResponse,
	},
}

// handleDeleteMe serves DELETE /api/users/me.
func (s *server) handleDeleteMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	in, err := decode[auth.DeleteAccountInput](r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteAccount(r.Context(), p, in); err != nil {
		return err
	}
	return noContent(w)
}

var opChangePassword = operation{
	id: "changePassword", tag: "users", summary: "Change my password",
	desc: "Sets a new password and signs out every other session.",
	body: auth.ChangePasswordInput{},
	responses: []response{
		{http.StatusNoContent, "Changed", nil},
		{http.StatusBadRequest, "Wrong current password (code incorrect_password)", errorBody{}},
		{http.StatusConflict, "Another request changed the password meanwhile (code credentials_changed); nothing was changed", errorBody{}},
		newPasswordBusyResponse,
	},
}

// handleChangePassword serves POST /api/users/me/password.
func (s *server) handleChangePassword(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	in, err := decode[auth.ChangePasswordInput](r)
	if err != nil {
		return err
	}
	if err := s.svc.ChangePassword(r.Context(), p, in); err != nil {
		return err
	}
	return noContent(w)
}

// sessionResponse is one signed-in device.
type sessionResponse struct {
	ID         uuid.UUID `json:"id"`
	UserAgent  string    `json:"user_agent"`
	IP         string    `json:"ip"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Current    bool      `json:"current" doc:"True for the session this request comes from."`
}

var opListSessions = operation{
	id: "listSessions", tag: "sessions", summary: "My signed-in devices",
	responses: []response{{http.StatusOK, "Most recently used first", []sessionResponse{}}},
}

// handleListSessions serves GET /api/users/me/sessions.
func (s *server) handleListSessions(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	list, err := s.svc.Sessions(r.Context(), p)
	if err != nil {
		return err
	}
	out := make([]sessionResponse, len(list))
	for i, ss := range list {
		out[i] = sessionResponse{
			ID: ss.ID, UserAgent: ss.UserAgent, IP: ss.IP, CreatedAt: ss.CreatedAt,
			LastUsedAt: ss.LastUsedAt, ExpiresAt: ss.ExpiresAt, Current: ss.ID == p.SessionID,
		}
	}
	return encode(w, http.StatusOK, out)
}

var opRevokeSession = operation{
	id: "revokeSession", tag: "sessions", summary: "Sign one device out",
	responses: []response{
		{http.StatusNoContent, "Signed out", nil},
		{http.StatusNotFound, "No such session of mine (code session_not_found)", errorBody{}},
	},
}

// handleRevokeSession serves DELETE /api/users/me/sessions/{id}.
func (s *server) handleRevokeSession(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.svc.RevokeSession(r.Context(), p, id); err != nil {
		return err
	}
	return noContent(w)
}

type revokedResponse struct {
	Revoked int `json:"revoked" doc:"How many sessions were signed out."`
}

var opRevokeOtherSessions = operation{
	id: "revokeOtherSessions", tag: "sessions", summary: "Sign out every other device",
	responses: []response{{http.StatusOK, "Signed out", revokedResponse{}}},
}

// handleRevokeOtherSessions serves DELETE /api/users/me/sessions.
func (s *server) handleRevokeOtherSessions(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	n, err := s.svc.RevokeOtherSessions(r.Context(), p)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, revokedResponse{Revoked: n})
}

// pathID parses the {id} path parameter; a malformed one is FastAPI's 422 at ["path", "id"].
func pathID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		return uuid.Nil, &pathError{item: validationItem{Loc: []string{"path", "id"}, Msg: "value is not a valid uuid", Type: "type_error.uuid"}}
	}
	return id, nil
}

// pathError is a 422 about a path parameter.
type pathError struct{ item validationItem }

func (e *pathError) Error() string { return e.item.Msg }
