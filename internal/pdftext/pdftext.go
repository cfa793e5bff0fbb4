// Package pdftext reads the text of the PDFs closedset writes (riders,
// summaries) back, for tests that check what a document says.
//
// ledongthuc/pdf parses the file and the content streams, but its
// ToUnicode decoder only carries the last byte of a bfrange offset, so
// every rune above U+00FF (em dashes, "ễ", "Дарья") comes out wrong
// through Page.Content. fpdf writes its UTF-8 fonts as Type0 / Identity-H
// with CIDs equal to Unicode code points and a ToUnicode CMap mapping
// <0000>-<FFFF> to the same values; Pages checks that CMap on every font it
// meets and then decodes the two-byte codes itself, as any conforming
// reader does.
package pdftext

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/unicode/norm"
)

// Pages returns each page's text, one line per text object (fpdf draws
// each line of a cell in its own BT ... ET), in NFC.
func Pages(b []byte) (pages []string, err error) {
	defer func() {
		if p := recover(); p != nil { // the reader panics on some damage
			err = fmt.Errorf("read pdf: %v", p)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	for i := 1; i <= r.NumPage(); i++ {
		pg := r.Page(i)
		if pg.V.IsNull() {
			return nil, fmt.Errorf("page %d missing", i)
		}
		text, err := pageText(i, pg)
		if err != nil {
			return nil, err
		}
		pages = append(pages, norm.NFC.String(text))
	}
	return pages, nil
}

func pageText(i int, pg pdf.Page) (string, error) {
	fonts := pg.Resources().Key("Font")
	checked := map[string]bool{}
	var sb strings.Builder
	var font string
	var bad error
	show := func(raw string) {
		f := fonts.Key(font)
		if f.Key("Subtype").Name() != "Type0" || f.Key("Encoding").Name() != "Identity-H" {
			bad = fmt.Errorf("page %d: font %s is %s/%s, want Type0/Identity-H", i, font, f.Key("Subtype").Name(), f.Key("Encoding").Name())
			return
		}
		if !checked[font] {
			if err := identityToUnicode(f); err != nil {
				bad = err
				return
			}
			checked[font] = true
		}
		for j := 0; j+1 < len(raw); j += 2 {
			sb.WriteRune(rune(raw[j])<<8 | rune(raw[j+1]))
		}
	}
	pdf.Interpret(pg.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		n := stk.Len()
		args := make([]pdf.Value, n)
		for k := n - 1; k >= 0; k-- {
			args[k] = stk.Pop()
		}
		switch op {
		case "Tf":
			if n == 2 {
				font = args[0].Name()
			}
		case "Tj", "'", "\"":
			if n > 0 {
				show(args[n-1].RawString())
			}
		case "TJ":
			if n == 1 {
				for k := 0; k < args[0].Len(); k++ {
					if v := args[0].Index(k); v.Kind() == pdf.String {
						show(v.RawString())
					}
				}
			}
		case "ET":
			sb.WriteByte('\n')
		}
	})
	return sb.String(), bad
}

// identityToUnicode fails unless the font maps its codes to the same
// Unicode values, which is what makes the text extractable at all.
func identityToUnicode(f pdf.Value) error {
	base := f.Key("BaseFont").Name()
	rc := f.Key("ToUnicode").Reader()
	cm, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return fmt.Errorf("font %s: read ToUnicode: %w", base, err)
	}
	if !bytes.Contains(cm, []byte("<0000> <FFFF> <0000>")) {
		return fmt.Errorf("font %s: ToUnicode is not the identity map:\n%s", base, cm)
	}
	return nil
}

// Flat joins the pages and undoes line wrapping, so a long value reads as
// one string whichever width it was wrapped to.
func Flat(pages []string) string {
	return strings.Join(strings.Fields(strings.Join(pages, "\n")), " ")
}

// Size is a page's width and height in points (1/72 inch), from its
// MediaBox.
type Size struct{ Width, Height float64 }

// PageSizes returns each page's size, its MediaBox inherited from the page
// tree when the page names none (fpdf writes it once, on the tree's root).
func PageSizes(b []byte) (sizes []Size, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("read pdf: %v", p)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("read pdf: %w", err)
	}
	for i := 1; i <= r.NumPage(); i++ {
		v := r.Page(i).V
		box := v.Key("MediaBox")
		for d := 0; box.IsNull() && !v.IsNull() && d < 32; d++ {
			v = v.Key("Parent")
			box = v.Key("MediaBox")
		}
		if box.Len() != 4 {
			return nil, fmt.Errorf("page %d has no MediaBox", i)
		}
		sizes = append(sizes, Size{box.Index(2).Float64() - box.Index(0).Float64(), box.Index(3).Float64() - box.Index(1).Float64()})
	}
	return sizes, nil
}
