package web

import (
	"closedset"
	"context"
	"errors"
	"fmt"
	"net/http"
)

// code is what went wrong, as the API names it in {"error": {"code": ...}}.
type code string

// The error codes. statusOf maps each to its HTTP status.
const (
	codeBadRequest       code = "bad_request"
	codeUnauthorized     code = "unauthorized"
	codeForbidden        code = "forbidden"
	codeNotFound         code = "not_found"
	codeMethodNotAllowed code = "method_not_allowed"
	codeConflict         code = "conflict"
	codeTooLarge         code = "too_large"
	codeUnprocessable    code = "unprocessable"
	codeRuleViolation    code = "rule_violation" // a rule of the profession or the policy (closedset.RuleViolation)
	codeRateLimited      code = "rate_limited"
	codeInternal         code = "internal"
	codeUnavailable      code = "unavailable"
)

// statusOf is the one place an error code becomes an HTTP status.
func statusOf(c code) int {
	switch c {
	case codeBadRequest:
		return http.StatusBadRequest
	case codeUnauthorized:
		return http.StatusUnauthorized
	case codeForbidden:
		return http.StatusForbidden
	case codeNotFound:
		return http.StatusNotFound
	case codeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case codeConflict:
		return http.StatusConflict
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case codeUnprocessable, codeRuleViolation:
		return http.StatusUnprocessableEntity
	case codeRateLimited:
		return http.StatusTooManyRequests
	case codeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error is an error a handler returns: a code, a message for the person
// who sent the request, and the underlying error, which is logged and
// never shown.
type Error struct {
	Code    code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// errorf makes an *Error with a message for the client.
func errorf(c code, format string, args ...any) *Error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...)}
}

// codeOf is the one table from a domain error's kind (closedset.Kind) to
// the code the API answers with; statusOf then gives its HTTP status.
var codeOf = map[closedset.Kind]code{
	closedset.Invalid:       codeBadRequest,
	closedset.Unauthorized:  codeUnauthorized,
	closedset.Forbidden:     codeForbidden,
	closedset.NotFound:      codeNotFound,
	closedset.Conflict:      codeConflict,
	closedset.TooLarge:      codeTooLarge,
	closedset.Unprocessable: codeUnprocessable,
	closedset.RuleViolation: codeRuleViolation,
	closedset.RateLimited:   codeRateLimited,
}

// asError classifies any error a handler returns: an *Error as it is; a
// *closedset.Error (what the store and the domain packages return for
// anything a user can act on) by its kind (codeOf), with its own message,
// written for users ("rule: msg" for a rule violation, "field: msg" for a
// field); anything else is internal, and its text stays in the log.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &Error{Code: codeTooLarge, Message: fmt.Sprintf("request body is over the %d-byte limit", tooBig.Limit), Err: err}
	}
	var ce *closedset.Error
	if errors.As(err, &ce) {
		c, ok := codeOf[ce.Kind]
		if !ok {
			c = codeInternal
		}
		return &Error{Code: c, Message: ce.Error(), Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: codeUnavailable, Message: "the request took too long", Err: err}
	}
	return &Error{Code: codeInternal, Message: "internal error", Err: err}
}

// errorBody is the JSON of an error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      code   `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// writeJSONError answers e as {"error": {...}} with its status. An
// internal error's message is replaced by a generic one naming the request
// id, under which the cause was logged.
func writeJSONError(w http.ResponseWriter, e *Error, requestID string) {
	msg := e.Message
	if e.Code == codeInternal {
		msg = "internal error"
		if requestID != "" {
			msg = "internal error (request " + requestID + ")"
		}
	}
	if e.Code == codeUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="closedset"`)
	}
	writeJSON(w, statusOf(e.Code), errorBody{errorDetail{Code: e.Code, Message: msg, RequestID: requestID}})
}

// renderError answers a handler's error: JSON under /api/, a page
// elsewhere (pages*.go may provide renderErrorPage; until then a plain
// text answer). Internal errors are logged with the request id.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	e := asError(err)
	if statusOf(e.Code) >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", rq.ID, "code", e.Code, "err", e.Err)
	}
	if isAPIPath(r.URL.Path) {
		writeJSONError(w, e, rq.ID)
		return
	}
	if p, ok := any(s).(interface {
		renderErrorPage(w http.ResponseWriter, r *http.Request, rq *request, e *Error)
	}); ok {
		p.renderErrorPage(w, r, rq, e)
		return
	}
	msg := e.Message
	if e.Code == codeInternal {
		msg = "internal error (request " + rq.ID + ")"
	}
	http.Error(w, msg, statusOf(e.Code))
}
