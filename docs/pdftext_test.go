package docs

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/unicode/norm"
)

// pdfText reads a PDF back and returns each page's text, one line per text
// object (fpdf draws each line of a cell in its own BT ... ET).
//
// ledongthuc/pdf parses the file and the content streams, but its ToUnicode
// decoder only carries the last byte of a bfrange offset, so every rune above
// U+00FF (em dashes, "ễ", "Дарья") comes out wrong through Page.Content. fpdf
// writes its UTF-8 fonts as Type0 / Identity-H with CIDs equal to Unicode
// code points and a ToUnicode CMap mapping <0000>-<FFFF> to the same values;
// this helper checks that CMap on every font it meets and then decodes the
// two-byte codes itself, which is what any conforming reader does.
func pdfText(t *testing.T, b []byte) []string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("read pdf: %v", err)
	}
	var pages []string
	for i := 1; i <= r.NumPage(); i++ {
		pg := r.Page(i)
		if pg.V.IsNull() {
			t.Fatalf("page %d missing", i)
		}
		fonts := pg.Resources().Key("Font")
		checked := map[string]bool{}
		var sb strings.Builder
		var font string
		show := func(raw string) {
			f := fonts.Key(font)
			if f.Key("Subtype").Name() != "Type0" || f.Key("Encoding").Name() != "Identity-H" {
				t.Fatalf("page %d: font %s is %s/%s, want Type0/Identity-H", i, font, f.Key("Subtype").Name(), f.Key("Encoding").Name())
			}
			if !checked[font] {
				checkIdentityToUnicode(t, f)
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
		pages = append(pages, norm.NFC.String(sb.String()))
	}
	return pages
}

// checkIdentityToUnicode fails unless the font maps its codes to the same
// Unicode values, which is what makes the text extractable at all.
func checkIdentityToUnicode(t *testing.T, f pdf.Value) {
	t.Helper()
	base := f.Key("BaseFont").Name()
	rc := f.Key("ToUnicode").Reader()
	cm, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatalf("font %s: read ToUnicode: %v", base, err)
	}
	if !bytes.Contains(cm, []byte("<0000> <FFFF> <0000>")) {
		t.Fatalf("font %s: ToUnicode is not the identity map:\n%s", base, cm)
	}
}

// flat joins the pages and undoes line wrapping, so a long value reads as one
// string whichever width it was wrapped to.
func flat(pages []string) string {
	s := strings.Join(pages, "\n")
	return strings.Join(strings.Fields(s), " ")
}
