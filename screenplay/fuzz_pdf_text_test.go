package screenplay

import (
	"context"
	"testing"
	"time"
)

// FuzzPDF checks that no byte string makes the PDF reader panic, hang or
// return an error that is not an *Error. Seeds are in testdata/fuzz/FuzzPDF.
func FuzzPDF(f *testing.F) {
	f.Add(minimalPDF([]byte("BT /F1 12 Tf 108 700 Td (INT. HOUSE - DAY) Tj ET"), ""))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s, err := readPDF(ctx, data, "fuzz.pdf")
		checkReadResult(t, s, err)
	})
}

// FuzzText does the same for laid-out plain text.
func FuzzText(f *testing.F) {
	f.Add("INT. HOUSE - DAY\n                         ANNA\n               Hi.\n\f  2.\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := readText(text, "fuzz.txt")
		checkReadResult(t, s, err)
		if err == nil {
			lines := len(splitLines(text))
			for _, e := range s.Elements {
				if e.Line < 1 || e.Line > lines {
					t.Fatalf("%s %q at line %d of %d", e.Type, e.Text, e.Line, lines)
				}
			}
		}
	})
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i == len(s) {
			break
		}
		s = s[i+1:]
	}
	if len(out) == 0 {
		out = append(out, "")
	}
	return append(out, "")
}

func checkReadResult(t *testing.T, s *Script, err error) {
	t.Helper()
	if err != nil {
		if KindOf(err) == "" {
			t.Fatalf("error is not an *Error: %v", err)
		}
		return
	}
	if s == nil {
		t.Fatal("nil script and nil error")
	}
}
