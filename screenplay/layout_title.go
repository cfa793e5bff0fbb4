package screenplay

import (
	"math"
	"regexp"
	"strings"
)

var (
	creditLine    = regexp.MustCompile(`(?i)^((original\s+)?(written|screenplay|teleplay|story|script|adapted|created)(\s+and\s+\w+)?\s+)?by:?(\s|$)`)
	sourceLine    = regexp.MustCompile(`(?i)\b(based on|adapted from|inspired by)\b`)
	draftLine     = regexp.MustCompile(`(?i)\b(draft|revis(ed|ion)|rev\.|version|shooting script|production script)\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|\b(19|20)\d\d\b`)
	contactLine   = regexp.MustCompile(`(?i)@|\b(tel|phone|fax|email|e-mail)\b|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}|\b\d{5}(-\d{4})?\b|\b(street|st\.|avenue|ave\.|blvd|road|suite|agency|management|entertainment)\b`)
	copyrightLine = regexp.MustCompile(`(?i)copyright|©|\(c\)\s*\d|all rights reserved|\bwga\b|registered`)
)

// splitTitle takes leading title pages off the body rows and reads them as
// title page fields. A title page has no screenplay structure (no heading,
// no cue with dialogue) and reads like one: a credit line, a draft date, a
// contact, or text set away from the action margin. At most two.
func (d *layoutDoc) splitTitle(rows []*row) ([]TitleField, []*row) {
	if d.pages < 2 {
		return nil, rows
	}
	var title []*row
	for page := 1; page <= 2; page++ {
		var on []*row
		for _, r := range rows[len(title):] {
			if r.page != page {
				break
			}
			on = append(on, r)
		}
		if len(on) == 0 || len(on) == len(rows)-len(title) || !d.looksLikeTitle(on) {
			break
		}
		title = append(title, on...)
	}
	if len(title) == 0 {
		return nil, rows
	}
	return titleFields(title), rows[len(title):]
}

func (d *layoutDoc) looksLikeTitle(rows []*row) bool {
	if len(rows) > 45 {
		return false
	}
	for _, el := range d.elements(rows) {
		switch el.Type {
		case SceneHeading, Character, Dialogue, Parenthetical:
			return false
		}
	}
	off := 0
	for _, r := range rows {
		if creditLine.MatchString(r.text) || draftLine.MatchString(r.text) || contactLine.MatchString(r.text) || copyrightLine.MatchString(r.text) {
			return true
		}
		if d.dx(r) >= 0.5*inch {
			off++
		}
	}
	return off*2 > len(rows)
}

// titleFields groups title page rows into blocks (runs of lines) and names
// each block by what it says. Nothing is dropped: unknown blocks are Notes.
func titleFields(rows []*row) []TitleField {
	// Blocks side by side (a contact on the left, a draft date on the
	// right) share rows; split rows at wide gaps and stack each piece
	// under the block just above it.
	var blocks [][]*row
	for _, r := range titlePieces(rows) {
		found := -1
		for k := len(blocks) - 1; k >= 0; k-- {
			last := blocks[k][len(blocks[k])-1]
			if last.page == r.page && r.y-last.y > 0 && r.y-last.y <= 1.6 && math.Abs(r.x-last.x) <= inch {
				found = k
				break
			}
		}
		if found < 0 {
			blocks = append(blocks, nil)
			found = len(blocks) - 1
		}
		blocks[found] = append(blocks[found], r)
	}
	var out []TitleField
	add := func(k string, rs []*row) {
		var lines []string
		for _, r := range rs {
			lines = append(lines, squeeze(r.text))
		}
		if len(lines) > 0 {
			out = append(out, TitleField{Key: k, Value: strings.Join(lines, "\n")})
		}
	}
	haveTitle, wantAuthor := false, false
	for _, b := range blocks {
		t := b[0].text
		switch {
		case creditLine.MatchString(t):
			rest := strings.TrimSpace(creditLine.ReplaceAllString(t, ""))
			if rest == "" {
				add("Credit", b[:1])
				add("Author", b[1:])
				wantAuthor = len(b) == 1
			} else {
				out = append(out, TitleField{Key: "Credit", Value: strings.TrimSpace(strings.TrimSuffix(t, rest))})
				out = append(out, TitleField{Key: "Author", Value: rest})
				add("Author", b[1:])
			}
			continue
		case wantAuthor:
			add("Author", b)
		case strings.HasPrefix(t, "[") || strings.HasPrefix(t, "("):
			add("Notes", b) // a bracketed note to the reader
		case !haveTitle && !contactLine.MatchString(t) && !copyrightLine.MatchString(t):
			add("Title", b)
			haveTitle = true
		case sourceLine.MatchString(t):
			add("Source", b)
		case copyrightLine.MatchString(t):
			add("Copyright", b)
		case contactLine.MatchString(joinRows(b)):
			add("Contact", b)
		case draftLine.MatchString(joinRows(b)):
			add("Draft date", b)
		default:
			add("Notes", b)
		}
		wantAuthor = false
	}
	return out
}

// titlePieces splits title page rows at gaps wider than an inch.
func titlePieces(rows []*row) []*row {
	var out []*row
	for _, r := range rows {
		start := 0
		for k := 1; k <= len(r.segs); k++ {
			if k == len(r.segs) || r.segs[k].x-r.segs[k-1].end > inch {
				c := *r
				c.segs = r.segs[start:k]
				c.setBody()
				out = append(out, &c)
				start = k
			}
		}
	}
	return out
}

func joinRows(rs []*row) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.text)
	}
	return strings.Join(parts, "\n")
}
