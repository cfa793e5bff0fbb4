package screenplay

import (
	"bytes"
	"closedset"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"
)

// readPDF reads a screenplay printed to PDF. The library gives glyphs with
// positions; rows, margins and element types are recovered from the layout
// (layout.go), the same way readText judges a laid-out text file.
//
// The library can panic on malformed files and has no way to stop, so it runs
// in its own goroutine: a panic becomes ErrMalformed, and when ctx is done we
// return ErrLimit at once and let the goroutine notice ctx between pages.
func readPDF(ctx context.Context, data []byte, name string) (*Script, error) {
	data, err := checkPDF(data)
	if err != nil {
		return nil, err
	}
	type result struct {
		pages []pdfPage
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if r := recover(); r != nil {
				res = result{err: panicError(r, data)}
			}
			done <- res
		}()
		res.pages, res.err = pdfGlyphs(ctx, data)
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		return nil, readError(ErrLimit, 0, ctx.Err(), "reading the PDF took too long and was stopped")
	}
	if res.err != nil {
		return nil, res.err
	}
	return pdfScript(res.pages)
}

// panicError turns a panic from inside the PDF library into a reading error.
func panicError(r any, data []byte) error {
	if lp, ok := r.(limitPanic); ok {
		return lp.err
	}
	if isEncrypted(data) {
		return encryptedError(fmt.Errorf("%v", r))
	}
	return readError(ErrMalformed, 0, nil, "the PDF is damaged and could not be read (%s)", shortPanic(r))
}

func shortPanic(r any) string {
	s := fmt.Sprint(r)
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return strings.ReplaceAll(s, "\n", " ")
}

// pdfPage is one page's glyphs and size in points.
type pdfPage struct {
	width, height float64
	glyphs        []glyph
}

// pdfGlyphs opens the PDF and interprets every page's content.
func pdfGlyphs(ctx context.Context, data []byte) ([]pdfPage, error) {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, openError(err, data)
	}
	refs, err := pageRefs(r.Trailer().Key("Root").Key("Pages"))
	if err != nil {
		return nil, err
	}
	total, left := 0, int64(maxDrawnBytes)
	pages := make([]pdfPage, 0, len(refs))
	for _, ref := range refs {
		if ctx.Err() != nil {
			return nil, readError(ErrLimit, 0, ctx.Err(), "reading the PDF took too long and was stopped")
		}
		cr := contentReader{ctx: ctx, total: &total, left: &left}
		if c := ref.v.Key("Contents"); !c.IsNull() {
			cr.run(c, ref.res, identity, 0)
		}
		pages = append(pages, pdfPage{width: ref.box[2] - ref.box[0], height: ref.box[3] - ref.box[1], glyphs: shiftGlyphs(cr.glyphs, ref.box)})
	}
	if len(pages) == 0 {
		return nil, readError(ErrMalformed, 0, nil, "the PDF has no pages")
	}
	return pages, nil
}

// shiftGlyphs moves glyphs so the page box starts at 0,0.
func shiftGlyphs(gs []glyph, box [4]float64) []glyph {
	for i := range gs {
		gs[i].x -= box[0]
		gs[i].y -= box[1]
	}
	return gs
}

type pageRef struct {
	v   pdf.Value
	res pdf.Value
	box [4]float64
}

// pageRefs walks the page tree once, passing inherited resources and page
// boxes down. (The library's Page(i) walks the tree from the root for every
// page and follows Parent links, which a hostile file can make cyclic.)
func pageRefs(root pdf.Value) ([]pageRef, error) {
	var out []pageRef
	nodes := 0
	var walk func(n, res pdf.Value, box [4]float64, depth int) error
	walk = func(n, res pdf.Value, box [4]float64, depth int) error {
		nodes++
		if depth > 64 || nodes > maxPageTreeNode {
			return readError(ErrLimit, 0, nil, "the PDF's page tree is nested too deeply or too large")
		}
		if r := n.Key("Resources"); !r.IsNull() {
			res = r
		}
		if b, ok := readBox(n.Key("CropBox")); ok {
			box = b
		} else if b, ok := readBox(n.Key("MediaBox")); ok {
			box = b
		}
		kids := n.Key("Kids")
		if n.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array {
			for i := range kids.Len() {
				if err := walk(kids.Index(i), res, box, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if n.Kind() != pdf.Dict {
			return nil
		}
		if len(out) >= maxPDFPages {
			return readError(ErrLimit, 0, nil, "the PDF has more than %d pages, more than any screenplay", maxPDFPages)
		}
		out = append(out, pageRef{v: n, res: res, box: box})
		return nil
	}
	letter := [4]float64{0, 0, 612, 792}
	if err := walk(root, pdf.Value{}, letter, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func readBox(v pdf.Value) ([4]float64, bool) {
	var b [4]float64
	if v.Kind() != pdf.Array || v.Len() != 4 {
		return b, false
	}
	for i := range b {
		b[i] = v.Index(i).Float64()
	}
	if b[0] > b[2] {
		b[0], b[2] = b[2], b[0]
	}
	if b[1] > b[3] {
		b[1], b[3] = b[3], b[1]
	}
	if b[2]-b[0] < 72 || b[3]-b[1] < 72 || b[2]-b[0] > 14400 || b[3]-b[1] > 14400 {
		return b, false
	}
	return b, true
}

// openError explains why the library could not open the file.
func openError(err error, data []byte) error {
	if isEncrypted(data) || errors.Is(err, pdf.ErrInvalidPassword) {
		return encryptedError(err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "missing %%EOF"), strings.Contains(msg, "startxref"):
		return readError(ErrMalformed, 0, err, "the PDF is truncated or damaged (its end-of-file table is missing); save or export it again")
	}
	return readError(ErrMalformed, 0, err, "the PDF is damaged and could not be read (%s)", msg)
}

// isEncrypted reports whether the file's trailer names an encryption
// dictionary.
func isEncrypted(data []byte) bool {
	return bytes.Contains(data, []byte("/Encrypt"))
}

func encryptedError(err error) *closedset.Error {
	return readError(ErrMalformed, 0, err, "the PDF is encrypted (password-protected) in a way that cannot be read; export an unprotected PDF, or FDX or Fountain")
}

// pdfScript turns the pages' glyphs into rows and reads the screenplay from
// their layout.
func pdfScript(pages []pdfPage) (*Script, error) {
	var rows []*row
	glyphs := 0
	for i, p := range pages {
		glyphs += len(p.glyphs)
		rows = append(rows, glyphRows(p.glyphs, i+1, p.height)...)
	}
	if glyphs == 0 {
		return nil, readError(ErrNoText, 0, nil, "the PDF has %d page(s) but no text layer: it looks scanned; run it through OCR or export the script again from the writing software", len(pages))
	}
	doc := &layoutDoc{format: PDF, pages: len(pages), rows: rows, lines: renderLines(rows)}
	for _, p := range pages {
		doc.pageHeights = append(doc.pageHeights, p.height/lineHeight)
	}
	s := doc.script()
	if len(s.Elements) == 0 && len(s.Title) == 0 {
		return nil, readError(ErrEmpty, 0, nil, "the PDF has text but nothing that reads as a screenplay")
	}
	return s, nil
}
