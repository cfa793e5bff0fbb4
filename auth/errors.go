package auth

import (
	"errors"
	"fmt"
)

// Kind classifies an error for callers that answer with a status: the web
// layer maps each kind to one HTTP status in one place.
type Kind string

// The kinds of auth errors.
const (
	Invalid      Kind = "invalid"      // the input is malformed (400)
	Unauthorized Kind = "unauthorized" // who is asking is not proven (401)
	Forbidden    Kind = "forbidden"    // proven, but not allowed (403)
	RateLimited  Kind = "rate_limited" // too many attempts; try later (429)
)

// Error is an auth error with a kind and a message a person can act on.
type Error struct {
	Kind Kind
	Msg  string
	Err  error // the underlying error, if any
}

func (e *Error) Error() string { return "auth: " + e.Msg }

func (e *Error) Unwrap() error { return e.Err }

func errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the Kind of err, or "" when err is not an auth error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}
