package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
)

// maxBodyBytes bounds every request body: no input of ours comes near it.
const maxBodyBytes = 64 << 10

// handlerFunc is an HTTP handler that returns its failure; errors.go writes it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// message is the body of a response that only says what happened.
type message struct {
	Message string `json:"message" example:"User registered successfully"`
}

// encode writes v as JSON with status.
func encode(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", errResponseStarted)
	}
	return nil
}

// noContent writes 204.
func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// decode reads a JSON object into a T and reports, the way FastAPI does, every missing
// required field (a field whose json tag lacks omitempty) and every field of the wrong type.
func decode[T any](r *http.Request) (T, error) {
	var v T
	if err := requireContentType(r, "application/json"); err != nil {
		return v, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return v, errTooLarge
		}
		return v, &httpError{status: http.StatusBadRequest, code: "bad_request", detail: "Could not read the request body"}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return v, invalidBody("field required", auth.TypeMissing)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || !json.Valid(body) {
			return v, invalidBody("JSON decode error: the body is not valid JSON", "value_error.jsondecode")
		}
		return v, invalidBody("value is not a valid dict", "type_error.dict")
	}
	var missing []auth.FieldError
	for _, name := range requiredFields(reflect.TypeFor[T]()) {
		if raw, ok := fields[name]; !ok || string(raw) == "null" {
			missing = append(missing, auth.FieldError{Field: name, Msg: auth.MsgMissing, Type: auth.TypeMissing})
		}
	}
	if len(missing) > 0 {
		return v, &auth.Error{Code: auth.CodeInvalidInput, Message: "Invalid input", Fields: missing}
	}
	if err := json.Unmarshal(body, &v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return v, &auth.Error{Code: auth.CodeInvalidInput, Message: "Invalid input", Fields: []auth.FieldError{{
				Field: typeErr.Field, Msg: typeErr.Type.Kind().String() + " type expected", Type: "type_error." + typeErr.Type.Kind().String(),
			}}}
		}
		return v, invalidBody("JSON decode error: "+err.Error(), "value_error.jsondecode")
	}
	return v, nil
}

// requiredFields lists the JSON names of t's fields that have no omitempty.
func requiredFields(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" || strings.Contains(opts, "omitempty") {
			continue
		}
		names = append(names, name)
	}
	return names
}

// parseForm reads an application/x-www-form-urlencoded body, the way OAuth2 clients send it.
func parseForm(r *http.Request) error {
	if err := requireContentType(r, "application/x-www-form-urlencoded"); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return invalidBody("the form body is malformed", "value_error.form")
	}
	return nil
}

// formFields returns the named form values, or a 422 listing the missing ones.
func formFields(r *http.Request, names ...string) ([]string, error) {
	values := make([]string, len(names))
	var missing []auth.FieldError
	for i, name := range names {
		if !r.PostForm.Has(name) {
			missing = append(missing, auth.FieldError{Field: name, Msg: auth.MsgMissing, Type: auth.TypeMissing})
		}
		values[i] = r.PostForm.Get(name)
	}
	if len(missing) > 0 {
		return nil, &auth.Error{Code: auth.CodeInvalidInput, Message: "Invalid input", Fields: missing}
	}
	return values, nil
}

func requireContentType(r *http.Request, want string) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != want {
		return &httpError{
			status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
			detail: "Content-Type must be " + want,
		}
	}
	return nil
}

// invalidBody is a 422 about the body as a whole (loc ["body"]).
func invalidBody(msg, typ string) error {
	return &auth.Error{Code: auth.CodeInvalidInput, Message: "Invalid input", Fields: []auth.FieldError{{Msg: msg, Type: typ}}}
}
