package screenplay

import (
	"strings"
	"unicode/utf8"
)

// readText reads plain text laid out like a printed script (what
// `pdftotext -layout` or copying out of a PDF gives): indentation instead of
// markup, form feeds between pages. Each line becomes a row whose columns
// are Courier characters, and the shared layout code (layout.go) reads it
// exactly as it reads a PDF page. Line numbers are the input's own.
func readText(text string, name string) (*Script, error) {
	text = fixMojibake(text)
	lines := strings.Split(text, "\n")
	d := &layoutDoc{format: Text}
	page, y, breaks := 1, 0, false
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		for strings.Contains(l, "\f") {
			// A form feed starts a new page wherever it sits on the line.
			before, after, _ := strings.Cut(l, "\f")
			if strings.TrimSpace(before) != "" {
				d.rows = append(d.rows, textRow(before, page, y, i+1))
			}
			page, y, breaks, l = page+1, 0, true, after
		}
		if r := textRow(l, page, y, i+1); r != nil {
			d.rows = append(d.rows, r)
		}
		y++
	}
	if breaks {
		d.pages = page
		// A trailing form feed (pdftotext ends every page with one) opens
		// no page.
		if len(d.rows) > 0 && d.rows[len(d.rows)-1].page < page {
			d.pages = d.rows[len(d.rows)-1].page
		}
	}
	if len(d.rows) == 0 {
		return nil, readError(ErrEmpty, 0, nil, "file has no text")
	}
	s := d.script()
	s.Lines = nil // Line numbers are the input's own lines
	if len(s.Elements) == 0 {
		return nil, readError(ErrEmpty, 0, nil, "nothing in the text reads as a screenplay")
	}
	return s, nil
}

// textRow splits a text line into segments at runs of two or more spaces.
func textRow(line string, page, y, lineNo int) *row {
	line = expandTabs(line)
	r := &row{page: page, y: float64(y), line: lineNo}
	col := 0
	var cur strings.Builder
	start, blanks := 0, 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			r.segs = append(r.segs, seg{x: float64(start) * charWidth, end: float64(start+utf8.RuneCountInString(t)) * charWidth, text: t})
		}
		cur.Reset()
	}
	for _, c := range line {
		if c == ' ' {
			blanks++
			col++
			continue
		}
		if blanks >= 2 || cur.Len() == 0 {
			flush()
			start = col
		} else if blanks == 1 {
			cur.WriteByte(' ')
		}
		blanks = 0
		cur.WriteRune(c)
		col++
	}
	flush()
	if len(r.segs) == 0 {
		return nil
	}
	return r
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, c := range s {
		if c == '\t' {
			n := 8 - col%8
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(c)
		col++
	}
	return b.String()
}

// fixMojibake repairs UTF-8 text that was once read as Windows-1252 and
// saved again ("â€™" for "’"): each run of characters that, turned back into
// Windows-1252 bytes, is one valid UTF-8 sequence becomes that character.
func fixMojibake(s string) string {
	if !strings.ContainsAny(s, "âÃÂ") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if n, r := unmojibake(rs[i:]); n > 0 {
			b.WriteRune(r)
			i += n - 1
			continue
		}
		b.WriteRune(rs[i])
	}
	// "â€" whose third byte (0x9D, undefined in Windows-1252) was lost on
	// the way was a closing double quote.
	return strings.ReplaceAll(b.String(), "â€", "”")
}

func unmojibake(rs []rune) (int, rune) {
	lead, ok := cp1252Byte(rs[0])
	if !ok || lead < 0xC2 || lead > 0xF4 {
		return 0, 0
	}
	size := 2
	if lead >= 0xE0 {
		size = 3
	}
	if lead >= 0xF0 {
		size = 4
	}
	if len(rs) < size {
		return 0, 0
	}
	buf := []byte{lead}
	for _, c := range rs[1:size] {
		x, ok := cp1252Byte(c)
		if !ok {
			return 0, 0
		}
		buf = append(buf, x)
	}
	r, n := utf8.DecodeRune(buf)
	if r == utf8.RuneError || n != size {
		return 0, 0
	}
	return size, r
}

// cp1252Byte returns the Windows-1252 byte that decodes to r.
func cp1252Byte(r rune) (byte, bool) {
	if r >= 0xA0 && r <= 0xFF || r >= 0x80 && r <= 0x9F {
		return byte(r), true
	}
	for i, c := range cp1252 {
		if c == r && c != 0 {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}
