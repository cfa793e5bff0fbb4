package screenplay

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Bounds that keep a hostile file from costing more than a real one. A real
// feature script is a few thousand paragraphs nested five deep.
const (
	fdxMaxDepth    = 64
	fdxMaxAttrs    = 256
	fdxMaxTokens   = 8 << 20
	fdxMaxElements = 500_000
	fdxMaxTypes    = 256 // distinct paragraph type names remembered
)

// readFDX reads a Final Draft (.fdx) document.
// Its errors do not name the file: Read puts the name in front.
func readFDX(data []byte) (*Script, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkUTF8(data); err != nil {
		return nil, err
	}
	return parseFDX(newXMLScanner(data, fdxMaxAttrs), len(data))
}

// checkUTF8 refuses input that is not UTF-8, naming the line of the first
// bad byte. Final Draft writes UTF-8; anything else is a damaged or
// re-encoded file, and guessing its encoding would corrupt names.
func checkUTF8(data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			line := 1 + bytes.Count(data[:i], []byte{'\n'})
			return readError(ErrMalformed, line, nil, "byte 0x%02X is not UTF-8 (Final Draft files are UTF-8; was it re-saved in another encoding?)", data[i])
		}
		i += n
	}
	return nil
}

// fdxCtx says what an open element is to the reader.
type fdxCtx uint8

const (
	ctxSkip         fdxCtx = iota // anything the reader does not use, and all inside it
	ctxRoot                       // <FinalDraft>
	ctxContent                    // the script body
	ctxPara                       // a script paragraph
	ctxDual                       // <DualDialogue> in a script paragraph
	ctxText                       // a <Text> run of a script paragraph
	ctxNote                       // <ScriptNote> on a script paragraph
	ctxNotePara                   // a paragraph of a script note
	ctxNoteText                   // a <Text> run of a script note
	ctxTitlePage                  // <TitlePage>
	ctxTitleContent               // its <Content>
	ctxTitlePara                  // a title page paragraph
	ctxTitleText                  // a <Text> run of a title page paragraph
	ctxRevisions                  // <Revisions>
	ctxSettings                   // <ElementSettings Type="...">
)

// fdxType maps a Final Draft paragraph type to the model.
type fdxType struct {
	name  string
	typ   ElementType
	depth int  // outline level, for sections
	caps  bool // upper-cased when the file has no ElementSettings for it
}

// generalType is the index of General in fdxTypes: the type of paragraphs
// with no Type, and of unknown types past fdxMaxTypes.
var generalType = func() int {
	for i, t := range fdxTypes {
		if t.name == "General" {
			return i
		}
	}
	panic("fdxTypes has no General")
}()

// fdxTypes are the paragraph types Final Draft's templates use, the most
// frequent first. Types not listed are kept as General: never drop text.
var fdxTypes = []fdxType{
	{name: "Dialogue", typ: Dialogue},
	{name: "Character", typ: Character, caps: true},
	{name: "Action", typ: Action},
	{name: "Parenthetical", typ: Parenthetical},
	{name: "Scene Heading", typ: SceneHeading, caps: true},
	{name: "Transition", typ: Transition, caps: true},
	{name: "Shot", typ: Shot, caps: true},
	{name: "General", typ: General},
	{name: "Cast List", typ: CastList},
	{name: "Lyrics", typ: Lyrics},
	{name: "Act Break", typ: ActBreak},
	{name: "New Act", typ: ActBreak},
	{name: "End of Act", typ: ActBreak},
	{name: "Outline 1", typ: Section, depth: 1},
	{name: "Outline 2", typ: Section, depth: 2},
	{name: "Outline 3", typ: Section, depth: 3},
	{name: "Outline 4", typ: Section, depth: 4},
	{name: "Outline Body", typ: Synopsis},
}

// fdxParser turns tokens into a Script.
type fdxParser struct {
	src   xmlTokenizer
	tok   xmlToken
	stack []fdxCtx
	ntok  int
	root  int // 0 before <FinalDraft>, 1 inside, 2 after
	s     *Script

	paras   [2]paraState // the open script paragraph, and one inside its <DualDialogue>
	npara   int
	dualCue int // character cues seen in the open <DualDialogue>

	// All element text goes into arena and becomes one string at the end,
	// so the Script costs one allocation for its text, not one per element.
	arena   []byte
	recs    []elemRec
	offsets [][]int // LineOffsets of multi-line elements
	pending []pendingCaps
	revIDs  []elemRev

	types    []fdxType // fdxTypes, then unknown type names met in this file
	typeCaps []int8    // per type: 1 AllCaps, 0 not, -1 no ElementSettings seen
	setting  int       // type of the open <ElementSettings>, or -1

	note     []byte // text of the open script note
	noteLine int

	title     []titlePara
	titleBuf  []byte
	titleRun  int
	titleCaps bool
	titleLine int
	titleAl   string

	revNames []revName
}

func parseFDX(src xmlTokenizer, size int) (*Script, error) {
	p := &fdxParser{
		src:   src,
		s:     &Script{Format: FDX},
		stack: make([]fdxCtx, 0, 16),
		// Text is under half of a Final Draft file (42% of a compact
		// feature, 22% of one with much metadata).
		arena: make([]byte, 0, size/2),
		types: append([]fdxType(nil), fdxTypes...),
	}
	p.typeCaps = make([]int8, len(p.types))
	for i := range p.typeCaps {
		p.typeCaps[i] = -1
	}
	// About one script paragraph per 120-350 bytes of FDX.
	p.recs = make([]elemRec, 0, size/100+8)
	if err := p.run(); err != nil {
		return nil, err
	}
	p.finish()
	return p.s, nil
}

func (p *fdxParser) errf(why error, line int, format string, args ...any) error {
	return readError(why, line, nil, format, args...)
}

func (p *fdxParser) run() error {
	for {
		p.ntok++
		if p.ntok > fdxMaxTokens {
			return p.errf(ErrLimit, p.tok.line, "over %d XML tokens", fdxMaxTokens)
		}
		if err := p.src.next(&p.tok); err != nil {
			return err
		}
		var err error
		switch p.tok.kind {
		case xmlEOF:
			if p.root == 0 {
				return p.errf(ErrMalformed, 0, "no <FinalDraft> element: not a Final Draft document")
			}
			return nil
		case xmlStart:
			err = p.start()
		case xmlEnd:
			err = p.end()
		case xmlText:
			err = p.text()
		case xmlDirective:
			// Entities are where XML bombs live (billion laughs, external
			// files); Final Draft never declares any.
			if bytes.Contains(p.tok.text, []byte("ENTITY")) {
				err = p.errf(ErrMalformed, p.tok.line, "the document declares XML entities, which are refused (Final Draft files have none)")
			}
		}
		if err != nil {
			return err
		}
	}
}

func (p *fdxParser) start() error {
	t := &p.tok
	depth := len(p.stack)
	if depth >= fdxMaxDepth {
		return p.errf(ErrLimit, t.line, "<%s> nested %d deep (limit %d)", clip(t.name), depth+1, fdxMaxDepth)
	}
	if len(t.attrs) > fdxMaxAttrs {
		return p.errf(ErrLimit, t.line, "<%s> has over %d attributes", clip(t.name), fdxMaxAttrs)
	}
	if depth == 0 {
		return p.startRoot()
	}
	ctx := ctxSkip
	name := string(t.name) // only compared: a short name converts without allocating
	switch p.stack[depth-1] {
	case ctxSkip:
	case ctxRoot:
		switch name {
		case "Content":
			ctx = ctxContent
		case "TitlePage":
			ctx = ctxTitlePage
		case "Revisions":
			ctx = ctxRevisions
		case "ElementSettings":
			ctx = ctxSettings
			p.setting = -1
			if a, ok := t.attr("Type"); ok {
				p.setting = p.typeIndex(p.attrValue(a))
			}
		}
	case ctxContent:
		if name == "Paragraph" {
			ctx = ctxPara
			if err := p.beginPara(false); err != nil {
				return err
			}
		}
	case ctxPara:
		ctx = p.startInPara(name)
	case ctxDual:
		if name == "Paragraph" {
			ctx = ctxPara
			if err := p.beginPara(true); err != nil {
				return err
			}
		}
	case ctxNote:
		if name == "Paragraph" {
			ctx = ctxNotePara
			if len(p.note) > 0 {
				p.note = append(p.note, '\n')
			}
		}
	case ctxNotePara:
		if name == "Text" {
			ctx = ctxNoteText
		}
	case ctxTitlePage:
		if name == "Content" {
			ctx = ctxTitleContent
		}
	case ctxTitleContent:
		if name == "Paragraph" {
			ctx = ctxTitlePara
			p.beginTitlePara()
		}
	case ctxTitlePara:
		if name == "Text" {
			ctx = ctxTitleText
			p.titleRun = len(p.titleBuf)
			p.titleCaps = p.runStyle() == 1
		}
	case ctxRevisions:
		if name == "Revision" {
			p.addRevision()
		}
	case ctxSettings:
		if name == "FontSpec" && p.setting >= 0 {
			if a, ok := t.attr("Style"); ok {
				p.typeCaps[p.setting] = b2i(hasAllCaps(p.attrValue(a)))
			}
		}
	}
	p.stack = append(p.stack, ctx)
	return nil
}

func (p *fdxParser) startRoot() error {
	t := &p.tok
	if p.root == 2 {
		return p.errf(ErrMalformed, t.line, "a second root element <%s> after </FinalDraft>", clip(t.name))
	}
	if string(t.name) != "FinalDraft" {
		return p.errf(ErrMalformed, t.line, "the root element is <%s>, not <FinalDraft>: not a Final Draft document", clip(t.name))
	}
	p.root = 1
	p.stack = append(p.stack, ctxRoot)
	return nil
}

// attrValue returns an attribute's decoded value. It may point into the
// input or into a scratch buffer; callers copy what they keep.
func (p *fdxParser) attrValue(a xmlAttr) []byte {
	if a.esc == 0 {
		return a.value
	}
	return appendUnescaped(nil, a.value, a.esc)
}

// typeIndex finds or adds the paragraph type named name.
func (p *fdxParser) typeIndex(name []byte) int {
	// A scan beats a map here: the common types come first and most
	// comparisons stop at the length.
	for i := range p.types {
		if p.types[i].name == string(name) {
			return i
		}
	}
	for i := range p.types {
		if strings.EqualFold(p.types[i].name, string(name)) {
			return i
		}
	}
	if len(p.types) >= len(fdxTypes)+fdxMaxTypes {
		return generalType
	}
	p.types = append(p.types, fdxType{name: string(name), typ: General})
	p.typeCaps = append(p.typeCaps, -1)
	return len(p.types) - 1
}

func (p *fdxParser) end() error {
	ctx := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	switch ctx {
	case ctxRoot:
		p.root = 2
	case ctxText:
		p.endRun(&p.paras[p.npara-1])
	case ctxPara:
		return p.endPara()
	case ctxNote:
		p.endNote()
	case ctxTitleText:
		if p.titleCaps {
			upperTail(&p.titleBuf, p.titleRun)
		}
	case ctxTitlePara:
		p.endTitlePara()
	}
	return nil
}

func (p *fdxParser) text() error {
	t := &p.tok
	if len(p.stack) == 0 {
		return p.topLevelText()
	}
	switch p.stack[len(p.stack)-1] {
	case ctxText:
		para := &p.paras[p.npara-1]
		para.buf = appendText(para.buf, t, &para.nl)
	case ctxNoteText:
		p.note = appendUnescaped(p.note, t.text, t.esc)
	case ctxTitleText:
		p.titleBuf = appendUnescaped(p.titleBuf, t.text, t.esc)
	}
	return nil
}

// topLevelText allows only white space outside the root element.
func (p *fdxParser) topLevelText() error {
	text := p.tok.text
	if p.tok.esc != 0 {
		text = appendUnescaped(nil, text, p.tok.esc)
	}
	if len(bytes.TrimLeft(text, " \t\r\n")) > 0 {
		where := "before"
		if p.root == 2 {
			where = "after"
		}
		return p.errf(ErrMalformed, p.tok.line, "text %s the <FinalDraft> element", where)
	}
	return nil
}
