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
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/auth"
)

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

// decode reads a JSON object into a T the way FastAPI (pydantic) does: field names match
// exactly (unknown keys are ignored), and one 422 lists every missing required field (a field
// whose json tag lacks omitempty), every field of the wrong type and every invalid value.
func decode[T any](r *http.Request) (T, error) {
	var v T
	if err := requireContentType(r, "application/json"); err != nil {
		return v, err
	}
	// The route's chain has bounded r.Body by its policy's limit.
	body, err := io.ReadAll(r.Body)
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
		if !json.Valid(body) {
			return v, invalidBody("JSON decode error: the body is not valid JSON", "value_error.jsondecode")
		}
		return v, invalidBody("value is not a valid dict", "type_error.dict")
	}
	// Field by field, by exact name: encoding/json alone would match keys case-insensitively,
	// so {"email": …, "EMAIL": …} could be checked as one and stored as the other.
	var problems []auth.FieldError
	rv := reflect.ValueOf(&v).Elem()
	for i, f := range jsonFields(rv.Type()) {
		raw, ok := fields[f.name]
		if !ok || string(raw) == "null" {
			if f.required {
				problems = append(problems, auth.FieldError{Field: f.name, Msg: auth.MsgMissing, Type: auth.TypeMissing})
			}
			continue
		}
		if !validJSONText(raw) {
			problems = append(problems, invalidUnicode(f.name))
			continue
		}
		if err := json.Unmarshal(raw, rv.Field(i).Addr().Interface()); err != nil {
			kind := pyType(rv.Field(i).Kind())
			problems = append(problems, auth.FieldError{Field: f.name, Msg: kind + " type expected", Type: "type_error." + kind})
		}
	}
	// Judge the present fields too, so that one 422 lists every problem, as pydantic does;
	// the service judges them again, for callers that do not come through HTTP.
	var ae *auth.Error
	if val, ok := any(v).(interface{ Validate() error }); ok && errors.As(val.Validate(), &ae) {
		for _, f := range ae.Fields {
			if !slices.ContainsFunc(problems, func(m auth.FieldError) bool { return m.Field == f.Field }) {
				problems = append(problems, f)
			}
		}
	}
	if len(problems) > 0 {
		return v, auth.Invalid(problems...)
	}
	return v, nil
}

// jsonField is one struct field as JSON names it; index i of jsonFields is field i of t.
type jsonField struct {
	name     string
	required bool
}

// jsonFields describes t's fields. A field without a usable json name gets name "".
func jsonFields(t reflect.Type) []jsonField {
	out := make([]jsonField, t.NumField())
	for i := range out {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		out[i] = jsonField{name: name, required: name != "" && !strings.Contains(opts, "omitempty")}
	}
	return out
}

// pyType names a Go kind the way pydantic's type errors do (type_error.str, …).
func pyType(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "str"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	}
	return k.String()
}

// parseForm reads an application/x-www-form-urlencoded body, the way OAuth2 clients send it.
func parseForm(r *http.Request) error {
	if err := requireContentType(r, "application/x-www-form-urlencoded"); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return invalidBody("the form body is malformed", "value_error.form")
	}
	return nil
}

// formFields returns the named form values, or a 422 listing the missing ones and those that
// are not UTF-8 (percent-decoding yields any bytes at all).
func formFields(r *http.Request, names ...string) ([]string, error) {
	values := make([]string, len(names))
	var problems []auth.FieldError
	for i, name := range names {
		values[i] = r.PostForm.Get(name)
		switch {
		case !r.PostForm.Has(name):
			problems = append(problems, auth.FieldError{Field: name, Msg: auth.MsgMissing, Type: auth.TypeMissing})
		case !utf8.ValidString(values[i]):
			problems = append(problems, invalidUnicode(name))
		}
	}
	if len(problems) > 0 {
		return nil, auth.Invalid(problems...)
	}
	return values, nil
}

// invalidUnicode is the 422 item of a field whose text is not valid Unicode.
func invalidUnicode(field string) auth.FieldError {
	return auth.FieldError{Field: field, Msg: "value is not valid UTF-8 text", Type: "value_error.unicode"}
}

// validJSONText reports whether every string in a JSON value is valid Unicode: its bytes are
// UTF-8 and each \u escape of a surrogate is half of a pair. encoding/json silently turns
// either fault into U+FFFD, so a password with invalid bytes would be stored as one that
// nobody can type, and two different invalid passwords would be the same.
func validJSONText(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		i++ // the escaped character: \\ and \" are skipped whole
		if raw[i] != 'u' {
			continue
		}
		r, ok := hex4(raw, i+1)
		if !ok {
			return false
		}
		i += 4
		switch {
		case utf16.IsSurrogate(r) && r < 0xdc00: // high: a low must follow at once
			low, ok := hex4(raw, i+3)
			if i+2 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' || !ok || low < 0xdc00 || low > 0xdfff {
				return false
			}
			i += 6
		case utf16.IsSurrogate(r): // a low without its high
			return false
		}
	}
	return true
}

// hex4 reads the four hex digits at raw[i:].
func hex4(raw []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(raw) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(raw[i:i+4]), 16, 32)
	return rune(n), err == nil
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
	return auth.Invalid(auth.FieldError{Msg: msg, Type: typ})
}
