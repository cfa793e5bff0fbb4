package screenplay

import (
	"bytes"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"io"
	"strconv"
)

// Bounds on a stream's decoding parameters. The PDF library allocates a row
// of /Columns bytes for a predictor without looking at the number, so a
// 693-byte file asking for a trillion columns ends the process.
const (
	maxPredictorColumns = 1 << 20
	maxPredictorColors  = 64
	maxPredictorRow     = 1 << 22 // bytes in one predictor row
	maxObjStmObjects    = 1_000_000
	maxFilterLayers     = 8
)

// pdfObject is a direct PDF object as the guard needs it: a name, an
// integer, a reference, an array or a dictionary; anything else is "other".
type pdfObject struct {
	kind byte // 'n' name, 'i' integer, 'r' reference, 'a' array, 'd' dictionary, 'o' other
	name string
	num  int64
	arr  []pdfObject
	dict map[string]pdfObject
}

// streamDict finds and parses the dictionary of the stream whose keyword
// starts at kw. It looks back for "N G obj" and parses forward from there,
// so strings in the dictionary cannot confuse it. ok is false when there
// is no dictionary right before the keyword (the word is not a stream).
func streamDict(data []byte, kw int) (d map[string]pdfObject, ok bool, err error) {
	end := kw
	for end > 0 && isPDFSpace(data[end-1]) {
		end--
	}
	if end < 2 || data[end-1] != '>' || data[end-2] != '>' {
		return nil, false, nil
	}
	lo := max(0, kw-(256<<10))
	for at, tries := kw, 0; tries < 16; tries++ {
		i := bytes.LastIndex(data[lo:at], []byte("obj"))
		if i < 0 {
			break
		}
		at = lo + i
		p := &objParser{data: data[:end], pos: at + 3}
		p.space()
		if p.pos < end && data[p.pos] == '<' {
			if o, perr := p.value(0); perr == nil && o.kind == 'd' && p.pos == end {
				return o.dict, true, nil
			}
		}
	}
	return nil, true, readError(ErrMalformed, 0, nil, "a stream's dictionary in the PDF could not be read; it was not read")
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	return isPDFSpace(c) || bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0
}

var errParse = errors.New("unparsable")

// objParser parses direct objects from PDF syntax.
type objParser struct {
	data []byte
	pos  int
}

func (p *objParser) space() {
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '%' {
			for p.pos < len(p.data) && p.data[p.pos] != '\n' && p.data[p.pos] != '\r' {
				p.pos++
			}
			continue
		}
		if !isPDFSpace(c) {
			return
		}
		p.pos++
	}
}

func (p *objParser) word() string {
	s := p.pos
	for p.pos < len(p.data) && !isPDFDelim(p.data[p.pos]) {
		p.pos++
	}
	return string(p.data[s:p.pos])
}

func (p *objParser) value(depth int) (pdfObject, error) {
	if depth > maxNesting {
		return pdfObject{}, errParse
	}
	p.space()
	if p.pos >= len(p.data) {
		return pdfObject{}, errParse
	}
	switch c := p.data[p.pos]; {
	case c == '/':
		p.pos++
		return pdfObject{kind: 'n', name: p.word()}, nil
	case c == '<' && p.pos+1 < len(p.data) && p.data[p.pos+1] == '<':
		p.pos += 2
		d := map[string]pdfObject{}
		for {
			p.space()
			if p.pos+1 < len(p.data) && p.data[p.pos] == '>' && p.data[p.pos+1] == '>' {
				p.pos += 2
				return pdfObject{kind: 'd', dict: d}, nil
			}
			k, err := p.value(depth + 1)
			if err != nil || k.kind != 'n' {
				return pdfObject{}, errParse
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return pdfObject{}, errParse
			}
			d[k.name] = v
		}
	case c == '<':
		e := bytes.IndexByte(p.data[p.pos:], '>')
		if e < 0 {
			return pdfObject{}, errParse
		}
		p.pos += e + 1
		return pdfObject{kind: 'o'}, nil
	case c == '[':
		p.pos++
		var a []pdfObject
		for {
			p.space()
			if p.pos < len(p.data) && p.data[p.pos] == ']' {
				p.pos++
				return pdfObject{kind: 'a', arr: a}, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return pdfObject{}, errParse
			}
			a = append(a, v)
		}
	case c == '(':
		level := 0
		for ; p.pos < len(p.data); p.pos++ {
			switch p.data[p.pos] {
			case '\\':
				p.pos++
			case '(':
				level++
			case ')':
				level--
				if level == 0 {
					p.pos++
					return pdfObject{kind: 'o'}, nil
				}
			}
		}
		return pdfObject{}, errParse
	case isPDFDelim(c):
		return pdfObject{}, errParse
	}
	w := p.word()
	n, err := strconv.ParseInt(w, 10, 64)
	if err != nil {
		return pdfObject{kind: 'o', name: w}, nil
	}
	// "N G R" is a reference.
	save := p.pos
	p.space()
	if g := p.word(); g != "" {
		if _, err := strconv.ParseInt(g, 10, 64); err == nil {
			p.space()
			if p.pos < len(p.data) && p.data[p.pos] == 'R' && (p.pos+1 == len(p.data) || isPDFDelim(p.data[p.pos+1])) {
				p.pos++
				return pdfObject{kind: 'r', num: n}, nil
			}
		}
	}
	p.pos = save
	return pdfObject{kind: 'i', num: n}, nil
}

// streamFilters returns the filters of a stream and each one's parameters,
// refusing what the library would choke on: references where the guard
// cannot follow them, too many layers, and predictor parameters that would
// make it allocate without bound.
func streamFilters(d map[string]pdfObject) ([]string, []pdfObject, error) {
	refuse := func(what string) error {
		return readError(ErrLimit, 0, nil, "the PDF's stream %s; it was not read", what)
	}
	var names []string
	var parms []pdfObject
	switch f := d["Filter"]; f.kind {
	case 0:
	case 'n':
		names = []string{f.name}
		parms = []pdfObject{d["DecodeParms"]}
	case 'a':
		if len(f.arr) > maxFilterLayers {
			return nil, nil, refuse("filters are stacked more than " + strconv.Itoa(maxFilterLayers) + " deep")
		}
		dp := d["DecodeParms"]
		for i, x := range f.arr {
			if x.kind != 'n' {
				return nil, nil, refuse("filters are not names")
			}
			names = append(names, x.name)
			var p pdfObject
			if dp.kind == 'a' && i < len(dp.arr) {
				p = dp.arr[i]
			}
			parms = append(parms, p)
		}
	case 'r':
		return nil, nil, refuse("filters are named indirectly")
	}
	if d["DecodeParms"].kind == 'r' {
		return nil, nil, refuse("decoding parameters are given indirectly")
	}
	for i, name := range names {
		p := parms[i]
		if p.kind == 'r' {
			return nil, nil, refuse("decoding parameters are given indirectly")
		}
		if name != "FlateDecode" || p.kind != 'd' {
			continue
		}
		if err := checkPredictor(p.dict); err != nil {
			return nil, nil, err
		}
	}
	if t := d["Type"]; t.kind == 'n' && t.name == "ObjStm" {
		if n := d["N"]; n.kind != 'i' || n.num < 0 || n.num > maxObjStmObjects {
			return nil, nil, refuse("of objects claims an impossible number of objects (/N)")
		}
		if _, ok := d["Extends"]; ok {
			return nil, nil, refuse("of objects extends another (/Extends), which closedset does not follow")
		}
	}
	return names, parms, nil
}

// checkPredictor refuses predictor parameters no real file uses.
func checkPredictor(p map[string]pdfObject) error {
	get := func(key string, def int64) (int64, bool) {
		v, ok := p[key]
		if !ok || v.kind == 'o' && v.name == "null" {
			return def, true
		}
		return v.num, v.kind == 'i'
	}
	bad := func(key string) error {
		return readError(ErrLimit, 0, nil, "the PDF's stream asks for an impossible /%s in its decoding parameters; it was not read", key)
	}
	pred, ok := get("Predictor", 1)
	if !ok || pred != 1 && pred != 2 && (pred < 10 || pred > 15) {
		return bad("Predictor")
	}
	cols, ok := get("Columns", 1)
	if !ok || cols < 1 || cols > maxPredictorColumns {
		return bad("Columns")
	}
	colors, ok := get("Colors", 1)
	if !ok || colors < 1 || colors > maxPredictorColors {
		return bad("Colors")
	}
	bpc, ok := get("BitsPerComponent", 8)
	if !ok || bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16 {
		return bad("BitsPerComponent")
	}
	if cols*colors*bpc/8 > maxPredictorRow {
		return bad("Columns")
	}
	return nil
}

// errBudget is returned by a budgetReader when the budget is spent.
var errBudget = errors.New("decoding budget spent")

// budgetReader charges what it reads to a budget shared by every stream
// and every layer of every stream.
type budgetReader struct {
	r    io.Reader
	left *int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if *b.left < 0 {
		return 0, errBudget
	}
	n, err := b.r.Read(p)
	*b.left -= int64(n)
	if *b.left < 0 {
		return n, errBudget
	}
	return n, err
}

// decodeStream runs raw through the stream's filters as the library would,
// charging every layer's output to left, and writes the result to w. A
// chain the library cannot decode (an unknown filter, bad data) stops
// early: the library fails the same way, with a recoverable panic.
func decodeStream(raw []byte, names []string, w io.Writer, left *int64) error {
	var r io.Reader = bytes.NewReader(raw)
	for _, name := range names {
		switch name {
		case "FlateDecode":
			zr, err := zlib.NewReader(r)
			if err != nil {
				return nil
			}
			r = zr
		case "ASCII85Decode":
			r = ascii85.NewDecoder(&a85Clean{r: r})
		default:
			return nil
		}
		r = &budgetReader{r: r, left: left}
	}
	if len(names) == 0 {
		return nil
	}
	_, err := io.Copy(w, r)
	if errors.Is(err, errBudget) {
		return err
	}
	return nil
}

// a85Clean drops what is not ASCII85 and stops at "~", as the library does.
type a85Clean struct {
	r   io.Reader
	eod bool
}

func (a *a85Clean) Read(p []byte) (int, error) {
	if a.eod {
		return 0, io.EOF
	}
	n, err := a.r.Read(p)
	out := 0
	for _, c := range p[:n] {
		if c == '~' {
			a.eod = true
			return out, io.EOF
		}
		if c >= '!' && c <= 'u' || c == 'z' {
			p[out] = c
			out++
		}
	}
	return out, err
}
