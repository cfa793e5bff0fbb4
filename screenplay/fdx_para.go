package screenplay

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// paraState is a script paragraph being read. Its buffers are reused from
// one paragraph to the next.
type paraState struct {
	kind     int // index into fdxParser.types
	line     int // line of the <Paragraph> tag
	number   []byte
	length   int
	dual     bool
	revs     []int // distinct non-zero RevisionIDs of its runs
	buf      []byte
	caps     []capsSpan // runs styled by the paragraph type, offsets in buf
	runStart int
	runCaps  int8  // the open run: 1 AllCaps, 0 not, -1 as its paragraph type
	textLine int   // line of the first <Text> run
	nl       []int // input line where each text line after the first starts
	emitted  bool  // text before a <DualDialogue> was already made an element
	notes    []elemRec
}

// reset readies the state for a new paragraph, keeping its buffers. Fields
// are set one by one: assigning a whole struct literal through the pointer
// would cost a bulk write barrier while the garbage collector runs.
func (para *paraState) reset(line int) {
	para.kind, para.line, para.length = generalType, line, 0
	para.dual, para.emitted = false, false
	para.runStart, para.runCaps, para.textLine = 0, -1, 0
	para.number, para.revs, para.buf = para.number[:0], para.revs[:0], para.buf[:0]
	para.caps, para.nl, para.notes = para.caps[:0], para.nl[:0], para.notes[:0]
}

// capsSpan is a run of text styled by its paragraph type. Whether it is
// upper-case is known only once <ElementSettings>, which Final Draft writes
// after the script body, has been read.
type capsSpan struct{ start, end int }

// elemRec is an element as the parser collects it: pointer-free and small,
// so that growing the list is cheap. finish turns the records into Elements,
// allocated once at their final size.
type elemRec struct {
	kind          int32 // index into fdxParser.types; noteKind for a script note
	line, length  int32
	text, textEnd int32 // in arena
	num, numEnd   int32 // in arena
	offs          int32 // 1 + index into fdxParser.offsets; 0 for one-line text
	dual          bool
	capsAll       bool // the whole text is styled by its paragraph type
}

// noteKind marks the record of a script note.
const noteKind = -1

type pendingCaps struct {
	elem, kind int
	span       capsSpan // offsets in arena
}

type elemRev struct{ elem, id int }

func (p *fdxParser) beginPara(inDual bool) error {
	t := &p.tok
	if p.npara == len(p.paras) {
		// Only a <DualDialogue> may hold paragraphs, and only in an outer one.
		return p.errf(ErrMalformed, t.line, "<Paragraph> inside a dual dialogue paragraph")
	}
	para := &p.paras[p.npara]
	p.npara++
	para.reset(t.line)
	if a, ok := t.attr("Type"); ok {
		para.kind = p.typeIndex(p.attrValue(a))
	}
	if a, ok := t.attr("Number"); ok {
		para.number = append(para.number, bytes.TrimSpace(p.attrValue(a))...)
	}
	if inDual {
		if p.types[para.kind].typ == Character {
			p.dualCue++
		}
		// The second cue and everything after it is the right-hand column.
		para.dual = p.dualCue >= 2
	}
	return nil
}

// startInPara handles an element inside a script paragraph.
func (p *fdxParser) startInPara(name string) fdxCtx {
	t := &p.tok
	para := &p.paras[p.npara-1]
	switch name {
	case "Text":
		para.runStart = len(para.buf)
		para.runCaps = p.runStyle()
		if para.textLine == 0 {
			para.textLine = t.line
		}
		if a, ok := t.attr("RevisionID"); ok {
			para.addRevision(atoiBytes(p.attrValue(a)))
		}
		return ctxText
	case "SceneProperties":
		if a, ok := t.attr("Length"); ok {
			para.length = parseEighths(p.attrValue(a))
		}
	case "DualDialogue":
		if p.npara == 1 {
			p.dualCue = 0
			if lo, hi := trimBounds(para.buf); lo < hi {
				// Text the wrapping paragraph holds before the dialogue
				// comes before it.
				p.flushPara(para)
				para.emitted = true
			}
			return ctxDual
		}
	case "ScriptNote":
		p.note = p.note[:0]
		p.noteLine = t.line
		return ctxNote
	}
	return ctxSkip
}

func (para *paraState) addRevision(id int) {
	if id <= 0 {
		return
	}
	for _, r := range para.revs {
		if r == id {
			return
		}
	}
	para.revs = append(para.revs, id)
}

// atoiBytes reads a small non-negative decimal number; anything else is 0.
func atoiBytes(b []byte) int {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return 0
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// runStyle reads the Style of a <Text> run: 1 when AllCaps, 0 when not, -1
// when the run has no Style and so takes its paragraph type's. Final Draft
// writes a run's whole style when it differs from the type's.
func (p *fdxParser) runStyle() int8 {
	if a, ok := p.tok.attr("Style"); ok {
		return b2i(hasAllCaps(p.attrValue(a)))
	}
	return -1
}

func hasAllCaps(style []byte) bool { return bytes.Contains(style, []byte("AllCaps")) }

func b2i(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

// appendText appends a run's text to buf and records in nl the input line
// where each new text line starts: after a literal newline that is the next
// input line, after a &#10; the same one.
func appendText(buf []byte, t *xmlToken, nl *[]int) []byte {
	if t.esc == 0 {
		if bytes.IndexByte(t.text, '\n') >= 0 {
			line := t.line
			for _, c := range t.text {
				if c == '\n' {
					line++
					*nl = append(*nl, line)
				}
			}
		}
		return append(buf, t.text...)
	}
	start := len(buf)
	buf = appendUnescaped(buf, t.text, t.esc)
	if bytes.IndexByte(buf[start:], '\n') < 0 {
		return buf
	}
	// Rare: walk the raw text again to tell literal breaks from references.
	line := t.line
	src := t.text
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			line++
			*nl = append(*nl, line)
		case c == '\r': // \r\n or a lone \r: one break
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
				line++
			}
			*nl = append(*nl, line)
		case c == '&' && t.esc&escEntities != 0:
			r, n, _ := parseReference(src[i:])
			if r == '\n' {
				*nl = append(*nl, line)
			}
			i += max(n, 1) - 1
		}
	}
	return buf
}

// endRun applies the run's own AllCaps style now, or notes that its
// paragraph type's style decides later.
func (p *fdxParser) endRun(para *paraState) {
	switch para.runCaps {
	case 1:
		upperTail(&para.buf, para.runStart)
	case -1:
		if para.runStart == len(para.buf) {
			return
		}
		if n := len(para.caps); n > 0 && para.caps[n-1].end == para.runStart {
			para.caps[n-1].end = len(para.buf)
			return
		}
		para.caps = append(para.caps, capsSpan{para.runStart, len(para.buf)})
	}
}

// upperTail upper-cases (*buf)[from:], as Final Draft shows AllCaps text.
func upperTail(buf *[]byte, from int) {
	tail := (*buf)[from:]
	for i, c := range tail {
		if c >= utf8.RuneSelf {
			*buf = append((*buf)[:from], bytes.ToUpper(tail)...)
			return
		}
		if 'a' <= c && c <= 'z' {
			tail[i] = c - 'a' + 'A'
		}
	}
}

// endPara finishes a script paragraph: its element, then its notes.
func (p *fdxParser) endPara() error {
	p.npara--
	para := &p.paras[p.npara]
	lo, hi := trimBounds(para.buf)
	// Empty paragraphs are Final Draft's spacing and are dropped; an empty
	// scene heading is kept, since it is still a scene in the writer's file.
	keep := lo < hi || p.types[para.kind].typ == SceneHeading && !para.emitted
	if keep {
		if err := p.flushPara(para); err != nil {
			return err
		}
	}
	for _, n := range para.notes {
		if err := p.addRecord(n); err != nil {
			return err
		}
	}
	return nil
}

// flushPara makes the paragraph's text so far an element and clears it.
func (p *fdxParser) flushPara(para *paraState) error {
	lo, hi := trimBounds(para.buf)
	elem := len(p.recs)
	r := elemRec{kind: int32(para.kind), line: int32(para.line), length: int32(para.length),
		dual: para.dual, text: int32(len(p.arena))}
	p.arena = append(p.arena, para.buf[lo:hi]...)
	r.textEnd = int32(len(p.arena))
	if offs := para.lineOffsets(lo, hi); offs != nil {
		p.offsets = append(p.offsets, offs)
		r.offs = int32(len(p.offsets))
	}
	for _, c := range para.caps {
		s, e := max(c.start, lo), min(c.end, hi)
		switch {
		case s >= e:
		case s == lo && e == hi:
			r.capsAll = true // the usual case: one run, no style of its own
		default:
			p.pending = append(p.pending, pendingCaps{elem: elem, kind: para.kind,
				span: capsSpan{s - lo + int(r.text), e - lo + int(r.text)}})
		}
	}
	r.num = int32(len(p.arena))
	p.arena = append(p.arena, para.number...)
	r.numEnd = int32(len(p.arena))
	for _, id := range para.revs {
		p.revIDs = append(p.revIDs, elemRev{elem, id})
	}
	if err := p.addRecord(r); err != nil {
		return err
	}
	// What is flushed is not repeated if the paragraph goes on after a
	// <DualDialogue>.
	para.buf, para.caps, para.nl, para.revs, para.number = para.buf[:0], para.caps[:0], para.nl[:0], para.revs[:0], para.number[:0]
	para.length, para.textLine = 0, 0
	return nil
}

func (p *fdxParser) addRecord(r elemRec) error {
	if len(p.recs) >= fdxMaxElements {
		return p.errf(ErrLimit, int(r.line), "over %d paragraphs", fdxMaxElements)
	}
	p.recs = append(p.recs, r)
	return nil
}

// trimBounds returns the bounds of b without leading and trailing white
// space: indentation and trailing blanks carry no meaning in a paragraph.
func trimBounds(b []byte) (lo, hi int) {
	hi = len(b)
	for lo < hi && isSpaceByte(b[lo]) {
		lo++
	}
	for hi > lo && isSpaceByte(b[hi-1]) {
		hi--
	}
	return lo, hi
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lineOffsets maps each line of the trimmed text buf[lo:hi] to its input
// line, relative to the <Paragraph> tag. It is nil for one-line text.
func (para *paraState) lineOffsets(lo, hi int) []int {
	if len(para.nl) == 0 { // no line breaks at all
		return nil
	}
	text := para.buf[lo:hi]
	breaks := bytes.Count(text, []byte{'\n'})
	if breaks == 0 {
		return nil
	}
	offs := make([]int, breaks+1)
	skip := bytes.Count(para.buf[:lo], []byte{'\n'})
	if len(para.nl) != bytes.Count(para.buf, []byte{'\n'}) {
		return offs // cannot happen; all zero is still a valid mapping
	}
	// lines[0] is where the text starts, lines[i] where line i starts.
	first := para.textLine
	if skip > 0 {
		first = para.nl[skip-1]
	}
	offs[0] = max(first-para.line, 0)
	for i := 1; i <= breaks; i++ {
		offs[i] = max(para.nl[skip+i-1]-para.line, 0)
	}
	return offs
}

// endNote keeps a script note with text as a Note element, placed after
// the paragraph it is attached to.
func (p *fdxParser) endNote() {
	lo, hi := trimBounds(p.note)
	if lo == hi || p.npara == 0 {
		return
	}
	para := &p.paras[p.npara-1]
	r := elemRec{kind: noteKind, line: int32(p.noteLine), text: int32(len(p.arena))}
	p.arena = append(p.arena, p.note[lo:hi]...)
	r.textEnd = int32(len(p.arena))
	r.num, r.numEnd = r.textEnd, r.textEnd
	para.notes = append(para.notes, r)
}

// finish applies the element styles, resolves revision names and the title
// page, and makes the Elements.
func (p *fdxParser) finish() {
	overrides := p.applyCaps()
	all := string(p.arena)
	elems := make([]Element, len(p.recs))
	for i, r := range p.recs {
		e := &elems[i]
		e.Line = int(r.line)
		e.Text = all[r.text:r.textEnd]
		if r.kind == noteKind {
			e.Type = Note
			if n := strings.Count(e.Text, "\n"); n > 0 {
				// Notes are not printed; their lines all point at the note.
				e.LineOffsets = make([]int, n+1)
			}
			continue
		}
		typ := &p.types[r.kind]
		e.Type, e.Depth, e.Dual, e.Length = typ.typ, typ.depth, r.dual, int(r.length)
		if r.num < r.numEnd {
			e.Number = all[r.num:r.numEnd]
		}
		if r.offs > 0 {
			e.LineOffsets = p.offsets[r.offs-1]
		}
	}
	for elem, text := range overrides {
		elems[elem].Text = text
	}
	p.s.Elements = elems
	p.resolveRevisions()
	p.s.Title = inferTitle(p.title)
}

// typeIsCaps says whether paragraphs of a type are shown in capitals: as
// the file's ElementSettings say, else as Final Draft's templates do.
func (p *fdxParser) typeIsCaps(kind int) bool {
	if c := p.typeCaps[kind]; c >= 0 {
		return c == 1
	}
	return p.types[kind].caps
}

// applyCaps upper-cases the runs whose paragraph type is AllCaps, in place
// in the arena. Where upper-casing changes the length of the text (a few
// non-ASCII letters do), the element's new text is returned instead.
func (p *fdxParser) applyCaps() map[int]string {
	var overrides map[int]string
	var spans []capsSpan
	j := 0 // p.pending is in element order
	for i, r := range p.recs {
		spans = spans[:0]
		if r.capsAll {
			spans = append(spans, capsSpan{int(r.text), int(r.textEnd)})
		}
		for ; j < len(p.pending) && p.pending[j].elem == i; j++ {
			spans = append(spans, p.pending[j].span)
		}
		if len(spans) == 0 || r.kind == noteKind || !p.typeIsCaps(int(r.kind)) {
			continue
		}
		same := true
		for _, sp := range spans {
			same = upperSame(p.arena[sp.start:sp.end]) && same
		}
		if !same {
			if overrides == nil {
				overrides = map[int]string{}
			}
			overrides[i] = p.rebuildCaps(r, spans)
		}
	}
	return overrides
}

// upperSame upper-cases b in place when that keeps its length, and reports
// whether it did.
func upperSame(b []byte) bool {
	for i, c := range b {
		if c >= utf8.RuneSelf {
			up := bytes.ToUpper(b)
			if len(up) != len(b) {
				return false
			}
			copy(b, up)
			return true
		}
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return true
}

// rebuildCaps builds the text of an element whose capitals change its
// length; spans are in order and within the element's text.
func (p *fdxParser) rebuildCaps(r elemRec, spans []capsSpan) string {
	var out []byte
	prev := int(r.text)
	for _, sp := range spans {
		out = append(out, p.arena[prev:sp.start]...)
		out = append(out, bytes.ToUpper(p.arena[sp.start:sp.end])...)
		prev = sp.end
	}
	out = append(out, p.arena[prev:r.textEnd]...)
	return string(out)
}

// resolveRevisions names the revision of each marked element: the highest
// revision the file defines among its runs' marks, else the highest mark.
func (p *fdxParser) resolveRevisions() {
	best := map[int]int{} // element -> revision id
	known := map[int]bool{}
	for _, r := range p.revNames {
		known[r.id] = true
	}
	for _, r := range p.revIDs {
		cur, ok := best[r.elem]
		switch {
		case !ok:
			best[r.elem] = r.id
		case known[r.id] && (!known[cur] || r.id > cur):
			best[r.elem] = r.id
		case !known[cur] && r.id > cur:
			best[r.elem] = r.id
		}
	}
	for elem, id := range best {
		name := strconv.Itoa(id)
		for _, r := range p.revNames {
			if r.id == id {
				name = r.name
			}
		}
		p.s.Elements[elem].Revision = name
	}
}
