package screenplay

import (
	"errors"
	"fmt"

	"closedset"
)

// Why a file could not be read. A reader's error is a *closedset.Error
// whose Err wraps one of these, so that a caller or a test can tell them
// apart with errors.Is; its kind is closedset.TooLarge for ErrTooLarge and
// closedset.Unprocessable for every other.
var (
	ErrTooLarge  = errors.New("screenplay: over the size limit")
	ErrBinary    = errors.New("screenplay: not text and not a format closedset reads")
	ErrMalformed = errors.New("screenplay: a recognised format, broken")
	ErrNoText    = errors.New("screenplay: a PDF without a text layer (scanned)")
	ErrEmpty     = errors.New("screenplay: nothing that looks like a screenplay")
	ErrLimit     = errors.New("screenplay: a bound on time, depth or size was hit while reading")
)

// readError is a reading error for a person: why (one of the Err values
// above), the 1-based line when it is tied to one (0 when not), and the
// underlying error, if any, which is never shown. Its message is "line N:
// msg"; Read puts the file's name in front ("harbor.fdx: line 40: msg").
func readError(why error, line int, cause error, format string, args ...any) *closedset.Error {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = fmt.Sprintf("line %d: %s", line, msg)
	}
	kind := closedset.Unprocessable
	if why == ErrTooLarge {
		kind = closedset.TooLarge
	}
	err := why
	if cause != nil {
		err = fmt.Errorf("%w: %w", why, cause)
	}
	return &closedset.Error{Kind: kind, Msg: msg, Err: err}
}

// named puts the file's name ("input" when it has none) in front of the
// message of a reading error that does not name it yet.
func named(err error, name string) error {
	if name == "" {
		name = "input"
	}
	if e, ok := err.(*closedset.Error); ok {
		e.Msg = name + ": " + e.Msg
	}
	return err
}
