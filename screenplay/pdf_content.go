package screenplay

import (
	"closedset"
	"context"
	"io"
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// glyph is one character drawn on a page, in PDF user space (points, y up).
type glyph struct {
	x, y float64 // baseline origin
	w    float64 // advance width
	size float64 // effective font size
	s    string  // decoded text, usually one rune
	run  int     // glyphs drawn one after another, each where the last ended
}

// Bounds on what one PDF may make us do. Real scripts are far below them;
// hostile files hit them quickly and get an ErrLimit error.
const (
	maxPDFPages     = 2000
	maxPageGlyphs   = 200_000
	maxTotalGlyphs  = 2_000_000
	maxFormDepth    = 4
	ctxCheckEvery   = 2048 // content operators between ctx checks
	maxPageTreeNode = 20_000
	// maxDrawnBytes bounds the decoded bytes of the streams interpreted
	// for the whole document, counted each time one is drawn: ten pages
	// sharing one content stream cost ten times its size. Each stream
	// costs at least minDrawCost, so empty ones cannot be drawn forever.
	maxDrawnBytes = 64 << 20
	minDrawCost   = 1 << 10
)

// limitPanic is raised inside the content interpreter (whose callback
// cannot return an error) and turned back into a *closedset.Error by readPDF.
type limitPanic struct{ err *closedset.Error }

// fontInfo is what the interpreter needs of a font, resolved once per page:
// the library resolves indirect objects again on every access, so reading a
// font dictionary per text operator is what made large Final Draft PDFs slow.
type fontInfo struct {
	enc      pdf.TextEncoding
	twoByte  bool            // Type0 font with 2-byte codes (Identity-H and kin)
	first    int             // FirstChar of a simple font
	widths   []float64       // simple font widths, glyph units
	cidW     map[int]float64 // Type0 widths by CID
	dw       float64         // default width
	scale    float64         // glyph units to text space (1/1000, or Type3 FontMatrix)
	decoded  map[string]string
	mono     bool // a Courier-like font: missing widths default to 600
	fallback float64
}

func (f *fontInfo) decode(code string) string {
	if s, ok := f.decoded[code]; ok {
		return s
	}
	s := f.enc.Decode(code)
	f.decoded[code] = s
	return s
}

func (f *fontInfo) width(code int) float64 {
	if f.twoByte {
		if w, ok := f.cidW[code]; ok {
			return w
		}
		return f.dw
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) && f.widths[i] > 0 {
		return f.widths[i]
	}
	return f.fallback
}

func loadFont(v pdf.Value) (fi *fontInfo) {
	base := v.Key("BaseFont").Name()
	fi = &fontInfo{scale: 0.001, decoded: map[string]string{}, dw: 1000}
	fi.mono = strings.Contains(strings.ToLower(base), "courier") || strings.Contains(strings.ToLower(base), "mono")
	fi.fallback = 500
	if fi.mono {
		fi.fallback = 600
	}
	// A malformed ToUnicode map must cost us that font's text, not the file.
	func() {
		defer func() {
			if recover() != nil {
				fi.enc = rawEncoding{}
			}
		}()
		f := pdf.Font{V: v}
		fi.enc = f.Encoder()
	}()
	switch v.Key("Subtype").Name() {
	case "Type0":
		fi.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			fi.dw = dw.Float64()
		}
		fi.cidW = readCIDWidths(d.Key("W"))
	case "Type3":
		if m := v.Key("FontMatrix"); m.Len() == 6 {
			fi.scale = m.Index(0).Float64()
		}
	}
	if !fi.twoByte {
		fi.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		n := min(ws.Len(), 256)
		fi.widths = make([]float64, n)
		for i := range n {
			fi.widths[i] = ws.Index(i).Float64()
		}
	}
	return fi
}

// readCIDWidths reads a CIDFont W array: "c [w1 w2 ...]" or "c1 c2 w".
func readCIDWidths(w pdf.Value) map[int]float64 {
	m := map[int]float64{}
	n := min(w.Len(), 100_000)
	// A hostile W array can name billions of CIDs; no font has more than 65536.
	for i := 0; i+1 < n && len(m) < 65536; {
		c := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := range min(next.Len(), 65536-len(m)) {
				m[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		hi, wd := int(next.Int64()), w.Index(i+2).Float64()
		for c2 := c; c2 <= hi && len(m) < 65536; c2++ {
			m[c2] = wd
		}
		i += 3
	}
	return m
}

// rawEncoding is used when a font's encoding cannot be read.
type rawEncoding struct{}

func (rawEncoding) Decode(raw string) string { return raw }

type matrix [6]float64 // a b c d e f

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m×n (apply m, then n).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

type textState struct {
	ctm            matrix
	tm, tlm        matrix
	tc, tw, th, tl float64
	rise, size     float64
	font           *fontInfo
}

// contentReader interprets page content streams into glyphs. It implements
// only what text placement needs, and follows Form XObjects, which the
// library's own Content method ignores.
type contentReader struct {
	ctx    context.Context
	glyphs []glyph
	total  *int   // glyphs over the whole document
	left   *int64 // of maxDrawnBytes, over the whole document
	ops    int
	runID  int     // current run number
	nextX  float64 // where the next glyph of the current run would go
	lastY  float64
}

func (cr *contentReader) check() {
	cr.ops++
	if cr.ops%ctxCheckEvery == 0 && cr.ctx.Err() != nil {
		panic(limitPanic{readError(ErrLimit, 0, nil, "reading the PDF took too long and was stopped")})
	}
}

// charge decodes the stream (or array of streams) v once, counting its
// bytes against the document's budget, before the interpreter reads it:
// the library has no hook to count as it goes.
func (cr *contentReader) charge(v pdf.Value) {
	over := func() {
		panic(limitPanic{readError(ErrLimit, 0, nil, "the PDF's pages draw more than %d MB of content (a stream drawn again and again?); it was not read", maxDrawnBytes>>20)})
	}
	one := func(s pdf.Value) {
		if *cr.left -= minDrawCost; *cr.left < 0 {
			over()
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(s.Reader(), *cr.left+1))
		if *cr.left -= n; *cr.left < 0 {
			over()
		}
	}
	if v.Kind() == pdf.Array {
		for i := range v.Len() {
			one(v.Index(i))
		}
		return
	}
	if v.Kind() == pdf.Stream {
		one(v)
	}
}

func (cr *contentReader) run(strm, res pdf.Value, ctm matrix, depth int) {
	cr.charge(strm)
	fonts := map[string]*fontInfo{}
	font := func(name string) *fontInfo {
		if f, ok := fonts[name]; ok {
			return f
		}
		fv := res.Key("Font").Key(name)
		cr.charge(fv.Key("ToUnicode"))
		f := loadFont(fv)
		fonts[name] = f
		return f
	}
	g := textState{ctm: ctm, tm: identity, tlm: identity, th: 1}
	var stack []textState
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		cr.check()
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 1000 {
				stack = append(stack, g)
			}
		case "Q":
			if n := len(stack); n > 0 {
				g, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = identity, identity
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Tf":
			if len(args) == 2 {
				g.font = font(args[0].Name())
				g.size = num(1)
			}
		case "Td", "TD":
			if len(args) == 2 {
				if op == "TD" {
					g.tl = -num(1)
				}
				g.tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(g.tlm)
				g.tm = g.tlm
			}
		case "Tm":
			if len(args) == 6 {
				g.tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				g.tm = g.tlm
			}
		case "T*":
			g.nextLine()
		case "'":
			g.nextLine()
			if len(args) == 1 {
				cr.show(&g, args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				g.nextLine()
				cr.show(&g, args[2].RawString())
			}
		case "Tj":
			if len(args) == 1 {
				cr.show(&g, args[0].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := range a.Len() {
					x := a.Index(i)
					if x.Kind() == pdf.String {
						cr.show(&g, x.RawString())
					} else {
						g.tm = matrix{1, 0, 0, 1, -x.Float64() / 1000 * g.size * g.th, 0}.mul(g.tm)
					}
				}
			}
		case "Do":
			if len(args) == 1 && depth < maxFormDepth {
				xo := res.Key("XObject").Key(args[0].Name())
				if xo.Key("Subtype").Name() == "Form" {
					m := identity
					if a := xo.Key("Matrix"); a.Len() == 6 {
						m = matrix{a.Index(0).Float64(), a.Index(1).Float64(), a.Index(2).Float64(),
							a.Index(3).Float64(), a.Index(4).Float64(), a.Index(5).Float64()}
					}
					r := xo.Key("Resources")
					if r.IsNull() {
						r = res
					}
					cr.run(xo, r, m.mul(g.ctm), depth+1)
				}
			}
		}
	})
}

func (g *textState) nextLine() {
	g.tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(g.tlm)
	g.tm = g.tlm
}

// show places each character code of s, advancing the text matrix as the
// PDF specification says (9.4.4), so glyph x positions are exact even when a
// producer draws a whole line with one operator.
func (cr *contentReader) show(g *textState, s string) {
	f := g.font
	if f == nil {
		return
	}
	step := 1
	if f.twoByte {
		step = 2
	}
	for i := 0; i+step <= len(s); i += step {
		code := s[i : i+step]
		c := int(code[0])
		if step == 2 {
			c = c<<8 | int(code[1])
		}
		w0 := f.width(c) * f.scale
		trm := matrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(g.tm).mul(g.ctm)
		// Rotated or skewed text is a watermark or a stamp, never the
		// script's own lines, which are always set upright.
		upright := math.Abs(trm[1]) < 0.01*math.Abs(trm[0]) && math.Abs(trm[2]) < 0.01*math.Abs(trm[3]) && trm[0] > 0 && trm[3] > 0
		if txt := f.decode(code); upright && txt != "" {
			if len(cr.glyphs) >= maxPageGlyphs || *cr.total >= maxTotalGlyphs {
				panic(limitPanic{readError(ErrLimit, 0, nil, "the PDF draws more text than any screenplay; it was not read")})
			}
			*cr.total++
			if math.Abs(trm[4]-cr.nextX) > 0.3*trm[3] || math.Abs(trm[5]-cr.lastY) > 0.1*trm[3] {
				cr.runID++
			}
			cr.nextX, cr.lastY = trm[4]+w0*trm[0], trm[5]
			cr.glyphs = append(cr.glyphs, glyph{x: trm[4], y: trm[5], w: w0 * trm[0], size: trm[3], s: txt, run: cr.runID})
		}
		tx := w0*g.size + g.tc
		if step == 1 && code == " " {
			tx += g.tw
		}
		g.tm = matrix{1, 0, 0, 1, tx * g.th, 0}.mul(g.tm)
	}
}
