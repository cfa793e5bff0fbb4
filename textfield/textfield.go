// Package textfield checks the text people type into closedset (titles,
// names, notes, reasons, plan texts) one way everywhere: valid UTF-8, no
// control characters but line breaks and tabs in multi-line text, and a
// length counted in characters (runes), never in bytes, against one set of
// named limits. The store, the domain packages and the web layer all call
// it, so a title the page accepts is a title the store keeps.
package textfield

import (
	"closedset"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The limits, in characters, of the text fields people type.
const (
	MaxTitle          = 200  // production, script and revision titles
	MaxName           = 200  // a person's, user's, token's or character's name
	MaxEmail          = 254  // RFC 5321's longest path
	MaxPhone          = 40   // a phone number as typed
	MaxFilename       = 255  // an uploaded file's base name
	MaxTimeZone       = 64   // an IANA time zone name
	MaxRepresentative = 300  // a performer's agent or lawyer, free text
	MaxNote           = 4000 // an IC's note on a flag review
	MaxReason         = 2000 // a withdrawal's reason
)

// Limits are the named limits by the name a page's template uses
// ({{limit "title"}}), so a form's maxlength is the limit the server holds.
var Limits = map[string]int{
	"title":          MaxTitle,
	"name":           MaxName,
	"email":          MaxEmail,
	"phone":          MaxPhone,
	"filename":       MaxFilename,
	"time_zone":      MaxTimeZone,
	"representative": MaxRepresentative,
	"note":           MaxNote,
	"reason":         MaxReason,
}

// Line checks a one-line field and returns it trimmed of surrounding
// space (the checks apply to what is returned, which is what a caller
// keeps): valid UTF-8, no control character at all (a tab or line break in
// a name would fake a line in a page, a header or the audit log), at most
// max characters, and not blank when required.
func Line(field, s string, max int, required bool) (string, error) {
	return check(field, s, max, required, unicode.IsControl)
}

// Para checks a multi-line field (a note, a reason, a plan's description)
// and returns it trimmed: as Line, but line breaks and tabs are allowed.
func Para(field, s string, max int, required bool) (string, error) {
	return check(field, s, max, required, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
	})
}

func check(field, s string, max int, required bool, refused func(rune) bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", closedset.FieldErrorf(closedset.Invalid, field, "is not valid UTF-8")
	}
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		return "", closedset.FieldErrorf(closedset.Invalid, field, "is empty")
	case strings.ContainsFunc(s, refused) && refused('\n'):
		return "", closedset.FieldErrorf(closedset.Invalid, field, "must be one line, without control characters")
	case strings.ContainsFunc(s, refused):
		return "", closedset.FieldErrorf(closedset.Invalid, field, "contains a control character")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", closedset.FieldErrorf(closedset.Invalid, field, "is %d characters, over %d", n, max)
	}
	return s, nil
}

// Items splits a list typed as text ("a, b ,c" with sep ",", or one item a
// line with sep "\n") into its trimmed, non-empty items.
func Items(s, sep string) []string {
	var out []string
	for _, it := range strings.Split(s, sep) {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}
