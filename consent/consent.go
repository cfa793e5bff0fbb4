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
	"closedset"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"closedset/textfield"
)

// invalid is malformed input (closedset.Invalid): a field missing, too
// long, or outside its vocabulary, named by its JSON path
// ("performers[0].nudity.level").
func invalid(field, format string, args ...any) *closedset.Error {
	return closedset.FieldErrorf(closedset.Invalid, field, format, args...)
}

// violation is well-formed input that breaks a rule of the profession or
// the policy (closedset.RuleViolation): a minor's nudity, simulated sex
// without barriers, a loosened policy. rule is one of the Rule names below,
// which the web layer and the pages show and test on; performerID is the
// performer the rule protects (0 when none), field the field that breaks
// it ("" when none).
func violation(rule string, performerID int64, field, format string, args ...any) *closedset.Error {
	return &closedset.Error{Kind: closedset.RuleViolation, Rule: rule, PerformerID: performerID, Field: field,
		Msg: fmt.Sprintf(format, args...)}
}

// asViolation finds the rule violation in err's chain.
func asViolation(err error) (*closedset.Error, bool) {
	var e *closedset.Error
	if errors.As(err, &e) && e.Kind == closedset.RuleViolation {
		return e, true
	}
	return nil, false
}

// The rules a closedset.RuleViolation from this package names (its Rule).
const (
	RuleMinorNoNudity         = "minor_no_nudity"
	RuleMinorNoSimulatedSex   = "minor_no_simulated_sex"
	RuleMinorNoSexualViolence = "minor_no_sexual_violence"
	RuleBarriers              = "barriers_for_simulated_sex"
	RulePolicyFloor           = "policy_floor"
)

// checkText checks a free-text field with the one text check
// (textfield): valid UTF-8, at most max characters, not blank when
// required, and no control characters but line breaks and tabs (none at
// all when oneLine).
func checkText(field, s string, max int, oneLine, required bool) error {
	check := textfield.Para
	if oneLine {
		check = textfield.Line
	}
	_, err := check(field, s, max, required)
	return err
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
