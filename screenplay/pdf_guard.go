package screenplay

import (
	"bytes"
	"regexp"
	"strconv"
)

// Bounds checked before the PDF library sees a file. The library allocates
// its cross-reference table by the largest object number it reads, recurses
// once per nesting level and inflates streams without limit; each of those
// can take the whole process down (out of memory, stack overflow), which no
// recover can catch. So the raw bytes are checked first.
const (
	maxDecodedBytes = 256 << 20 // all streams inflated, together
	maxObjectNumber = 5_000_000
	maxNesting      = 256 // arrays and dictionaries inside one another
	maxXrefWidth    = 8   // bytes per field of an xref stream
)

// checkPDF checks data cheaply and returns it in the form the library
// reads: starting at the header and ending at the last %%EOF, with a PDF 2.0
// header relabelled (the library only accepts 1.x headers, and 2.0 files
// without new features read the same).
func checkPDF(data []byte) ([]byte, error) {
	i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-"))
	if i < 0 {
		return nil, readError(ErrMalformed, 0, nil, "%s", "not a PDF (no %PDF- header)")
	}
	data = data[i:]
	end := bytes.LastIndex(data, []byte("%%EOF"))
	if end < 0 || !bytes.Contains(data, []byte("startxref")) {
		return nil, readError(ErrMalformed, 0, nil, "the PDF is truncated (its end-of-file marker is missing); download or export it again")
	}
	data = data[:end+len("%%EOF")]
	if bytes.HasPrefix(data, []byte("%PDF-2.")) {
		data = bytes.Clone(data)
		copy(data, "%PDF-1.7")
	}
	if err := checkNesting(data); err != nil {
		return nil, err
	}
	if err := checkXref(data); err != nil {
		return nil, err
	}
	if err := checkStreams(data, maxDecodedBytes); err != nil {
		return nil, err
	}
	return data, nil
}

// checkNesting rejects arrays or dictionaries nested deeper than any real
// PDF needs. Binary bytes (fonts, images) reset the count, so only runs of
// PDF syntax are measured.
func checkNesting(data []byte) error {
	depth := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '[':
			depth++
		case c == '<' && i+1 < len(data) && data[i+1] == '<':
			depth++
			i++
		case c == ']' || c == '>' && i+1 < len(data) && data[i+1] == '>':
			if depth > 0 {
				depth--
			}
			if c == '>' {
				i++
			}
		case c >= 0x7F || c < 0x20 && c != '\n' && c != '\r' && c != '\t':
			depth = 0
		}
		if depth > maxNesting {
			return readError(ErrLimit, 0, nil, "the PDF nests objects more than %d deep; it was not read", maxNesting)
		}
	}
	return nil
}

var (
	xrefWidths = regexp.MustCompile(`/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]`)
	xrefIndex  = regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`)
	xrefHeader = regexp.MustCompile(`(?:^|[^t])xref\s+(\d+)\s+(\d+)`)
)

// checkXref rejects cross-reference sections naming object numbers far
// beyond any real file: the library would allocate a table that large.
func checkXref(data []byte) error {
	tooBig := readError(ErrLimit, 0, nil, "the PDF's cross-reference table names an impossible number of objects; it was not read")
	for _, m := range xrefHeader.FindAllSubmatch(data, -1) {
		if !smallNumbers(maxObjectNumber, m[1], m[2]) {
			return tooBig
		}
	}
	for _, m := range xrefIndex.FindAllSubmatch(data, -1) {
		if !smallNumbers(maxObjectNumber, bytes.Fields(m[1])...) {
			return tooBig
		}
	}
	for _, m := range xrefWidths.FindAllSubmatchIndex(data, -1) {
		// Widths arrays of CID fonts look alike but hold glyph widths
		// (hundreds); an xref W array holds byte counts (1-4), in a
		// dictionary that says /XRef nearby.
		near := data[max(0, m[0]-300):min(len(data), m[1]+300)]
		if !smallNumbers(maxXrefWidth, data[m[2]:m[3]], data[m[4]:m[5]], data[m[6]:m[7]]) && bytes.Contains(near, []byte("/XRef")) {
			return tooBig
		}
	}
	return nil
}

func smallNumbers(limit int64, nums ...[]byte) bool {
	for _, b := range nums {
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil || n > limit {
			return false
		}
	}
	return true
}

// checkStreams decodes every stream through its whole filter chain (every
// layer the library would apply, with the guard's own decoders) and rejects
// the file when the layers' output together passes limit bytes: a
// decompression bomb, however deeply nested. It refuses decoding parameters
// the library would choke on before it sees them, and measures nesting
// inside the decoded data, where content streams and object streams hide
// their syntax.
func checkStreams(data []byte, limit int64) error {
	left := limit
	kw := []byte("stream")
	for pos := 0; ; {
		i := bytes.Index(data[pos:], kw)
		if i < 0 {
			return nil
		}
		at := pos + i
		start := at + len(kw)
		pos = start
		if i >= 3 && bytes.Equal(data[at-3:at], []byte("end")) {
			continue
		}
		if start < len(data) && data[start] == '\r' {
			start++
		}
		if start >= len(data) || data[start] != '\n' {
			continue
		}
		start++
		d, ok, err := streamDict(data, at)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		names, _, err := streamFilters(d)
		if err != nil {
			return err
		}
		// The library reads /Length bytes; when the length is not given
		// here, the rest of the file bounds what it could read.
		raw := data[start:]
		if l := d["Length"]; l.kind == 'i' && l.num >= 0 && l.num < int64(len(raw)) {
			raw = raw[:l.num]
		}
		w := &nestWriter{}
		if err := decodeStream(raw, names, w, &left); err != nil {
			return readError(ErrLimit, 0, nil, "the PDF's compressed streams decode to more than %d MB (a decompression bomb?); it was not read", limit>>20)
		}
		if w.err != nil {
			return w.err
		}
	}
}

// nestWriter runs checkNesting over decoded stream data, chunk by chunk.
type nestWriter struct {
	err error
}

func (w *nestWriter) Write(p []byte) (int, error) {
	if w.err == nil {
		w.err = checkNesting(p)
	}
	return len(p), nil
}
