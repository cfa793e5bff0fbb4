package screenplay

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fountain (fountain.io/syntax) is read in two passes. The first removes
// boneyard (/* */) and notes ([[ ]]), keeping the input line of every
// surviving line so evidence can always point at the file. The second walks
// the lines as paragraphs and classifies each by the spec's rules.

// srcLine is one input line after boneyard and notes are removed.
type srcLine struct {
	text string
	no   int // 1-based input line
	// gone marks a line that held only removed text (a note or boneyard): it
	// neither ends a paragraph nor adds a line to it.
	gone bool
}

func parseFountain(text string) *Script {
	s := &Script{Format: Fountain}
	lines := splitLines(text)
	var notes []Element
	if strings.Contains(text, "/*") || strings.Contains(text, "[[") {
		lines, notes, _ = stripHidden(lines, len(lines))
	}
	start := parseTitlePage(s, lines)
	s.Elements = parseLines(lines, notes, start, nil)
	return s
}

// parseLines parses lines[start:] (boneyard and notes already stripped
// into notes) and appends the elements to els.
func parseLines(lines []srcLine, notes []Element, start int, els []Element) []Element {
	// Every element takes at least one non-blank line: size the slice once.
	nonBlank := 0
	for _, l := range lines[start:] {
		if !l.gone && !isBlank(l.text) {
			nonBlank++
		}
	}
	p := fountainParser{lines: lines, els: slices.Grow(els, nonBlank+len(notes)+1), notes: notes}
	p.parse(start)
	p.flushNotes(-1)
	return p.els
}

// splitLines splits text into lines without copying, dropping the "\r" of
// CRLF line ends. A file with only old Mac "\r" line ends is split on those.
func splitLines(text string) []srcLine {
	sep := byte('\n')
	if strings.IndexByte(text, '\n') < 0 && strings.IndexByte(text, '\r') >= 0 {
		sep = '\r'
	}
	n := strings.Count(text, string(sep)) + 1
	lines := make([]srcLine, 0, n)
	for no := 1; ; no++ {
		i := strings.IndexByte(text, sep)
		line := text
		if i >= 0 {
			line = text[:i]
		}
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		lines = append(lines, srcLine{text: line, no: no})
		if i < 0 {
			break
		}
		text = text[i+1:]
	}
	// A file ending in a newline has no last line after it.
	if len(lines) > 1 && lines[len(lines)-1].text == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// maxNoteLines bounds how far an unclosed [[ or /* may reach before it is
// taken as literal text, so one stray bracket cannot swallow a script.
const maxNoteLines = 200

// stripHidden removes boneyard and notes from lines[:limit], in place;
// the lines after limit are only looked ahead at. Boneyard is dropped;
// each note becomes a Note element at the line where it opens. Every
// input line stays one line, so line numbers stay true. safe is the last
// line before limit that is empty and outside any hidden span (-1 when
// none): a stream may cut the script there.
func stripHidden(lines []srcLine, limit int) (_ []srcLine, notes []Element, safe int) {
	out := lines // in place: line i is read before it is written
	var (
		in       string // "", "/*" or "[["
		noteBody strings.Builder
		noteLine int
	)
	safe = -1
	for i, ln := range lines[:limit] {
		if in == "" && !strings.Contains(ln.text, "/*") && !strings.Contains(ln.text, "[[") {
			if ln.text == "" {
				safe = i
			}
			out[i] = ln
			continue
		}
		var kept strings.Builder
		rest := ln.text
		for rest != "" {
			if in == "" {
				at, open := nextOpener(rest)
				if at < 0 {
					kept.WriteString(rest)
					break
				}
				kept.WriteString(rest[:at])
				rest = rest[at+2:]
				if !closes(lines, i, rest, open) {
					// Unclosed: the opener is plain text.
					kept.WriteString(open)
					continue
				}
				in = open
				if open == "[[" {
					noteBody.Reset()
					noteLine = ln.no
				}
				continue
			}
			closer := "*/"
			if in == "[[" {
				closer = "]]"
			}
			k := strings.Index(rest, closer)
			if k < 0 {
				if in == "[[" {
					noteBody.WriteString(rest)
				}
				rest = ""
				break
			}
			if in == "[[" {
				noteBody.WriteString(rest[:k])
				notes = append(notes, Element{Type: Note, Text: strings.TrimSpace(noteBody.String()), Line: noteLine})
			}
			rest = rest[k+2:]
			in = ""
		}
		if in == "[[" {
			noteBody.WriteByte('\n')
		}
		// A line left with nothing but hidden text neither ends nor extends
		// a paragraph.
		if isBlank(kept.String()) && !isBlank(ln.text) || isBlank(ln.text) && in != "" {
			out[i] = srcLine{no: ln.no, gone: true}
			continue
		}
		out[i] = srcLine{text: kept.String(), no: ln.no}
	}
	return out, notes, safe
}

// nextOpener finds the first "/*" or "[[" in s.
func nextOpener(s string) (int, string) {
	b, n := strings.Index(s, "/*"), strings.Index(s, "[[")
	switch {
	case b < 0 && n < 0:
		return -1, ""
	case b < 0 || (n >= 0 && n < b):
		return n, "[["
	}
	return b, "/*"
}

// closes reports whether a span opened on line i, with rest after the
// opener, is closed within maxNoteLines. A note may not hold a truly blank
// line (a line of two spaces is allowed).
func closes(lines []srcLine, i int, rest, open string) bool {
	closer := "*/"
	if open == "[[" {
		closer = "]]"
	}
	if strings.Contains(rest, closer) {
		return true
	}
	for j := i + 1; j < len(lines) && j <= i+maxNoteLines; j++ {
		t := lines[j].text
		if open == "[[" && isBlank(t) && t != "  " {
			return false
		}
		if strings.Contains(t, closer) {
			return true
		}
	}
	return false
}

// titleKeys are the title page keys the spec and common tools use; a block
// at the top is a title page only if it has at least one of them, so a
// script opening with "FADE IN:" is not mistaken for one.
var titleKeys = map[string]bool{
	"title": true, "credit": true, "author": true, "authors": true, "source": true,
	"draft date": true, "date": true, "contact": true, "copyright": true, "notes": true,
	"revision": true, "episode": true, "draft": true, "written by": true,
}

// parseTitlePage reads a title page at the start of lines into s.Title and
// returns the index of the first line after it.
func parseTitlePage(s *Script, lines []srcLine) int {
	i := 0
	for i < len(lines) && (lines[i].gone || strings.TrimSpace(lines[i].text) == "") {
		i++
	}
	var fields []TitleField
	known := false
	j := i
	for ; j < len(lines); j++ {
		ln := lines[j]
		if ln.gone {
			continue
		}
		t := ln.text
		if strings.TrimSpace(t) == "" {
			break
		}
		if key, val, ok := titleKey(t); ok {
			known = known || titleKeys[strings.ToLower(key)]
			fields = append(fields, TitleField{Key: key, Value: val})
			continue
		}
		// An indented line continues the previous key's value.
		if len(fields) > 0 && (strings.HasPrefix(t, "   ") || strings.HasPrefix(t, "\t")) {
			f := &fields[len(fields)-1]
			v := strings.TrimSpace(t)
			if f.Value == "" {
				f.Value = v
			} else {
				f.Value += "\n" + v
			}
			continue
		}
		return i // not a title page
	}
	if len(fields) == 0 || !known {
		return i
	}
	for k := range fields {
		fields[k].Value = stripEmphasis(fields[k].Value)
	}
	s.Title = fields
	return j
}

// titleKey splits "Key: value" (also with a full-width colon). Keys are short
// and start with a letter.
func titleKey(line string) (key, val string, ok bool) {
	if line == "" || line[0] == ' ' || line[0] == '\t' {
		return "", "", false
	}
	i := strings.IndexByte(line, ':')
	w := 1
	if j := strings.Index(line, "："); j >= 0 && (i < 0 || j < i) {
		i, w = j, len("：")
	}
	if i <= 0 || i > 40 {
		return "", "", false
	}
	key = line[:i]
	r, _ := utf8.DecodeRuneInString(key)
	if !unicode.IsLetter(r) {
		return "", "", false
	}
	for _, c := range key {
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == ' ' || c == '_' || c == '-') {
			return "", "", false
		}
	}
	return strings.TrimSpace(key), strings.TrimSpace(line[i+w:]), true
}

type fountainParser struct {
	lines []srcLine
	els   []Element
	// notes are the notes stripHidden took out, in line order, each added
	// before the first element of a later line.
	notes []Element
}

// flushNotes adds the notes that open before input line no (all of them
// when no is negative), so elements and notes stay in line order.
func (p *fountainParser) flushNotes(no int) {
	for len(p.notes) > 0 && (no < 0 || p.notes[0].Line < no) {
		p.els = append(p.els, p.notes[0])
		p.notes = p.notes[1:]
	}
}

// next returns the index of the next line after i that is not gone.
func (p *fountainParser) next(i int) int {
	for i++; i < len(p.lines) && p.lines[i].gone; i++ {
	}
	return i
}

func (p *fountainParser) blank(i int) bool {
	return i >= len(p.lines) || isBlank(p.lines[i].text)
}

func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

func (p *fountainParser) parse(start int) {
	prevBlank := true
	for i := start; i < len(p.lines); {
		ln := p.lines[i]
		if ln.gone {
			i++
			continue
		}
		t := ln.text
		if isBlank(t) {
			prevBlank = true
			i++
			continue
		}
		next := p.next(i)
		i = p.element(i, next, prevBlank)
		prevBlank = false
	}
}

// element classifies the paragraph starting at line i (next is the line
// after it) and returns the index of the first line not consumed.
func (p *fountainParser) element(i, next int, prevBlank bool) int {
	ln := p.lines[i]
	t := ln.text
	trim := strings.TrimSpace(t)
	nextBlank := p.blank(next)

	switch {
	case isPageBreak(trim):
		p.add(Element{Type: PageBreak, Line: ln.no})
		return next
	case trim[0] == '#':
		depth := len(trim) - len(strings.TrimLeft(trim, "#"))
		p.add(Element{Type: Section, Text: strings.TrimSpace(trim[depth:]), Line: ln.no, Depth: depth})
		return next
	case trim[0] == '=':
		p.add(Element{Type: Synopsis, Text: strings.TrimSpace(trim[1:]), Line: ln.no})
		return next
	case trim[0] == '~':
		return p.lyrics(i)
	case trim[0] == '!':
		return p.action(i, true)
	case trim[0] == '>' && strings.HasSuffix(trim, "<") && len(trim) > 1:
		return p.centered(i)
	case trim[0] == '>':
		p.add(Element{Type: Transition, Text: stripEmphasis(strings.TrimSpace(trim[1:])), Line: ln.no, Forced: true})
		return next
	}
	if prevBlank {
		if h, num, forced, ok := headingLine(trim); ok && (forced || nextBlank || strongHeading(trim)) {
			p.add(Element{Type: SceneHeading, Text: stripEmphasis(h), Number: num, Line: ln.no, Forced: forced})
			return p.afterHeading(next)
		}
		if nextBlank {
			// "OMITTED #17#": the placeholder of a cut scene, kept with its
			// number as the PDF reader keeps it.
			if text, num := splitSceneNumber(trim); num != "" && omitted.MatchString(text) {
				p.add(Element{Type: Action, Text: text, Number: num, Line: ln.no})
				return next
			}
		}
		if nextBlank && isTransition(trim) {
			p.add(Element{Type: Transition, Text: stripEmphasis(trim), Line: ln.no})
			return next
		}
		if !nextBlank {
			if name, dual, ok := characterCue(trim); ok {
				return p.dialogue(i, next, name, dual)
			}
		}
	}
	return p.action(i, false)
}

// afterHeading lets a heading be followed directly by another heading (a
// common shorthand) by treating the next line as a fresh paragraph start.
func (p *fountainParser) afterHeading(next int) int {
	for next < len(p.lines) && !p.lines[next].gone && !isBlank(p.lines[next].text) {
		trim := strings.TrimSpace(p.lines[next].text)
		h, num, forced, ok := headingLine(trim)
		if !ok || !(forced || strongHeading(trim)) {
			// The rest is an ordinary paragraph right under the heading.
			return p.element(next, p.next(next), true)
		}
		p.add(Element{Type: SceneHeading, Text: stripEmphasis(h), Number: num, Line: p.lines[next].no, Forced: forced})
		next = p.next(next)
	}
	return next
}

func (p *fountainParser) add(e Element) {
	p.flushNotes(e.Line)
	p.els = append(p.els, e)
}

// action gathers a paragraph of action; leading tabs and spaces are kept.
func (p *fountainParser) action(i int, forced bool) int {
	first := p.lines[i].text
	if forced {
		k := strings.IndexByte(first, '!')
		first = first[:k] + first[k+1:]
	}
	var b paragraph
	b.start(p.lines[i].no, first)
	j := p.next(i)
	for ; j < len(p.lines) && !isBlank(p.lines[j].text); j = p.next(j) {
		trim := strings.TrimSpace(p.lines[j].text)
		// A forced element or a page break inside a paragraph starts anew.
		if isPageBreak(trim) {
			break
		}
		b.line(p.lines[j].no, p.lines[j].text)
	}
	p.add(b.element(Action, forced))
	return j
}

func (p *fountainParser) lyrics(i int) int {
	var b paragraph
	t := strings.TrimSpace(p.lines[i].text)
	b.start(p.lines[i].no, t[1:])
	j := p.next(i)
	for ; j < len(p.lines); j = p.next(j) {
		t := strings.TrimSpace(p.lines[j].text)
		if t == "" || t[0] != '~' {
			break
		}
		b.line(p.lines[j].no, t[1:])
	}
	p.add(b.element(Lyrics, true))
	return j
}

func (p *fountainParser) centered(i int) int {
	var b paragraph
	j := i
	for ; j < len(p.lines); j = p.next(j) {
		t := strings.TrimSpace(p.lines[j].text)
		if len(t) < 2 || t[0] != '>' || !strings.HasSuffix(t, "<") {
			break
		}
		t = strings.TrimSpace(t[1 : len(t)-1])
		if j == i {
			b.start(p.lines[j].no, t)
		} else {
			b.line(p.lines[j].no, t)
		}
	}
	p.add(b.element(Centered, true))
	return j
}

// dialogue reads a character cue and the parentheticals, dialogue and
// lyrics under it, up to a blank line. A line of two spaces is a blank line
// kept inside the dialogue.
func (p *fountainParser) dialogue(i, next int, name string, dual bool) int {
	cue := Element{Type: Character, Text: name, Line: p.lines[i].no, Dual: dual}
	if strings.HasPrefix(strings.TrimSpace(p.lines[i].text), "@") {
		cue.Forced = true
	}
	p.add(cue)
	var b paragraph
	open := false
	flush := func() {
		if open {
			e := b.element(Dialogue, false)
			e.Dual = dual
			p.add(e)
			open = false
		}
	}
	j := next
	for ; j < len(p.lines); j = p.next(j) {
		raw := p.lines[j].text
		if isBlank(raw) && raw != "  " {
			break
		}
		t := strings.TrimSpace(raw)
		if t == "" { // the two-space blank inside dialogue
			if open {
				b.line(p.lines[j].no, "")
			}
			continue
		}
		if isParenthetical(t) {
			flush()
			p.add(Element{Type: Parenthetical, Text: stripEmphasis(t), Line: p.lines[j].no, Dual: dual})
			continue
		}
		if t[0] == '~' {
			flush()
			p.add(Element{Type: Lyrics, Text: stripEmphasis(strings.TrimSpace(t[1:])), Line: p.lines[j].no, Dual: dual, Forced: true})
			continue
		}
		if !open {
			b.start(p.lines[j].no, t)
			open = true
		} else {
			b.line(p.lines[j].no, t)
		}
	}
	flush()
	return j
}

// paragraph accumulates the lines of one element, tracking their input lines.
type paragraph struct {
	b       strings.Builder
	line0   int
	lastNo  int
	offsets []int
	n       int
	single  string
}

func (b *paragraph) start(no int, text string) {
	b.b.Reset()
	b.line0, b.lastNo, b.offsets, b.n = no, no, nil, 1
	b.single = text
}

func (b *paragraph) line(no int, text string) {
	if b.n == 1 {
		b.b.WriteString(b.single)
	}
	if no != b.lastNo+1 && b.offsets == nil {
		// Lines were removed between: record where each line came from.
		b.offsets = make([]int, b.n, b.n+4)
		for k := range b.offsets {
			b.offsets[k] = k
		}
	}
	if b.offsets != nil {
		b.offsets = append(b.offsets, no-b.line0)
	}
	b.b.WriteByte('\n')
	b.b.WriteString(text)
	b.lastNo = no
	b.n++
}

func (b *paragraph) element(t ElementType, forced bool) Element {
	text := b.single
	if b.n > 1 {
		text = b.b.String()
	}
	if t != Action {
		text = strings.TrimSpace(text)
	}
	return Element{Type: t, Text: stripEmphasis(text), Line: b.line0, LineOffsets: b.offsets, Forced: forced}
}

func isPageBreak(trim string) bool {
	if len(trim) < 3 {
		return false
	}
	for i := 0; i < len(trim); i++ {
		if trim[i] != '=' {
			return false
		}
	}
	return true
}

func isParenthetical(t string) bool {
	return (strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")")) ||
		(strings.HasPrefix(t, "（") && strings.HasSuffix(t, "）"))
}

// headingPrefixes are the scene heading openers, upper case, longest first
// for each start so "INT./EXT" wins over "INT". Russian scripts use ИНТ/НАТ.
var headingPrefixes = []string{
	"INT./EXT", "INT/EXT", "INT.-EXT", "EXT./INT", "EXT/INT", "I./E", "I/E",
	"INT", "EXT", "EST", "ИНТ./НАТ", "ИНТ/НАТ", "ИНТ", "НАТ", "ЭКСТ",
}

// headingLine reports whether trim is a scene heading, returning the heading
// text without a forcing dot or scene number, and the number.
func headingLine(trim string) (heading, number string, forced, ok bool) {
	if len(trim) > 1 && trim[0] == '.' && trim[1] != '.' {
		heading, number = splitSceneNumber(trim[1:])
		return strings.TrimSpace(heading), number, true, true
	}
	n := headingPrefixLen(trim)
	if n == 0 {
		return "", "", false, false
	}
	heading, number = splitSceneNumber(trim)
	return strings.TrimSpace(heading), number, false, true
}

// headingPrefixLen returns the length of a heading opener at the start of
// s, including the "." or space after it, or 0.
func headingPrefixLen(s string) int {
	// Every opener starts with I, E or a Cyrillic letter: most lines stop here.
	if s == "" {
		return 0
	}
	if c := s[0] | 0x20; c != 'i' && c != 'e' && s[0] < utf8.RuneSelf {
		return 0
	}
	for _, p := range headingPrefixes {
		if len(s) <= len(p) || !hasPrefixFold(s, p) {
			continue
		}
		rest := s[len(p):]
		switch {
		case rest[0] == '.' || rest[0] == ' ':
			return len(p) + 1
		case strings.HasPrefix(rest, "。"):
			return len(p) + len("。")
		case rest[0] == '-' && len(rest) > 1 && rest[1] == ' ':
			return len(p) + 1
		}
	}
	return 0
}

// strongHeading reports a heading that needs no blank line after it:
// INT./EXT. with a dot, as no sentence of action starts that way.
func strongHeading(trim string) bool {
	n := headingPrefixLen(trim)
	if n == 0 {
		return false
	}
	return trim[n-1] == '.' && len(trim) > n && (trim[n] == ' ' || unicode.IsUpper(rune(trim[n])))
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	return strings.EqualFold(s[:len(prefix)], prefix)
}

// splitSceneNumber splits "INT. HOUSE - DAY #12A#" into heading and number.
func splitSceneNumber(h string) (string, string) {
	h = strings.TrimRight(h, " \t")
	if !strings.HasSuffix(h, "#") {
		return h, ""
	}
	k := strings.LastIndexByte(h[:len(h)-1], '#')
	if k < 0 {
		return h, ""
	}
	num := h[k+1 : len(h)-1]
	if num == "" {
		return h, ""
	}
	for _, c := range num {
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '.' || c == '-') {
			return h, ""
		}
	}
	return strings.TrimRight(h[:k], " \t"), num
}

// isTransition: an upper-case line ending in "TO:" (CUT TO:, SMASH CUT TO:).
func isTransition(trim string) bool {
	return strings.HasSuffix(trim, "TO:") && !hasLower(trim)
}

// characterCue reports whether trim is a character cue: an upper-case line
// with at least one letter (extensions like "(cont'd)" may be lower case),
// or any line forced with "@". A trailing "^" marks dual dialogue.
func characterCue(trim string) (name string, dual, ok bool) {
	t := trim
	if strings.HasSuffix(t, "^") {
		dual = true
		t = strings.TrimSpace(t[:len(t)-1])
	}
	if strings.HasPrefix(t, "@") {
		t = strings.TrimSpace(t[1:])
		return t, dual, t != ""
	}
	if t == "" || strings.HasSuffix(t, "TO:") && len(t) > 3 && t[len(t)-4] == ' ' {
		return "", false, false
	}
	base := t
	if k := strings.IndexAny(base, "(（"); k > 0 {
		if !onlyExtensions(base[k:]) {
			return "", false, false
		}
		base = strings.TrimSpace(base[:k])
	}
	if base == "" || len(t) > 80 {
		return "", false, false
	}
	cased, caseless := false, false
	for _, c := range base {
		switch {
		case unicode.IsLower(c):
			return "", false, false
		case unicode.IsUpper(c):
			cased = true
		case unicode.IsLetter(c):
			caseless = true
		}
	}
	if cased {
		return t, dual, true
	}
	// Scripts without letter case (Japanese, Chinese) have no capitals to
	// mark a cue: accept a short line with no sentence punctuation.
	if caseless && utf8.RuneCountInString(base) <= 12 && !strings.ContainsAny(base, "。、！？.,!?") {
		return t, dual, true
	}
	return "", false, false
}

// onlyExtensions reports whether s is nothing but parenthesised cue
// extensions such as "(V.O.) (cont'd)".
func onlyExtensions(s string) bool {
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return true
		}
		var end int
		switch {
		case s[0] == '(':
			end = strings.IndexByte(s, ')') + 1
		case strings.HasPrefix(s, "（"):
			if k := strings.Index(s, "）"); k >= 0 {
				end = k + len("）")
			}
		}
		if end <= 0 {
			return false
		}
		s = s[end:]
	}
}

func hasLower(s string) bool {
	for _, c := range s {
		if unicode.IsLower(c) {
			return true
		}
	}
	return false
}

// stripEmphasis removes Fountain emphasis markers (*italic*, **bold**,
// _underline_) and the backslash of escaped markers, leaving the words.
// Unpaired markers are kept as written.
func stripEmphasis(s string) string {
	if strings.IndexByte(s, '*') < 0 && strings.IndexByte(s, '_') < 0 && strings.IndexByte(s, '\\') < 0 {
		return s
	}
	b := []byte(s)
	drop := make([]bool, len(b))
	// Escapes first, so escaped markers never pair.
	escaped := make([]bool, len(b))
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\\' && (b[i+1] == '*' || b[i+1] == '_') {
			drop[i], escaped[i+1] = true, true
			i++
		}
	}
	pairMarkers(b, "***", drop, escaped)
	pairMarkers(b, "**", drop, escaped)
	pairMarkers(b, "*", drop, escaped)
	pairMarkers(b, "_", drop, escaped)
	out := b[:0]
	for i, c := range b {
		if !drop[i] {
			out = append(out, c)
		}
	}
	return string(out)
}

// pairMarkers marks for removal each pair of marker runs on the same line
// that encloses text starting and ending with a non-space.
func pairMarkers(b []byte, m string, drop, escaped []bool) {
	free := func(i int) bool {
		if i+len(m) > len(b) {
			return false
		}
		for k := 0; k < len(m); k++ {
			if b[i+k] != m[0] || drop[i+k] || escaped[i+k] {
				return false
			}
		}
		// A longer run of the same marker is not this marker.
		if i+len(m) < len(b) && b[i+len(m)] == m[0] && !drop[i+len(m)] {
			return false
		}
		return i == 0 || b[i-1] != m[0] || drop[i-1]
	}
	for i := 0; i < len(b); i++ {
		if !free(i) || i+len(m) >= len(b) || b[i+len(m)] == ' ' {
			continue
		}
		for j := i + len(m) + 1; j < len(b) && b[j] != '\n'; j++ {
			if free(j) && b[j-1] != ' ' {
				for k := 0; k < len(m); k++ {
					drop[i+k], drop[j+k] = true, true
				}
				i = j + len(m) - 1
				break
			}
		}
	}
}
