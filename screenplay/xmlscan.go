package screenplay

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// xmlScanner is a strict, streaming XML tokenizer specialised for Final
// Draft files. It is several times faster than encoding/xml because it
// hands out slices of the input instead of copies, decodes nothing the
// reader does not ask for, and keeps no per-token maps.
//
// It follows encoding/xml's strict mode in what it accepts (checked by a
// differential test), with two deliberate differences that the caller
// relies on: the input must already be valid UTF-8 (readFDX checks it once,
// up front), and only UTF-8 is accepted as a declared encoding. Entity
// declarations are not expanded here or anywhere: a DOCTYPE is returned as
// a directive token for the reader to refuse or skip.
type xmlScanner struct {
	data      []byte
	pos       int
	line      int
	open      []openTag // elements not yet closed, innermost last
	closeNext bool      // the last start tag was <a/>: its end comes next
	attrs     []xmlAttr // reused for every start tag
	maxAttrs  int
	colons    int // colons in the last name scanned
}

type openTag struct {
	name []byte
	line int
}

func newXMLScanner(data []byte, maxAttrs int) *xmlScanner {
	return &xmlScanner{data: data, line: 1, maxAttrs: maxAttrs, open: make([]openTag, 0, 16)}
}

// Character classes for the hot loops: 0 means "ordinary, keep going".
// Control characters (but tab), the bytes that start markup or references,
// and 0xEF (which starts the forbidden U+FFFE and U+FFFF) need a look.
var (
	textClass = byteClass("<&\n\r]\xEF")
	attrClass = byteClass("<&\n\r\"'\xEF")
)

func byteClass(special string) (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		t[c] = 1
	}
	t['\t'] = 0
	for i := 0; i < len(special); i++ {
		t[special[i]] = 1
	}
	return t
}

func (s *xmlScanner) errf(why error, format string, args ...any) error {
	return readError(why, s.line, nil, format, args...)
}

func (s *xmlScanner) eofErr(what string) error {
	if len(s.open) > 0 {
		top := s.open[len(s.open)-1]
		return s.errf(ErrMalformed, "file ends %s, inside <%s> opened on line %d (truncated?)", what, clip(top.name), top.line)
	}
	return s.errf(ErrMalformed, "file ends %s (truncated?)", what)
}

func (s *xmlScanner) next(t *xmlToken) error {
	if s.closeNext {
		s.closeNext = false
		top := s.open[len(s.open)-1]
		s.open = s.open[:len(s.open)-1]
		t.set(xmlEnd, s.line, top.name, nil, nil, 0)
		return nil
	}
	for {
		if s.pos >= len(s.data) {
			if len(s.open) > 0 {
				top := s.open[len(s.open)-1]
				return s.errf(ErrMalformed, "file ends before <%s> (opened on line %d) is closed (truncated?)", clip(top.name), top.line)
			}
			t.set(xmlEOF, s.line, nil, nil, nil, 0)
			return nil
		}
		if s.data[s.pos] != '<' {
			return s.text(t)
		}
		if s.pos+1 >= len(s.data) {
			return s.eofErr("after '<'")
		}
		switch s.data[s.pos+1] {
		case '/':
			return s.endTag(t)
		case '?':
			if err := s.procInst(); err != nil {
				return err
			}
		case '!':
			tok, err := s.bang(t)
			if tok || err != nil {
				return err
			}
		default:
			return s.startTag(t)
		}
	}
}

// text scans character data up to the next '<' or the end of input.
func (s *xmlScanner) text(t *xmlToken) error {
	d := s.data
	start, line := s.pos, s.line
	var esc escMode
	i := start
loop:
	for i < len(d) {
		c := d[i]
		if textClass[c] == 0 {
			i++
			continue
		}
		switch c {
		case '<':
			break loop
		case '\n':
			s.line++
		case '\r':
			esc |= escCR
		case '&':
			_, n, msg := parseReference(d[i:])
			if n == 0 {
				return s.errf(ErrMalformed, "%s", msg)
			}
			esc |= escEntities
			i += n
			continue
		case ']':
			if i+2 < len(d) && d[i+1] == ']' && d[i+2] == '>' {
				return s.errf(ErrMalformed, "']]>' outside a CDATA section")
			}
		case 0xEF:
			if err := s.checkNonchar(d, i); err != nil {
				return err
			}
		default:
			return s.errf(ErrMalformed, "control character U+%04X is not allowed in XML", c)
		}
		i++
	}
	s.pos = i
	t.set(xmlText, line, nil, nil, d[start:i], esc)
	return nil
}

// checkNonchar refuses U+FFFE and U+FFFF (EF BF BE/BF in UTF-8), the only
// valid UTF-8 that XML forbids besides control characters.
func (s *xmlScanner) checkNonchar(d []byte, i int) error {
	if i+2 < len(d) && d[i+1] == 0xBF && (d[i+2] == 0xBE || d[i+2] == 0xBF) {
		return s.errf(ErrMalformed, "character U+FFF%X is not allowed in XML", d[i+2]-0xB0)
	}
	return nil
}

// space skips XML white space from i, counting lines.
func (s *xmlScanner) space(i int) int {
	d := s.data
	for i < len(d) {
		switch d[i] {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			return i
		}
		i++
	}
	return i
}

// name scans an XML name at i. It returns nil when there is none.
func (s *xmlScanner) name(i int) ([]byte, int, error) {
	d := s.data
	start := i
	ascii := true
	s.colons = 0
	for i < len(d) {
		c := d[i]
		if c >= utf8.RuneSelf {
			ascii = false
		} else if !isNameByte(c) {
			break
		} else if c == ':' {
			s.colons++
		}
		i++
	}
	name := d[start:i]
	if len(name) == 0 {
		return nil, i, nil
	}
	if ascii {
		c := name[0]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':') {
			return nil, i, s.errf(ErrMalformed, "invalid XML name %q", clip(name))
		}
		return name, i, nil
	}
	if !isXMLName(name) {
		return nil, i, s.errf(ErrMalformed, "invalid XML name %q", clip(name))
	}
	return name, i, nil
}

// isXMLName checks a name holding non-ASCII letters. It approximates the
// XML 1.0 name tables (Unicode 2.0 letters, digits, combining marks and
// extenders) with Go's Unicode categories; the two disagree only on rare
// modifier letters and characters newer than those tables.
func isXMLName(b []byte) bool {
	for n := 0; len(b) > 0; n++ {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError {
			return false
		}
		ok := unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lo) || r == '_' || r == ':' ||
			r == 0x3007 || 0x3021 <= r && r <= 0x3029 // ideographic numbers
		if n > 0 && !ok {
			ok = unicode.In(r, unicode.Nd, unicode.Mn, unicode.Mc, unicode.Me, unicode.Lm) ||
				r == '.' || r == '-' || r == 0xB7
		}
		if !ok {
			return false
		}
	}
	return true
}

// qname checks the namespace rule of element and attribute names: at most
// one colon (in name, the name scanned last).
func (s *xmlScanner) qname(name []byte, what string) error {
	if s.colons > 1 {
		return s.errf(ErrMalformed, "%s name %q has more than one ':'", what, clip(name))
	}
	return nil
}

func (s *xmlScanner) startTag(t *xmlToken) error {
	d := s.data
	line := s.line
	name, i, err := s.name(s.pos + 1)
	if err != nil {
		return err
	}
	if name == nil {
		return s.errf(ErrMalformed, "'<' not followed by an element name (write &lt; for a literal <)")
	}
	if err := s.qname(name, "element"); err != nil {
		return err
	}
	attrs := s.attrs[:0]
	empty, tooMany := false, false
	for {
		i = s.space(i)
		if i >= len(d) {
			return s.eofErr(fmt.Sprintf("inside the <%s> tag", clip(name)))
		}
		c := d[i]
		if c == '>' {
			i++
			break
		}
		if c == '/' {
			if i+1 >= len(d) {
				return s.eofErr(fmt.Sprintf("inside the <%s> tag", clip(name)))
			}
			if d[i+1] != '>' {
				return s.errf(ErrMalformed, "expected '/>' in <%s>", clip(name))
			}
			i += 2
			empty = true
			break
		}
		a, j, err := s.attribute(i, name)
		if err != nil {
			return err
		}
		// Past the limit, attributes are still checked but not kept: a
		// tag that is also malformed further on is reported as malformed,
		// as encoding/xml would.
		if len(attrs) < s.maxAttrs {
			attrs = append(attrs, a)
		} else {
			tooMany = true
		}
		i = j
	}
	if tooMany {
		return s.errf(ErrLimit, "<%s> has over %d attributes", clip(name), s.maxAttrs)
	}
	s.attrs = attrs
	s.pos = i
	s.open = append(s.open, openTag{name: name, line: line})
	s.closeNext = empty
	t.set(xmlStart, line, name, attrs, nil, 0)
	return nil
}

func (s *xmlScanner) attribute(i int, elem []byte) (xmlAttr, int, error) {
	d := s.data
	name, i, err := s.name(i)
	if err != nil {
		return xmlAttr{}, i, err
	}
	if name == nil {
		return xmlAttr{}, i, s.errf(ErrMalformed, "unexpected %q in <%s> where an attribute name belongs", d[i], clip(elem))
	}
	if err := s.qname(name, "attribute"); err != nil {
		return xmlAttr{}, i, err
	}
	i = s.space(i)
	if i >= len(d) {
		return xmlAttr{}, i, s.eofErr(fmt.Sprintf("inside the <%s> tag", clip(elem)))
	}
	if d[i] != '=' {
		return xmlAttr{}, i, s.errf(ErrMalformed, "attribute %s of <%s> has no '=' and value", clip(name), clip(elem))
	}
	i = s.space(i + 1)
	if i >= len(d) {
		return xmlAttr{}, i, s.eofErr(fmt.Sprintf("inside the <%s> tag", clip(elem)))
	}
	q := d[i]
	if q != '"' && q != '\'' {
		return xmlAttr{}, i, s.errf(ErrMalformed, "value of attribute %s of <%s> is not quoted", clip(name), clip(elem))
	}
	i++
	start := i
	var esc escMode
	for {
		for i < len(d) && attrClass[d[i]] == 0 {
			i++
		}
		if i >= len(d) {
			return xmlAttr{}, i, s.eofErr(fmt.Sprintf("inside the value of attribute %s of <%s>", clip(name), clip(elem)))
		}
		c := d[i]
		switch c {
		case q:
			return xmlAttr{name: name, value: d[start:i], esc: esc}, i + 1, nil
		case '"', '\'':
		case '<':
			return xmlAttr{}, i, s.errf(ErrMalformed, "'<' inside the value of attribute %s of <%s>", clip(name), clip(elem))
		case '\n':
			s.line++
		case '\r':
			esc |= escCR
		case '&':
			_, n, msg := parseReference(d[i:])
			if n == 0 {
				return xmlAttr{}, i, s.errf(ErrMalformed, "%s", msg)
			}
			esc |= escEntities
			i += n
			continue
		case 0xEF:
			if err := s.checkNonchar(d, i); err != nil {
				return xmlAttr{}, i, err
			}
		default:
			return xmlAttr{}, i, s.errf(ErrMalformed, "control character U+%04X is not allowed in XML", c)
		}
		i++
	}
}

func (s *xmlScanner) endTag(t *xmlToken) error {
	d := s.data
	line := s.line
	// Fast path: the tag closes the innermost element, as it must.
	if n := len(s.open); n > 0 {
		top := s.open[n-1].name
		end := s.pos + 2 + len(top)
		if end < len(d) && d[end] == '>' && bytes.Equal(d[s.pos+2:end], top) {
			s.open = s.open[:n-1]
			s.pos = end + 1
			t.set(xmlEnd, line, top, nil, nil, 0)
			return nil
		}
	}
	name, i, err := s.name(s.pos + 2)
	if err != nil {
		return err
	}
	if name == nil {
		if s.pos+2 >= len(d) {
			return s.eofErr("after '</'")
		}
		return s.errf(ErrMalformed, "'</' not followed by an element name")
	}
	if err := s.qname(name, "element"); err != nil {
		return err
	}
	i = s.space(i)
	if i >= len(d) {
		return s.eofErr(fmt.Sprintf("inside the </%s> tag", clip(name)))
	}
	if d[i] != '>' {
		return s.errf(ErrMalformed, "unexpected %q in </%s>", d[i], clip(name))
	}
	if len(s.open) == 0 {
		return s.errf(ErrMalformed, "</%s> closes an element that was never opened", clip(name))
	}
	top := s.open[len(s.open)-1]
	if !bytes.Equal(top.name, name) {
		return s.errf(ErrMalformed, "</%s> closes <%s> opened on line %d", clip(name), clip(top.name), top.line)
	}
	s.open = s.open[:len(s.open)-1]
	s.pos = i + 1
	t.set(xmlEnd, line, name, nil, nil, 0)
	return nil
}

// advance moves to end, counting the lines in between.
func (s *xmlScanner) advance(end int) {
	s.line += bytes.Count(s.data[s.pos:end], []byte{'\n'})
	s.pos = end
}

// procInst skips a processing instruction, checking the XML declaration:
// version 1.0 and UTF-8 only, as encoding/xml does without a charset reader.
func (s *xmlScanner) procInst() error {
	d := s.data
	target, i, err := s.name(s.pos + 2)
	if err != nil {
		return err
	}
	if target == nil {
		if s.pos+2 >= len(d) {
			return s.eofErr("after '<?'")
		}
		return s.errf(ErrMalformed, "'<?' not followed by a name")
	}
	i = s.space(i)
	k := bytes.Index(d[i:], []byte("?>"))
	if k < 0 {
		return s.eofErr("inside a <?...?> instruction")
	}
	if string(target) == "xml" {
		content := string(d[i : i+k])
		if v := procInstParam("version", content); v != "" && v != "1.0" {
			return s.errf(ErrMalformed, "XML version %q is not supported (only 1.0)", clip([]byte(v)))
		}
		if e := procInstParam("encoding", content); e != "" && !strings.EqualFold(e, "utf-8") {
			return s.errf(ErrMalformed, "encoding %q is not supported: save the file as UTF-8", clip([]byte(e)))
		}
	}
	s.advance(i + k + 2)
	return nil
}

// procInstParam finds param="value" in the content of a processing
// instruction, the way encoding/xml does (so both accept the same files).
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// bang handles "<!": a comment (skipped), a CDATA section (a text token) or
// a directive (a directive token). tok reports whether t was filled.
func (s *xmlScanner) bang(t *xmlToken) (tok bool, err error) {
	d := s.data
	i := s.pos + 2
	if i >= len(d) {
		return false, s.eofErr("after '<!'")
	}
	switch d[i] {
	case '-':
		if i+1 >= len(d) {
			return false, s.eofErr("after '<!-'")
		}
		if d[i+1] != '-' {
			return false, s.errf(ErrMalformed, "'<!-' not followed by '-' (a comment starts with <!--)")
		}
		k := bytes.Index(d[i+2:], []byte("--"))
		if k < 0 {
			return false, s.eofErr("inside a comment")
		}
		j := i + 2 + k + 2
		if j >= len(d) {
			return false, s.eofErr("inside a comment")
		}
		if d[j] != '>' {
			s.advance(j)
			return false, s.errf(ErrMalformed, "'--' inside a comment")
		}
		s.advance(j + 1)
		return false, nil
	case '[':
		return true, s.cdata(t, i+1)
	}
	return true, s.directive(t, i)
}

func (s *xmlScanner) cdata(t *xmlToken, i int) error {
	d := s.data
	const open = "CDATA["
	for k := 0; k < len(open); k++ {
		if i+k >= len(d) {
			return s.eofErr("inside '<![CDATA['")
		}
		if d[i+k] != open[k] {
			return s.errf(ErrMalformed, "'<![' not followed by 'CDATA['")
		}
	}
	start := i + len(open)
	k := bytes.Index(d[start:], []byte("]]>"))
	if k < 0 {
		return s.eofErr("inside a CDATA section")
	}
	body := d[start : start+k]
	line := s.line
	var esc escMode
	for j := 0; j < len(body); j++ {
		c := body[j]
		if textClass[c] == 0 {
			continue
		}
		switch c {
		case '\r':
			esc |= escCR
		case '\n', '<', '&', ']':
		case 0xEF:
			if err := s.checkNonchar(body, j); err != nil {
				return err
			}
		default:
			return s.errf(ErrMalformed, "control character U+%04X is not allowed in XML", c)
		}
	}
	s.advance(start + k + 3)
	t.set(xmlText, line, nil, nil, body, esc)
	return nil
}

// directive scans a <!...> declaration such as a DOCTYPE, with its quoted
// strings, nested <...> markup and comments, the way encoding/xml does. The
// body is returned with comments replaced by a space; nothing in it is
// interpreted here.
func (s *xmlScanner) directive(t *xmlToken, i int) error {
	d := s.data
	line := s.line
	start := i
	var comments [][2]int // [start, end) of each <!--...--> inside
	i++                   // the first byte is taken as is, as in encoding/xml
	var inquote byte
	depth := 0
	for {
		if i >= len(d) {
			return s.eofErr("inside a <!...> declaration")
		}
		b := d[i]
		i++
		if inquote == 0 && b == '>' && depth == 0 {
			break
		}
	handle:
		switch {
		case b == inquote:
			inquote = 0
		case inquote != 0:
		case b == '\'' || b == '"':
			inquote = b
		case b == '>':
			depth--
		case b == '<':
			lt := i - 1
			const open = "!--"
			for k := 0; k < len(open); k++ {
				if i >= len(d) {
					return s.eofErr("inside a <!...> declaration")
				}
				b = d[i]
				i++
				if b != open[k] {
					depth++
					goto handle
				}
			}
			k := bytes.Index(d[i:], []byte("-->"))
			if k < 0 {
				return s.eofErr("inside a comment")
			}
			i += k + 3
			comments = append(comments, [2]int{lt, i})
		}
	}
	body := d[start : i-1]
	if len(comments) > 0 {
		var b []byte
		prev := start
		for _, c := range comments {
			b = append(b, d[prev:c[0]]...)
			b = append(b, ' ')
			prev = c[1]
		}
		body = append(b, d[prev:i-1]...)
	}
	s.advance(i)
	t.set(xmlDirective, line, nil, nil, body, 0)
	return nil
}
