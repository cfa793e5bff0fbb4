package screenplay

import (
	"bytes"
	"closedset"
	"context"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// DefaultMaxBytes is the largest input read unless Options says otherwise.
const DefaultMaxBytes = 25 << 20

// Options controls Read.
type Options struct {
	// Name is the file name used in error messages ("-" for standard input).
	Name string
	// Format forces the input format; empty means detect it from content.
	Format Format
	// MaxBytes bounds the input size; 0 means DefaultMaxBytes.
	MaxBytes int64
}

// Read parses a screenplay in any supported format. The format is detected
// from content unless opts.Format is set. It never panics; every failure is
// a *closedset.Error naming the file and the problem (see ErrBinary).
func Read(data []byte, opts Options) (*Script, error) {
	return ReadContext(context.Background(), data, opts)
}

// ReadContext is Read with a context that bounds the time a slow format (PDF)
// may take: when ctx is done, reading stops with an ErrLimit error.
func ReadContext(ctx context.Context, data []byte, opts Options) (s *Script, err error) {
	if err := tooLarge(int64(len(data)), opts); err != nil {
		return nil, err
	}
	// A reader bug must never take the caller down: report it as a
	// malformed file instead.
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, readPanic(r, opts)
		}
	}()
	format := opts.Format
	if format == "" {
		format, err = Detect(data)
		if err != nil {
			return nil, named(err, opts.Name)
		}
	}
	switch format {
	case PDF:
		s, err = readPDF(ctx, data, opts.Name)
	case FDX:
		s, err = readFDX(data)
	case Fountain, Text:
		var text string
		text, err = decodeText(data)
		if err != nil {
			return nil, named(err, opts.Name)
		}
		if format == Text {
			s, err = readText(text, opts.Name)
		} else {
			s = parseFountain(text)
		}
	default:
		return nil, named(readError(ErrBinary, 0, nil, "unknown input format %q (want fountain, fdx, pdf or text)", format), opts.Name)
	}
	if err != nil {
		return nil, named(err, opts.Name)
	}
	finish(s)
	return s, nil
}

// tooLarge is the error for an input of n bytes over opts' limit, or nil.
func tooLarge(n int64, opts Options) error {
	max := opts.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	if n > max {
		return named(readError(ErrTooLarge, 0, nil, "file is %s, over the %s limit", byteSize(n), byteSize(max)), opts.Name)
	}
	return nil
}

// readPanic is the error for a reader that panicked on an input.
func readPanic(r any, opts Options) error {
	return named(readError(ErrMalformed, 0, nil, "could not be read (%v)", r), opts.Name)
}

// ParseFormat turns a user's --input-format value into a Format.
func ParseFormat(v string) (Format, error) {
	switch Format(v) {
	case Fountain, FDX, PDF, Text:
		return Format(v), nil
	case "":
		return "", nil
	}
	return "", closedset.Errorf(closedset.Invalid, "unknown input format %q (want fountain, fdx, pdf or text)", v)
}

// Detect names the format of data from its content.
func Detect(data []byte) (Format, error) {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return "", readError(ErrEmpty, 0, nil, "file is empty")
	case bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(trimmed, []byte("<")) && bytes.Contains(head, []byte("<FinalDraft")):
		return FDX, nil
	case bytes.HasPrefix(trimmed, []byte("<?xml")) || bytes.HasPrefix(trimmed, []byte("<!DOCTYPE")):
		return "", readError(ErrBinary, 0, nil, "XML file that is not a Final Draft (.fdx) document")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "", readError(ErrBinary, 0, nil, "a zip archive (.docx, .fadein, .highland?), not a screenplay format closedset reads; export it as PDF, FDX or Fountain")
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return "", readError(ErrBinary, 0, nil, "an RTF document, not a screenplay format closedset reads; export it as PDF, FDX or Fountain")
	}
	if isUTF16(data) {
		return textFormat(data), nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", readError(ErrBinary, 0, nil, "binary data, not a screenplay (expected Fountain, FDX, PDF or plain text)")
	}
	return textFormat(data), nil
}

// textFormat tells laid-out plain text (indentation carries the structure,
// as when text is copied out of a PDF) from Fountain. Fountain markup
// (a title page, sections, notes, boneyard, forced elements) settles it for
// Fountain even when the writer indented cues and dialogue.
func textFormat(data []byte) Format {
	var lines, indented, markup int
	first := true
	for len(data) > 0 && lines < 400 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		trim := bytes.TrimSpace(line)
		if len(trim) == 0 {
			continue
		}
		lines++
		if bytes.HasPrefix(line, []byte("          ")) || bytes.HasPrefix(line, []byte("\t\t\t")) {
			indented++
		}
		if first {
			first = false
			if _, _, ok := titleKey(string(trim)); ok && titleKeys[strings.ToLower(strings.SplitN(string(trim), ":", 2)[0])] {
				markup++
			}
		}
		if fountainMarkup(trim) {
			markup++
		}
	}
	// Character cues and dialogue sit far from the margin; in a laid-out
	// script they are well over a quarter of all lines, in Fountain nearly none.
	if lines >= 8 && indented*4 >= lines && markup == 0 {
		return Text
	}
	return Fountain
}

// fountainMarkup reports a line that only Fountain writes this way.
func fountainMarkup(trim []byte) bool {
	for _, p := range [][]byte{[]byte("[["), []byte("/*"), []byte("==="), []byte("# "), []byte("## "), []byte("= ")} {
		if bytes.HasPrefix(trim, p) {
			return true
		}
	}
	return false
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func isUTF16(data []byte) bool {
	return len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF)
}

// decodeText returns the input as UTF-8 without a byte order mark. UTF-16
// with a BOM is converted; bytes that are not valid UTF-8 are read as
// Windows-1252, the usual encoding of old Windows text files.
func decodeText(data []byte) (string, error) {
	if isUTF16(data) {
		return decodeUTF16(data)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return string(data), nil
	}
	return decodeWindows1252(data)
}

func decodeUTF16(data []byte) (string, error) {
	big := data[0] == 0xFE
	data = data[2:]
	if len(data)%2 != 0 {
		return "", readError(ErrMalformed, 0, nil, "UTF-16 text with an odd number of bytes")
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if big {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	s := string(utf16.Decode(u))
	if bytes.IndexByte([]byte(s), 0) >= 0 {
		return "", readError(ErrBinary, 0, nil, "binary data in UTF-16 text")
	}
	return s, nil
}

// cp1252 maps bytes 0x80-0x9F of Windows-1252; 0 marks the five undefined ones.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

func decodeWindows1252(data []byte) (string, error) {
	var b bytes.Buffer
	b.Grow(len(data) + len(data)/8)
	line := 1
	for _, c := range data {
		switch {
		case c == '\n':
			line++
			b.WriteByte(c)
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			r := cp1252[c-0x80]
			if r == 0 {
				return "", readError(ErrBinary, line, nil, "byte 0x%02X is neither UTF-8 nor Windows-1252 text", c)
			}
			b.WriteRune(r)
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String(), nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
