// Package consent holds what a performer agrees to and whether a scene may
// be shot: the performer's private boundaries, the versioned intimacy plan
// of a scene, consents and their states, the production's policy pack
// (notice period, minors, barriers, pause word) and the readiness gates.
//
// Its main invariant: a consent counts only for the exact plan version and
// scene text it was given for (both identified by hashes), and withdrawal
// always wins. A stale or withdrawn consent never counts, and readiness is
// computed from facts each time, never stored.
//
// The package is pure: no storage, no HTTP, no clocks. Times (call times,
// delivery times, today) are inputs, and the web layer fills Facts from the
// store.
package consent

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"closedset/textfield"
)

// Kind classifies an error for callers that answer with a status: the web
// layer maps each kind to one HTTP status in one place.
type Kind string

// The kinds of consent errors.
const (
	// Invalid is malformed input: a field missing, too long, or outside
	// its vocabulary (400).
	Invalid Kind = "invalid"
	// Refused is well-formed input that breaks a rule: a minor's nudity,
	// simulated sex without barriers, a loosened policy (422).
	Refused Kind = "refused"
)

// Error is invalid input, naming the field that is wrong.
type Error struct {
	Field string // the JSON path of the field: "performers[0].nudity.level"
	Msg   string
}

func (e *Error) Error() string { return "consent: " + e.Field + ": " + e.Msg }

func invalid(field, format string, args ...any) *Error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// RuleError is input that breaks a rule of the profession or the policy.
// Rule is a stable name the web layer and the pages can show and test on.
type RuleError struct {
	Rule        string // e.g. RuleMinorNoNudity
	PerformerID int64  // the performer the rule protects, 0 when none
	Field       string // the field that breaks it, "" when none
	Msg         string // a sentence a person can act on
}

func (e *RuleError) Error() string { return "consent: " + e.Rule + ": " + e.Msg }

// The rules a RuleError names.
const (
	RuleMinorNoNudity         = "minor_no_nudity"
	RuleMinorNoSimulatedSex   = "minor_no_simulated_sex"
	RuleMinorNoSexualViolence = "minor_no_sexual_violence"
	RuleBarriers              = "barriers_for_simulated_sex"
	RulePolicyFloor           = "policy_floor"
)

// KindOf returns the Kind of err: Invalid for an *Error, Refused for a
// *RuleError, "" for anything else.
func KindOf(err error) Kind {
	var re *RuleError
	if errors.As(err, &re) {
		return Refused
	}
	var e *Error
	if errors.As(err, &e) {
		return Invalid
	}
	return ""
}

// checkText checks a free-text field with the one text check
// (textfield): valid UTF-8, at most max characters, not blank when
// required, and no control characters but line breaks and tabs (none at
// all when oneLine).
func checkText(field, s string, max int, oneLine, required bool) error {
	check := textfield.Para
	if oneLine {
		check = textfield.Line
	}
	if _, err := check(field, s, max, required); err != nil {
		var e *textfield.Error
		if errors.As(err, &e) {
			return invalid(field, "%s", e.Problem)
		}
		return err
	}
	return nil
}

// checkList checks a list of one-line texts: at most maxItems items of at
// most maxLen characters each, none blank.
func checkList(field string, items []string, maxItems, maxLen int) error {
	if len(items) > maxItems {
		return invalid(field, "%d items, at most %d", len(items), maxItems)
	}
	for i, s := range items {
		if err := checkText(fmt.Sprintf("%s[%d]", field, i), s, maxLen, true, true); err != nil {
			return err
		}
	}
	return nil
}

// normText is a text as the canonical encoding keeps it: valid UTF-8, no
// control characters, paragraphs (separated by blank lines) kept apart by
// one blank line, and within a paragraph every run of space or single line
// break collapsed to one space, none at either end. As in a scene's text,
// reflowing a paragraph is no change; a changed word or a new paragraph
// break is.
func normText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, l := range strings.Split(s, "\n") {
		if l = normLine(l); l == "" {
			flush()
			continue
		}
		cur = append(cur, l)
	}
	flush()
	return strings.Join(paras, "\n\n")
}

// normLine is a one-line text as the canonical encoding keeps it.
func normLine(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToValidUTF8(s, "\uFFFD"), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}
