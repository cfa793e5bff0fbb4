// Package closedset holds what every part of closedset shares: the one
// error type, whose kind says what went wrong in words the web layer maps
// to one HTTP status, and whose message is written for the person who made
// the request.
//
// Domain packages (screenplay, breakdown, production, consent, docs,
// audit, auth, seal, textfield) return *Error for anything a user can act
// on; any other error is a failure of the machine, logged and never shown.
package closedset

import (
	"errors"
	"fmt"
)

// Kind is what went wrong, for the caller to answer with.
type Kind string

// The kinds of error. web maps each to one HTTP status.
const (
	Invalid       Kind = "invalid"        // malformed input: a field missing, too long, out of its vocabulary (400)
	Unauthorized  Kind = "unauthorized"   // who is asking is not proven (401)
	Forbidden     Kind = "forbidden"      // proven, but not allowed (403)
	NotFound      Kind = "not_found"      // no such record, or not one the asker may know of (404)
	Conflict      Kind = "conflict"       // the record's state refuses it: a duplicate, a second signature (409)
	TooLarge      Kind = "too_large"      // over a size limit (413)
	Unprocessable Kind = "unprocessable"  // well-formed but unusable: a file that is no screenplay (422)
	RuleViolation Kind = "rule_violation" // breaks a rule of the profession or the policy: a minor's nudity (422)
	RateLimited   Kind = "rate_limited"   // too many attempts; try later (429)
)

// Error is an error with a kind and a message a person can act on.
type Error struct {
	Kind Kind
	// Field is the input field that is wrong, as the API names it
	// ("performers[0].nudity.level"), "" when none.
	Field string
	// Rule names the rule a RuleViolation breaks (consent.RuleMinorNoNudity).
	Rule string
	// PerformerID is the performer a rule protects, 0 when none.
	PerformerID int64
	Msg         string
	Err         error // the underlying error, never shown
}

// Error is the message, after the field or the rule it concerns.
func (e *Error) Error() string {
	switch {
	case e.Rule != "":
		return e.Rule + ": " + e.Msg
	case e.Field != "":
		return e.Field + ": " + e.Msg
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an *Error of kind k.
func Errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// FieldErrorf makes an *Error of kind k about one input field.
func FieldErrorf(k Kind, field, format string, args ...any) *Error {
	return &Error{Kind: k, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, "" if none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// Is reports whether err carries an *Error of kind k.
func Is(err error, k Kind) bool { return KindOf(err) == k }
