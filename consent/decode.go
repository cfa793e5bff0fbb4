package consent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// decodeStrict decodes one JSON object of at most limit bytes from r into
// v: unknown fields, repeated fields, keys in another case than the
// schema's (encoding/json would match them silently) and trailing data are
// refused, as an *Error naming what.
func decodeStrict(r io.Reader, limit int64, what string, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return fmt.Errorf("consent: read %s: %w", what, err)
	}
	if int64(len(data)) > limit {
		return invalid(what, "larger than %d bytes", limit)
	}
	if err := checkKeys(data); err != nil {
		return invalid(what, "%s", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid(what, "%s", jsonMessage(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return invalid(what, "data after the JSON object")
	}
	return nil
}

// checkKeys walks the JSON tokens, refusing a top level that is not an
// object, a key repeated in one object, and a key with upper-case letters
// (every key of ours is lower case).
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
				return errors.New("empty: want a JSON object")
			}
			return nil
		}
		if err != nil {
			return errors.New(jsonMessage(err))
		}
		if first {
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return errors.New("want a JSON object")
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
				return fmt.Errorf("field %q appears twice", k)
			}
			if strings.IndexFunc(k, unicode.IsUpper) >= 0 {
				return fmt.Errorf("unknown field %q (fields are lower case)", k)
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
				stack = stack[:len(stack)-1]
				// The array closed was a value: its parent object expects a
				// key next, already set when the array opened.
			}
		}
		if len(stack) > maxDepth {
			return fmt.Errorf("nested deeper than %d", maxDepth)
		}
	}
}

// maxDepth bounds nesting; our schemas are four levels deep.
const maxDepth = 16

// jsonMessage turns encoding/json's errors into a message naming the field.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("field %s: want %s, not %s", te.Field, te.Type, te.Value)
		}
		return fmt.Sprintf("want %s, not %s", te.Type, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed JSON at byte %d: %s", se.Offset, se.Error())
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "JSON ends early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
