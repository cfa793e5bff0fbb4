package screenplay

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
)

// stdTokenizer produces xmlTokens with encoding/xml. It is the reference
// the fast scanner is checked against, and the "before" of its benchmark:
// everything above the tokens is shared, so any difference in what the two
// readers return is a difference between the tokenizers.
type stdTokenizer struct {
	d     *xml.Decoder
	data  []byte
	off   int // input offset line counting has reached
	line  int
	open  []xml.Name
	attrs []xmlAttr
}

func newStdTokenizer(data []byte) *stdTokenizer {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	return &stdTokenizer{d: d, data: data, line: 1}
}

// lineAt returns the 1-based line of input offset off (off only grows).
func (s *stdTokenizer) lineAt(off int) int {
	off = min(off, len(s.data))
	if off > s.off {
		s.line += bytes.Count(s.data[s.off:off], []byte{'\n'})
		s.off = off
	}
	return s.line
}

func (s *stdTokenizer) fail(err error) error {
	line := s.lineAt(int(s.d.InputOffset()))
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
	}
	return readError(ErrMalformed, line, err, "%s", err)
}

func fullName(n xml.Name) []byte {
	if n.Space == "" {
		return []byte(n.Local)
	}
	return []byte(n.Space + ":" + n.Local)
}

func (s *stdTokenizer) next(t *xmlToken) error {
	for {
		line := s.lineAt(int(s.d.InputOffset()))
		// RawToken, not Token: Token rewrites prefixed names into
		// namespace URLs, which the FDX reader (like the scanner) does
		// not do. The nesting check Token would make is done here.
		tok, err := s.d.RawToken()
		if err == io.EOF {
			if len(s.open) > 0 {
				return readError(ErrMalformed, s.lineAt(len(s.data)), nil, "unexpected EOF")
			}
			*t = xmlToken{kind: xmlEOF, line: s.lineAt(len(s.data))}
			return nil
		}
		if err != nil {
			return s.fail(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			s.open = append(s.open, tok.Name)
			s.attrs = s.attrs[:0]
			for _, a := range tok.Attr {
				s.attrs = append(s.attrs, xmlAttr{name: fullName(a.Name), value: []byte(a.Value)})
			}
			*t = xmlToken{kind: xmlStart, line: line, name: fullName(tok.Name), attrs: s.attrs}
			return nil
		case xml.EndElement:
			if len(s.open) == 0 || s.open[len(s.open)-1] != tok.Name {
				return readError(ErrMalformed, s.lineAt(int(s.d.InputOffset())), nil, "mismatched end element")
			}
			s.open = s.open[:len(s.open)-1]
			*t = xmlToken{kind: xmlEnd, line: line, name: fullName(tok.Name)}
			return nil
		case xml.CharData:
			*t = xmlToken{kind: xmlText, line: line, text: tok}
			return nil
		case xml.Directive:
			*t = xmlToken{kind: xmlDirective, line: line, text: tok}
			return nil
		}
		// Comments and processing instructions: encoding/xml has checked
		// the XML declaration.
	}
}

// readFDXStd is readFDX over encoding/xml.
func readFDXStd(data []byte) (*Script, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkUTF8(data); err != nil {
		return nil, err
	}
	return parseFDX(newStdTokenizer(data), len(data))
}
