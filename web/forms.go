package web

import (
	"closedset"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Forms for people. A form that fails comes back as typed, each error in
// plain words next to the input it concerns (the input aria-invalid, its
// aria-describedby naming the message), and every error in a summary at
// the top of the page linking to its input. The domain names a wrong field
// as the API does (closedset.Error.Field: "date_of_birth", "touch[0].by",
// "performers[0].nudity.level"); each form says, with a fieldMap, which of
// its inputs that is and what the form calls it.

// fieldError is one error of a failed form.
type fieldError struct {
	Input   string // the id of the input it concerns; "" for the form as a whole
	Message string // in plain words, beginning with what the form calls the input
}

// formErrors are the errors of one failed form; nil when it did not fail.
type formErrors []fieldError

// For is the message about the input with that id, "" when none.
func (fe formErrors) For(input string) string {
	var msgs []string
	for _, e := range fe {
		if input != "" && e.Input == input {
			msgs = append(msgs, e.Message)
		}
	}
	return strings.Join(msgs, " ")
}

// Form is the messages about the form as a whole, shown beside it.
func (fe formErrors) Form() []string {
	var out []string
	for _, e := range fe {
		if e.Input == "" {
			out = append(out, e.Message)
		}
	}
	return out
}

// formField is one input of a form as an error finds it.
type formField struct {
	Input string // the input's id; "" for the form as a whole
	Label string // what the form calls it, as a message begins: "Date of birth"
	// Hint is what to type, for a value the field could not read ("enter a
	// date like 1990-04-01"), in place of a message about its format.
	Hint string
}

// fieldMap finds the input of an error's field (closedset.Error.Field);
// false for a field the form does not have.
type fieldMap func(e *closedset.Error) (formField, bool)

// indexes are a field path's list indexes: "[0]", "[12]".
var indexes = regexp.MustCompile(`\[\d+\]`)

// fieldTable is a fieldMap over a table keyed by the field's path with
// its indexes dropped ("characters[2]" is "characters"): the longest
// prefix of the path the table holds ("touch.by", then "touch").
func fieldTable(table map[string]formField) fieldMap {
	return func(e *closedset.Error) (formField, bool) {
		path := indexes.ReplaceAllString(e.Field, "")
		for path != "" {
			if f, ok := table[path]; ok {
				return f, true
			}
			i := strings.LastIndexByte(path, '.')
			if i < 0 {
				break
			}
			path = path[:i]
		}
		return formField{}, false
	}
}

// fieldIndex is the first list index of a field path ("touch[3].by": 3),
// -1 when it has none.
func fieldIndex(field string) int {
	m := indexes.FindString(field)
	if m == "" {
		return -1
	}
	n, _ := strconv.Atoi(m[1 : len(m)-1])
	return n
}

// formErrorsOf is err as the errors of a form: next to the input its field
// names (through m), or, for an error naming no field the form has,
// next to fallback (the form as a whole when fallback.Input is "").
func formErrorsOf(err error, m fieldMap, fallback formField) formErrors {
	var ce *closedset.Error
	if !errors.As(err, &ce) {
		return formErrors{{Input: fallback.Input, Message: sentence(asError(err).Message)}}
	}
	f, found := fallback, false
	if m != nil && (ce.Field != "" || ce.PerformerID != 0) {
		if mf, ok := m(ce); ok {
			f, found = mf, true
		}
	}
	if !found && f.Label == "" && ce.Field != "" && ce.Rule == "" {
		f.Label = fieldWords(ce.Field) // a field the form does not show: name it
	}
	return formErrors{{Input: f.Input, Message: plainMessage(f, ce)}}
}

// fieldWords writes an API field path for people: "guardian_name" is
// "Guardian name".
func fieldWords(field string) string {
	return sentence(strings.NewReplacer("_", " ", ".", " ").Replace(field))
}

// The messages of the one text check (textfield) and of values a field
// could not read, rewritten for people.
var (
	tooLong         = regexp.MustCompile(`^is (\d+) characters, over (\d+)$`)
	wholeHours      = regexp.MustCompile(`\b(\d+)h0m0s\b`)
	formatComplaint = regexp.MustCompile(`YYYY|is not "|is not a date|IANA|is not one of|^unknown |is not a whole number|is not an id|is not a (number|date)`)
)

// plainMessage is ce's message for people: what the form calls the field,
// then what to do.
func plainMessage(f formField, ce *closedset.Error) string {
	// A message that names its field again ("notice_period: ...") says it
	// once, in the form's words.
	msg := strings.TrimPrefix(ce.Msg, ce.Field+": ")
	switch {
	case msg == "is empty" || strings.HasPrefix(msg, "required"):
		msg = "fill this in"
		if f.Hint != "" {
			msg = f.Hint
		}
	case tooLong.MatchString(msg):
		m := tooLong.FindStringSubmatch(msg)
		msg = fmt.Sprintf("make it at most %s characters (it has %s)", m[2], m[1])
	case strings.HasPrefix(msg, "must be one line"):
		msg = "keep it to one line"
	case msg == "contains a control character":
		msg = "remove the invisible control character"
	case msg == "is not valid UTF-8":
		msg = "use ordinary text"
	case f.Hint != "" && formatComplaint.MatchString(msg):
		msg = f.Hint
	}
	msg = wholeHours.ReplaceAllString(msg, "$1 hours") // a Go duration: "48h0m0s"
	if f.Label == "" {
		return sentence(msg)
	}
	return f.Label + ": " + msg
}

// sentence begins s with a capital letter.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// fieldAttrs are an input's accessibility attributes: aria-describedby
// naming its help texts and, when the form's errors concern it, its error
// message, with aria-invalid. The template writes them inside the tag:
// <input id="x" {{fieldAttrs $errs "x" "x-help"}}>.
func fieldAttrs(fe formErrors, input string, help ...string) template.HTMLAttr {
	ids := append([]string(nil), help...)
	var b strings.Builder
	if fe.For(input) != "" {
		b.WriteString(`aria-invalid="true"`)
		ids = append(ids, input+"-error")
	}
	if len(ids) > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`aria-describedby="` + template.HTMLEscapeString(strings.Join(ids, " ")) + `"`)
	}
	return template.HTMLAttr(b.String())
}

// fieldMessage is the message about one input, for the fielderror
// template.
func fieldMessage(fe formErrors, input string) fieldError {
	return fieldError{Input: input, Message: fe.For(input)}
}
