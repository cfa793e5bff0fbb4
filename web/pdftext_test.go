package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// pdfText reads a PDF back as text, pages joined and runs of space made
// one. The documents' fonts are Type0/Identity-H with code points as
// CIDs (see docs' own pdfText), so two-byte codes are decoded directly.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("read pdf: %v", err)
	}
	var sb strings.Builder
	show := func(raw string) {
		for j := 0; j+1 < len(raw); j += 2 {
			sb.WriteRune(rune(raw[j])<<8 | rune(raw[j+1]))
		}
	}
	for i := 1; i <= r.NumPage(); i++ {
		pg := r.Page(i)
		pdf.Interpret(pg.V.Key("Contents"), func(stk *pdf.Stack, op string) {
			n := stk.Len()
			args := make([]pdf.Value, n)
			for k := n - 1; k >= 0; k-- {
				args[k] = stk.Pop()
			}
			switch op {
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
	}
	return strings.Join(strings.Fields(sb.String()), " ")
}
