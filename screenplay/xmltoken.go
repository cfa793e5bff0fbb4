package screenplay

import (
	"fmt"
	"unicode/utf8"
)

// The FDX reader consumes XML as a stream of xmlTokens. Two tokenizers
// produce them: xmlScanner, the fast one used in production, and (in the
// tests) one over encoding/xml that serves as the reference the scanner is
// checked against. Everything above the token level is shared, so the two
// must agree on well-formedness and on every paragraph extracted.

// xmlKind is the kind of an xmlToken.
type xmlKind uint8

const (
	xmlEOF       xmlKind = iota // end of input, all elements closed
	xmlStart                    // a start tag; <a/> gives xmlStart then xmlEnd
	xmlEnd                      // an end tag
	xmlText                     // character data or a CDATA section
	xmlDirective                // <!DOCTYPE ...> and other <!...> declarations
)

// escMode says which decoding a token's text (or attribute value) still
// needs. The scanner hands out slices of the input and decodes only the text
// the reader keeps; most text needs no decoding at all.
type escMode uint8

const (
	escEntities escMode = 1 << iota // entity or character references
	escCR                           // literal \r to normalise to \n
)

// xmlAttr is one attribute of a start tag.
type xmlAttr struct {
	name  []byte
	value []byte // raw when esc != 0
	esc   escMode
}

// xmlToken is one token. Its slices are valid only until the next call to
// the tokenizer.
type xmlToken struct {
	kind  xmlKind
	line  int // 1-based line where the token starts
	name  []byte
	attrs []xmlAttr
	text  []byte // character data or directive body; raw when esc != 0
	esc   escMode
}

// set fills the token field by field: a struct literal assigned through
// the pointer would be a bulk copy with a costly write barrier while the
// garbage collector runs.
func (t *xmlToken) set(kind xmlKind, line int, name []byte, attrs []xmlAttr, text []byte, esc escMode) {
	t.kind, t.line, t.esc = kind, line, esc
	t.name, t.attrs, t.text = name, attrs, text
}

// xmlTokenizer produces the tokens of one document. Errors are *closedset.Error (readError).
type xmlTokenizer interface {
	next(t *xmlToken) error
}

// attr returns the raw value of the attribute named name, if present.
func (t *xmlToken) attr(name string) (xmlAttr, bool) {
	for _, a := range t.attrs {
		if string(a.name) == name {
			return a, true
		}
	}
	return xmlAttr{}, false
}

// appendUnescaped appends src, decoded according to esc, to dst. The
// references in src were validated when it was scanned.
func appendUnescaped(dst, src []byte, esc escMode) []byte {
	if esc == 0 {
		return append(dst, src...)
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\r':
			// XML end-of-line handling: \r\n and lone \r both become \n.
			dst = append(dst, '\n')
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		case c == '&' && esc&escEntities != 0:
			r, n, _ := parseReference(src[i:])
			if n == 0 { // cannot happen after scanning; keep the byte rather than loop
				dst = append(dst, c)
				continue
			}
			dst = utf8.AppendRune(dst, r)
			i += n - 1
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// parseReference reads the entity or character reference at the start of b
// (b[0] == '&'). It returns the character, the length of the reference
// including ';', and an error message when the reference is not one XML
// allows without a DTD. n is 0 when the reference is malformed.
//
// Only the five predefined entities and numeric references are known: a
// document can declare no others (DOCTYPEs with entities are refused), so
// there is nothing to expand and no way to build a billion laughs.
func parseReference(b []byte) (r rune, n int, msg string) {
	i := 1
	if i < len(b) && b[i] == '#' {
		i++
		base := uint32(10)
		if i < len(b) && b[i] == 'x' {
			base = 16
			i++
		}
		start := i
		var v uint32
		over := false
		for ; i < len(b); i++ {
			d, ok := digitValue(b[i], base)
			if !ok {
				break
			}
			v = v*base + d
			if v > utf8.MaxRune {
				over = true
				v = utf8.MaxRune + 1 // keep it from wrapping
			}
		}
		if i >= len(b) || b[i] != ';' || i == start {
			return 0, 0, fmt.Sprintf("invalid character reference %q", clip(b[:i]))
		}
		if over {
			return 0, 0, fmt.Sprintf("character reference %q is out of range", clip(b[:i+1]))
		}
		r = rune(v)
		if 0xD800 <= r && r <= 0xDFFF {
			// As encoding/xml does: a surrogate cannot stand alone in
			// UTF-8 text and reads as U+FFFD.
			r = utf8.RuneError
		}
		if !isXMLChar(r) {
			return 0, 0, fmt.Sprintf("character reference %q names U+%04X, which XML does not allow", clip(b[:i+1]), r)
		}
		return r, i + 1, ""
	}
	for i < len(b) && (isNameByte(b[i]) || b[i] >= utf8.RuneSelf) {
		i++
	}
	if i < len(b) && b[i] == ';' {
		switch string(b[1:i]) {
		case "lt":
			return '<', i + 1, ""
		case "gt":
			return '>', i + 1, ""
		case "amp":
			return '&', i + 1, ""
		case "apos":
			return '\'', i + 1, ""
		case "quot":
			return '"', i + 1, ""
		}
		return 0, 0, fmt.Sprintf("unknown entity %q (only &lt; &gt; &amp; &apos; &quot; and character references are allowed)", clip(b[:i+1]))
	}
	return 0, 0, fmt.Sprintf("%q is not an entity reference (a bare & must be written &amp;)", clip(b[:i]))
}

func digitValue(c byte, base uint32) (uint32, bool) {
	switch {
	case '0' <= c && c <= '9':
		return uint32(c - '0'), true
	case base == 16 && 'a' <= c && c <= 'f':
		return uint32(c-'a') + 10, true
	case base == 16 && 'A' <= c && c <= 'F':
		return uint32(c-'A') + 10, true
	}
	return 0, false
}

// isXMLChar reports whether r may appear in an XML document (the Char
// production of XML 1.0).
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// clip shortens a piece of input quoted in an error message.
func clip(b []byte) string {
	const max = 40
	if len(b) <= max {
		return string(b)
	}
	i := max
	for i > 0 && !utf8.RuneStart(b[i]) {
		i--
	}
	return string(b[:i]) + "…"
}
