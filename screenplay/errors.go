package screenplay

import (
	"errors"
	"fmt"
)

// ErrorKind classifies why a file could not be read.
type ErrorKind string

// The kinds of reading errors.
const (
	ErrTooLarge  ErrorKind = "too_large" // over the size limit
	ErrBinary    ErrorKind = "binary"    // not text and not a format we read
	ErrMalformed ErrorKind = "malformed" // a recognised format, broken
	ErrNoText    ErrorKind = "no_text"   // a PDF without a text layer (scanned)
	ErrEmpty     ErrorKind = "empty"     // nothing that looks like a screenplay
	ErrLimit     ErrorKind = "limit"     // a bound on time, depth or size was hit while reading
)

// Error is a reading error that names the file and, where known, the line.
type Error struct {
	Name string    // the file name as given, "-" for standard input
	Line int       // 1-based line, 0 when not tied to a line
	Kind ErrorKind // what went wrong, for callers that map it to a status
	Msg  string    // what went wrong, for a person
	Err  error     // the underlying error, if any
}

func (e *Error) Error() string {
	name := e.Name
	if name == "" {
		name = "input"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", name, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the ErrorKind of err, or "" when err is not a reading error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}
