package docs

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// PageSize is the paper a PDF is laid out on.
type PageSize string

// Paper sizes; the zero PageSize is A4.
const (
	A4     PageSize = "A4"
	Letter PageSize = "Letter"
)

// letterZones are the time zone prefixes of the places that print on US
// Letter: the Americas (the United States, Canada, Mexico and most of
// Central America print on Letter; a few South American countries use A4,
// but the production's zone is the one fact every production has), and the
// US's own legacy names. Everywhere else is A4.
var letterZones = []string{"America/", "US/", "Canada/", "Pacific/Honolulu"}

// PageSizeFor is the paper of a production's documents, decided from its
// time zone (an IANA name such as America/Los_Angeles): Letter in the
// Americas, A4 elsewhere. It is the one place that decides it.
func PageSizeFor(timeZone string) PageSize {
	for _, z := range letterZones {
		if strings.HasPrefix(timeZone, z) {
			return Letter
		}
	}
	return A4
}

// dejaVuSans fills in what the Go fonts lack (Vietnamese letters such as
// "ễ", many other scripts). It is used for a whole paragraph at a time, only
// when that paragraph needs it, and embedded (subset) only then.
//
//go:embed fonts/DejaVuSans.ttf
var dejaVuSans []byte

const (
	famGo       = "go"
	famFallback = "dejavu"
)

// coverage is the set of BMP runes a font has glyphs for.
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool { return r >= 0 && r < 0x10000 && c[r/64]&(1<<(r%64)) != 0 }

var (
	coverOnce              sync.Once
	goCover, fallbackCover coverage
	errCoverage            error
)

// loadCoverage reads which runes each font can draw, once per process. The
// Go family's coverage is what all four of its faces share.
func loadCoverage() error {
	coverOnce.Do(func() {
		scan := func(dst *coverage, fonts ...[]byte) error {
			var buf sfnt.Buffer
			parsed := make([]*sfnt.Font, len(fonts))
			for i, b := range fonts {
				f, err := sfnt.Parse(b)
				if err != nil {
					return fmt.Errorf("parse font: %w", err)
				}
				parsed[i] = f
			}
			for r := rune(0x20); r < 0x10000; r++ {
				all := true
				for _, f := range parsed {
					if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
						all = false
						break
					}
				}
				if all {
					dst[r/64] |= 1 << (r % 64)
				}
			}
			return nil
		}
		if errCoverage = scan(&goCover, goregular.TTF, gobold.TTF, goitalic.TTF, gobolditalic.TTF); errCoverage != nil {
			return
		}
		errCoverage = scan(&fallbackCover, dejaVuSans)
	})
	return errCoverage
}

// sanitize makes any string printable: invalid UTF-8 becomes U+FFFD, tabs
// and other control characters become spaces (newlines stay when keepLines).
func sanitize(s string, keepLines bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && keepLines:
			return r
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			if keepLines && (r == '\r' || r == '\u2028' || r == '\u2029') {
				return '\n'
			}
			return ' '
		}
		return r
	}, s)
}

// shape picks the font family for a paragraph and spells out any rune that
// neither font can draw as <U+XXXX>, so no character is silently lost.
func shape(s string) (family, text string) {
	family = famGo
	for _, r := range s {
		if r != '\n' && !goCover.has(r) && fallbackCover.has(r) {
			family = famFallback
			break
		}
	}
	cover := &goCover
	if family == famFallback {
		cover = &fallbackCover
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\n' || r == ' ' || cover.has(r) {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "<U+%04X>", r)
	}
	return family, b.String()
}

// pdfDoc is one PDF being laid out: fpdf plus our fonts, footer and
// text helpers. Units are millimetres.
type pdfDoc struct {
	f     *fpdf.Fpdf
	added map[string]bool // font faces added so far
	width float64         // usable text width
	left  float64
}

const (
	bodySize  = 10.0
	lineH     = 5.0
	smallSize = 8.5
)

// newPDF starts a document whose metadata and dates come from its content,
// so the same input gives the same bytes.
func newPDF(size PageSize, title, footer string, when time.Time) (*pdfDoc, error) {
	if err := loadCoverage(); err != nil {
		return nil, err
	}
	paper := "A4"
	switch size {
	case "", A4:
	case Letter:
		paper = "Letter"
	default:
		return nil, fmt.Errorf("unknown page size %q (want %q or %q)", size, A4, Letter)
	}
	f := fpdf.New("P", "mm", paper, "")
	f.SetMargins(18, 16, 18)
	f.SetAutoPageBreak(true, 20)
	f.SetCreator("closedset", true)
	f.SetProducer("closedset", true)
	f.SetTitle(sanitize(title, false), true)
	f.SetCreationDate(when)
	f.SetModificationDate(when)
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	p := &pdfDoc{f: f, added: map[string]bool{}}
	w, _ := f.GetPageSize()
	l, _, r, _ := f.GetMargins()
	p.left, p.width = l, w-l-r
	footer = sanitize(footer, false)
	f.SetFooterFunc(func() {
		f.SetY(-14)
		f.SetTextColor(90, 90, 90)
		fam, txt := shape(footer + " · page " + fmt.Sprint(f.PageNo()) + " of {nb}")
		p.useFamily(fam, "", smallSize)
		f.CellFormat(0, 4, txt, "", 0, "C", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	return p, nil
}

// faces are the font files by family and style. fpdf parses a whole font
// file when it is added, so a face is added only when a document first uses it.
var faces = map[string][]byte{
	famGo + "":       goregular.TTF,
	famGo + "B":      gobold.TTF,
	famGo + "I":      goitalic.TTF,
	famGo + "BI":     gobolditalic.TTF,
	famFallback + "": dejaVuSans,
}

func (p *pdfDoc) useFamily(family, style string, size float64) {
	if family == famFallback {
		style = "" // one face is enough to fill gaps
	}
	if key := family + style; !p.added[key] {
		p.f.AddUTF8FontFromBytes(family, style, faces[key])
		p.added[key] = true
	}
	p.f.SetFont(family, style, size)
}

// ensure starts a new page when fewer than h millimetres are left, so a label
// never sits alone at the foot of a page.
func (p *pdfDoc) ensure(h float64) {
	_, ph := p.f.GetPageSize()
	_, _, _, bottom := p.f.GetMargins()
	if p.f.GetY()+h > ph-bottom {
		p.f.AddPage()
	}
}

// text writes a wrapped paragraph at x offset indent; MultiCell breaks long
// words and pages as needed, so nothing runs off the page.
func (p *pdfDoc) text(style string, size, indent float64, s string) {
	s = strings.TrimRight(sanitize(s, true), "\n ")
	if s == "" {
		return
	}
	fam, txt := shape(s)
	p.useFamily(fam, style, size)
	p.f.SetX(p.left + indent)
	p.f.MultiCell(p.width-indent, size*0.5, txt, "", "L", false)
}

func (p *pdfDoc) title(s string) {
	p.text("B", 16, 0, s)
	p.f.Ln(1)
}

func (p *pdfDoc) heading(s string) {
	p.ensure(22)
	p.f.Ln(3)
	p.text("B", 12.5, 0, s)
	y := p.f.GetY() + 0.5
	p.f.SetDrawColor(120, 120, 120)
	p.f.Line(p.left, y, p.left+p.width, y)
	p.f.Ln(2)
}

// field writes a label and its value below it.
func (p *pdfDoc) field(label, value string) {
	p.ensure(12)
	p.f.SetTextColor(80, 80, 80)
	p.text("B", smallSize, 0, label)
	p.f.SetTextColor(0, 0, 0)
	p.text("", bodySize, 0, orNone(value))
	p.f.Ln(1.2)
}

// list writes a label and one bullet per item, or "none".
func (p *pdfDoc) list(label string, items []string) {
	if len(items) == 0 {
		p.field(label, "")
		return
	}
	p.ensure(12)
	p.f.SetTextColor(80, 80, 80)
	p.text("B", smallSize, 0, label)
	p.f.SetTextColor(0, 0, 0)
	for _, it := range items {
		p.ensure(lineH)
		p.useFamily(famGo, "", bodySize)
		p.f.SetX(p.left + 1)
		p.f.CellFormat(4, bodySize*0.5, "•", "", 0, "L", false, 0, "")
		p.text("", bodySize, 5, orNone(it))
	}
	p.f.Ln(1.2)
}

// output finishes the document into w. fpdf writes nothing when it has
// recorded an error, so a failed document leaves w untouched.
func (p *pdfDoc) output(w io.Writer) error {
	var buf bytes.Buffer
	if err := p.f.Output(&buf); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// shortDigest is the part of a digest printed in footers.
func shortDigest(d string) string {
	if utf8.RuneCountInString(d) > 12 {
		return d[:12]
	}
	return d
}
