// Package report writes an intimacy breakdown for people and for other
// tools: a terminal report, the JSON contract of DESIGN.md, a CSV for a
// spreadsheet, and a Markdown or HTML report an IC hands to a producer. It
// also totals a slate of scripts (closedset scan) and estimates the IC days
// they need.
//
// Every writer is deterministic (no dates, map keys in a fixed order), so
// the same breakdown always gives the same bytes; the golden tests rely on
// it. Script text is untrusted: each writer escapes it for its medium.
package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"

	"closedset/breakdown"
	"closedset/screenplay"
)

// Format is an output format of a breakdown.
type Format string

// The formats of one script's breakdown.
const (
	Text     Format = "text"
	JSON     Format = "json"
	CSV      Format = "csv"
	Markdown Format = "md"
	HTML     Format = "html"
)

// Formats lists the formats Write knows, in help order.
var Formats = []Format{Text, JSON, CSV, Markdown, HTML}

// ParseFormat turns a --format value into a Format.
func ParseFormat(v string) (Format, error) {
	for _, f := range Formats {
		if Format(v) == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown --format %q (want %s)", v, formatList(Formats))
}

func formatList(fs []Format) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// Write writes b in format f. A report is rendered whole before the first
// byte reaches w, so a failure never leaves half a report behind; but JSON,
// the machine's format, is streamed scene by scene (a dense script's is
// many times the script's size), and only a failing writer cuts it short.
func Write(w io.Writer, f Format, b *breakdown.Breakdown) error {
	if f == JSON {
		return WriteJSON(w, b)
	}
	var buf bytes.Buffer
	var err error
	switch f {
	case Text:
		err = WriteText(&buf, b)
	case CSV:
		err = WriteCSV(&buf, b)
	case Markdown:
		err = WriteMarkdown(&buf, b)
	case HTML:
		err = WriteHTML(&buf, b)
	default:
		_, err = ParseFormat(string(f))
	}
	if err != nil {
		return err
	}
	_, err = buf.WriteTo(w)
	return err
}

// labels are the categories as a producer reads them.
var labels = map[breakdown.Category]string{
	breakdown.Kissing:        "Kissing",
	breakdown.IntimateTouch:  "Intimate touch",
	breakdown.Nudity:         "Nudity",
	breakdown.SimulatedSex:   "Simulated sex",
	breakdown.SexualViolence: "Sexual violence",
	breakdown.HyperExposed:   "Hyper-exposed",
	breakdown.Minor:          "Minor",
}

// Label names a category for people; unknown categories (a newer engine)
// keep their machine name rather than vanish.
func Label(c breakdown.Category) string {
	if l, ok := labels[c]; ok {
		return l
	}
	return string(c)
}

// qualifier is a flag's level or kind ("implied", "death"), empty if none.
func qualifier(f breakdown.Flag) string {
	if f.Level != "" {
		return f.Level
	}
	return f.Kind
}

// flagTitle is a flag as one phrase: "Nudity (partial: breasts, buttocks)".
func flagTitle(f breakdown.Flag) string {
	t := Label(f.Category)
	q := qualifier(f)
	if len(f.Areas) > 0 {
		if q != "" {
			q += ": "
		}
		q += strings.Join(f.Areas, ", ")
	}
	if q != "" {
		t += " (" + q + ")"
	}
	return t
}

// flagged returns the scenes that need an IC.
func flagged(b *breakdown.Breakdown) []breakdown.Scene {
	var out []breakdown.Scene
	for _, sc := range b.Scenes {
		if sc.NeedsIC {
			out = append(out, sc)
		}
	}
	return out
}

// title is the script's title, or a placeholder that says it has none.
func title(b *breakdown.Breakdown) string {
	if t := strings.TrimSpace(b.Title); t != "" {
		return t
	}
	return "(untitled)"
}

// categoryCounts lists the categories of the summary in report order,
// followed by any the engine added that this package does not know yet.
func categoryCounts(s breakdown.Summary, withZero bool) []count {
	var out []count
	known := map[breakdown.Category]bool{}
	for _, c := range breakdown.Categories {
		known[c] = true
		if n := s.ByCategory[c]; n > 0 || withZero {
			out = append(out, count{c, n})
		}
	}
	var extra []count
	for c, n := range s.ByCategory {
		if !known[c] && n > 0 {
			extra = append(extra, count{c, n})
		}
	}
	sortCounts(extra)
	return append(out, extra...)
}

type count struct {
	cat breakdown.Category
	n   int
}

func sortCounts(cs []count) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].cat < cs[j-1].cat; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// printable replaces control characters with U+FFFD: script text reaches
// terminals, and an escape sequence hidden in a script must not drive one.
// Line breaks and tabs become spaces, so a quote stays on its line. It
// keeps every other byte in place, so highlighted pieces still join up.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return '\uFFFD'
		}
		return r
	}, s)
}

// segment is evidence text split around the matched words, for
// highlighting: Before + Match + After == the quoted text.
type segment struct {
	Before, Match, After string
}

// highlight finds Evidence.Match inside Evidence.Text: the first
// occurrence standing as whole words, exactly or else ignoring case. When
// it cannot be found (an engine that quotes differently) nothing is
// highlighted rather than the wrong words.
func highlight(ev breakdown.Evidence) segment {
	text, m := ev.Text, ev.Match
	if m == "" {
		return segment{Before: text}
	}
	k := wordIndex(text, m)
	if k < 0 {
		k = wordIndex(strings.ToLower(text), strings.ToLower(m))
		// Lower-casing can change byte lengths (rare scripts); only trust
		// an index that still lines up.
		if k >= 0 && !strings.EqualFold(text[k:min(len(text), k+len(m))], m) {
			k = -1
		}
	}
	if k < 0 {
		return segment{Before: text}
	}
	return segment{Before: text[:k], Match: text[k : k+len(m)], After: text[k+len(m):]}
}

// wordIndex is strings.Index restricted to matches not inside a longer
// word, falling back to the first match anywhere.
func wordIndex(s, sub string) int {
	first := -1
	for off := 0; off <= len(s)-len(sub); {
		k := strings.Index(s[off:], sub)
		if k < 0 {
			break
		}
		k += off
		if first < 0 {
			first = k
		}
		if !isWordByteAt(s, k-1) && !isWordByteAt(s, k+len(sub)) {
			return k
		}
		off = k + 1
	}
	return first
}

func isWordByteAt(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// Disclaimer is said by every report meant for people.
const Disclaimer = "This breakdown is a starting point for the intimacy coordinator's own read of the script, never a substitute for it: it can miss scenes and flag lines that are not intimate. Scene lengths are estimated in eighths of a page."

// people are the characters of a scene: those who speak in it, then those
// its flags name (a body in a morgue speaks no line but is on screen).
func people(sc breakdown.Scene) []string {
	out := append([]string(nil), sc.Characters...)
	seen := map[string]bool{}
	for _, c := range out {
		seen[c] = true
	}
	for _, f := range sc.Flags {
		for _, c := range f.Characters {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// pagesOf writes a length in eighths as a script supervisor does ("1 3/8"),
// and nothing as a plain 0 rather than "0/8".
func pagesOf(eighths int) string {
	if eighths <= 0 {
		return "0"
	}
	return screenplay.FormatEighths(eighths)
}
