package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// decodeJSON reads r's body into v: at most maxJSONBody bytes, declared as
// application/json, exactly one JSON value, no fields v does not have. Its
// errors are bad_request (too_large past the bound) and name the problem:
// the field, or the offset of a syntax error.
func decodeJSON(r *http.Request, v any) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	body := http.MaxBytesReader(nil, r.Body, maxJSONBody)
	return decodeJSONFrom(body, v)
}

// requireJSON checks that r's body is declared as application/json.
func requireJSON(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		// Requiring JSON keeps cross-site HTML forms, which cannot send
		// it, from posting to the API.
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return errorf(codeBadRequest, "Content-Type is %q, want application/json", ct)
		}
		return nil
	}
	return errorf(codeBadRequest, "Content-Type is missing, want application/json")
}

// decodeJSONFrom is decodeJSON's reading half, on any reader.
func decodeJSONFrom(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return jsonError(err)
		}
		return errorf(codeBadRequest, "body must hold exactly one JSON value; more follows at offset %d", dec.InputOffset())
	}
	return nil
}

// jsonError turns a decoding error into a message naming what was wrong.
func jsonError(err error) *Error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooBig   *http.MaxBytesError
		fieldErr *Error
	)
	switch {
	case errors.As(err, &tooBig):
		return &Error{Code: codeTooLarge, Message: fmt.Sprintf("JSON body is over the %d-byte limit", tooBig.Limit), Err: err}
	case errors.Is(err, io.EOF):
		return errorf(codeBadRequest, "body is empty, want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(codeBadRequest, "malformed JSON: the body ends early")
	case errors.As(err, &syntax):
		return errorf(codeBadRequest, "malformed JSON at offset %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		if typ.Field != "" {
			return errorf(codeBadRequest, "field %q: want %s, got JSON %s (offset %d)", typ.Field, typ.Type, typ.Value, typ.Offset)
		}
		return errorf(codeBadRequest, "want a JSON %s, got JSON %s (offset %d)", typ.Type, typ.Value, typ.Offset)
	case errors.As(err, &fieldErr):
		return fieldErr
	}
	// DisallowUnknownFields reports `json: unknown field "x"`; other
	// decoder errors are equally about the input.
	return errorf(codeBadRequest, "invalid JSON body: %s", bytes.TrimPrefix([]byte(err.Error()), []byte("json: ")))
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
	return nil
}
