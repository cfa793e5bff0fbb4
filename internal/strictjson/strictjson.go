// Package strictjson is the one JSON decoder for what closedset is sent:
// API bodies, intimacy plans and boundaries. It reads exactly one JSON
// object and refuses what encoding/json would let through silently:
// unknown fields, a field given twice (the last would win), a key in
// another case than the schema's (encoding/json matches it anyway, so
// {"title":"a","TITLE":"b"} would be a repeated field), data after the
// object, and nesting deeper than any of our schemas.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// MaxDepth bounds nesting; our deepest schema (a plan) is four levels.
const MaxDepth = 16

// Error is input that is not one acceptable JSON object. Its message
// names the field or the byte offset that is wrong.
type Error struct {
	Msg string
	// Limit is the byte limit when the input is over it, else 0.
	Limit int64
	// Err is encoding/json's error, or a type's own from its
	// UnmarshalJSON, when there is one.
	Err error
}

func (e *Error) Error() string { return e.Msg }

func (e *Error) Unwrap() error { return e.Err }

// TooLarge reports whether the input was refused for its size.
func (e *Error) TooLarge() bool { return e.Limit > 0 }

func errorf(format string, args ...any) *Error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// Decode reads one JSON object of at most limit bytes from r into v (a
// pointer to a struct whose fields are all tagged in lower case). Input
// that is wrong is an *Error; an error reading r is returned wrapped, so
// that a caller can tell, say, http.MaxBytesError.
func Decode(r io.Reader, limit int64, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return fmt.Errorf("read JSON: %w", err)
	}
	if int64(len(data)) > limit {
		return &Error{Msg: fmt.Sprintf("JSON body is larger than the %d-byte limit", limit), Limit: limit}
	}
	if err := checkKeys(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &Error{Msg: message(err), Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf("data after the JSON object, at offset %d: want exactly one JSON value", dec.InputOffset())
	}
	return nil
}

// checkKeys walks the JSON tokens, refusing a top level that is not an
// object, a key repeated in one object, a key with upper-case letters
// (every key of ours is lower case) and nesting past MaxDepth.
func checkKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   map[string]bool
		expect bool // the next token in an object is a key
	}
	var stack []frame
	first := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if first {
				return errorf("body is empty, want a JSON object")
			}
			return nil
		}
		if err != nil {
			return errorf("%s", message(err))
		}
		if first {
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return errorf("want a JSON object")
			}
		}
		first = false
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expect {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:n-1]
				continue
			}
			k := tok.(string)
			if stack[n-1].keys[k] {
				return errorf("field %q appears twice", k)
			}
			if strings.IndexFunc(k, unicode.IsUpper) >= 0 {
				return errorf("unknown field %q (fields are lower case)", k)
			}
			stack[n-1].keys[k] = true
			stack[n-1].expect = false
			continue
		}
		// A value (or the start of one) in an array or after a key.
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expect = true
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, frame{object: true, keys: map[string]bool{}, expect: true})
			case '[':
				stack = append(stack, frame{})
			case ']':
				// The array closed was a value: its parent object expects
				// a key next, already set when the array opened.
				stack = stack[:len(stack)-1]
			}
		}
		if len(stack) > MaxDepth {
			return errorf("JSON nested deeper than %d", MaxDepth)
		}
	}
}

// message turns encoding/json's errors into a sentence naming the field or
// the offset.
func message(err error) string {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends early"
	case errors.As(err, &syntax):
		return fmt.Sprintf("malformed JSON at offset %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("field %q: want %s, got JSON %s (offset %d)", typ.Field, typ.Type, typ.Value, typ.Offset)
		}
		return fmt.Sprintf("want a JSON %s, got JSON %s (offset %d)", typ.Type, typ.Value, typ.Offset)
	}
	// DisallowUnknownFields reports `json: unknown field "x"`; a type's
	// own UnmarshalJSON may return anything about the input.
	return strings.TrimPrefix(err.Error(), "json: ")
}
