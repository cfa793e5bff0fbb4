package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"closedset"
	"closedset/consent"
	"closedset/screenplay"
)

// TestEveryKindHasOneStatusAndCode: each closedset.Kind answers with one
// HTTP status and one JSON error code, the contract the API documents,
// and with its own message, wrapped or not.
func TestEveryKindHasOneStatusAndCode(t *testing.T) {
	tests := []struct {
		kind   closedset.Kind
		status int
		code   string
	}{
		{closedset.Invalid, http.StatusBadRequest, "bad_request"},
		{closedset.Unauthorized, http.StatusUnauthorized, "unauthorized"},
		{closedset.Forbidden, http.StatusForbidden, "forbidden"},
		{closedset.NotFound, http.StatusNotFound, "not_found"},
		{closedset.Conflict, http.StatusConflict, "conflict"},
		{closedset.TooLarge, http.StatusRequestEntityTooLarge, "too_large"},
		{closedset.Unprocessable, http.StatusUnprocessableEntity, "unprocessable"},
		{closedset.RuleViolation, http.StatusUnprocessableEntity, "rule_violation"},
		{closedset.RateLimited, http.StatusTooManyRequests, "rate_limited"},
	}
	if len(tests) != len(codeOf) {
		t.Errorf("%d kinds tested, codeOf maps %d", len(tests), len(codeOf))
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			err := fmt.Errorf("store: something: %w", closedset.Errorf(tt.kind, "what went wrong"))
			e := asError(err)
			if string(e.Code) != tt.code || statusOf(e.Code) != tt.status || e.Message != "what went wrong" {
				t.Errorf("asError = %s %q (%d), want %s %q (%d)", e.Code, e.Message, statusOf(e.Code), tt.code, "what went wrong", tt.status)
			}
			w := httptest.NewRecorder()
			writeJSONError(w, e, "req-1")
			var body struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if w.Code != tt.status || body.Error.Code != tt.code || body.Error.Message != "what went wrong" {
				t.Errorf("answer %d %+v, want %d %s", w.Code, body.Error, tt.status, tt.code)
			}
		})
	}
	if e := asError(closedset.Errorf("no_such_kind", "x")); e.Code != codeInternal {
		t.Errorf("an unknown kind is %s, want internal", e.Code)
	}
	if e := asError(errors.New("disk on fire")); e.Code != codeInternal || statusOf(e.Code) != http.StatusInternalServerError {
		t.Errorf("a plain error is %s, want internal", e.Code)
	}
}

// TestErrorMessagesNameTheRuleOrTheField: a rule violation is answered as
// "rule: msg", a field error as "field: msg", a screenplay reading error
// with the file and line it names.
func TestErrorMessagesNameTheRuleOrTheField(t *testing.T) {
	_, malformed := screenplay.Read([]byte("<FinalDraft>\n<Content>\n</Paragraph>"), screenplay.Options{Name: "harbor.fdx"})
	_, tooLarge := screenplay.Read([]byte("INT. A - DAY\n"), screenplay.Options{Name: "big.fountain", MaxBytes: 4})
	tests := []struct {
		name string
		err  error
		code code
		msg  string
	}{
		{"rule violation", &closedset.Error{Kind: closedset.RuleViolation, Rule: consent.RuleMinorNoNudity, PerformerID: 7, Field: "nudity.level", Msg: "Nora Vale is 16"},
			codeRuleViolation, "minor_no_nudity: Nora Vale is 16"},
		{"field", closedset.FieldErrorf(closedset.Invalid, "performers[0].nudity.level", "%q is not none, implied, partial or full", "some"),
			codeBadRequest, `performers[0].nudity.level: "some" is not none, implied, partial or full`},
		{"screenplay", malformed, codeUnprocessable, "harbor.fdx: line 3: </Paragraph> closes <Content> opened on line 2"},
		{"screenplay too large", tooLarge, codeTooLarge, "big.fountain: file is 13 bytes, over the 4 bytes limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if e := asError(tt.err); e.Code != tt.code || e.Message != tt.msg {
				t.Errorf("asError = %s %q, want %s %q", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
}
