package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"closedset/internal/strictjson"
)

// maxJSONBody bounds every JSON request body.
const maxJSONBody = 1 << 20

// decodeJSON reads r's body into v: at most maxJSONBody bytes, declared as
// application/json, exactly one JSON object, no fields v does not have, no
// field twice (strictjson, the decoder plans and boundaries use too). Its
// errors are bad_request (too_large past the bound) and name the problem:
// the field, or the offset of a syntax error.
func decodeJSON(r *http.Request, v any) error {
	if err := requireJSON(r); err != nil {
		return err
	}
	body := http.MaxBytesReader(nil, r.Body, maxJSONBody)
	return decodeJSONFrom(body, v)
}

// decodeOptionalJSON is decodeJSON for a body that may be left out: an
// empty (or blank) body leaves v as it is, without asking for a
// Content-Type; anything else must be JSON as decodeJSON wants it.
func decodeOptionalJSON(r *http.Request, v any) error {
	body, err := readBody(r.Body, maxJSONBody, "the body")
	if err != nil || len(bytes.TrimSpace(body)) == 0 {
		return err
	}
	if err := requireJSON(r); err != nil {
		return err
	}
	return decodeJSONFrom(bytes.NewReader(body), v)
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
	if err := strictjson.Decode(body, maxJSONBody, v); err != nil {
		return jsonError(err)
	}
	return nil
}

// jsonError turns a decoding error into an *Error naming what was wrong.
func jsonError(err error) *Error {
	var (
		tooBig   *http.MaxBytesError
		strict   *strictjson.Error
		fieldErr *Error
	)
	switch {
	case errors.As(err, &tooBig):
		return &Error{Code: codeTooLarge, Message: fmt.Sprintf("JSON body is over the %d-byte limit", tooBig.Limit), Err: err}
	case errors.As(err, &strict) && strict.TooLarge():
		return &Error{Code: codeTooLarge, Message: strict.Msg, Err: err}
	case errors.As(err, &fieldErr):
		// A field's own UnmarshalJSON said what is wrong.
		return fieldErr
	case errors.As(err, &strict):
		return &Error{Code: codeBadRequest, Message: strict.Msg, Err: err}
	}
	return &Error{Code: codeBadRequest, Message: "cannot read the JSON body", Err: err}
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return err
	}
	writeJSONBody(w, status, b)
	return nil
}

// encodeJSON is v as writeJSON answers it, newline included.
func encodeJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	return append(b, '\n'), nil
}

// writeJSONBody answers JSON encoded already (encodeJSON).
func writeJSONBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}
