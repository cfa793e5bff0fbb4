package screenplay

import (
	"closedset"
	"context"
	"testing"
	"time"
)

// FuzzPDF checks that no byte string makes the PDF reader panic, hang or
// return an error that is not a reading error (readError), and that what it reads is a sound
// Script. Seeds are in testdata/fuzz/FuzzPDF.
func FuzzPDF(f *testing.F) {
	f.Add(minimalPDF([]byte("BT /F1 12 Tf 108 700 Td (INT. HOUSE - DAY) Tj ET"), ""))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s, err := ReadContext(ctx, data, Options{Name: "fuzz.pdf", Format: PDF})
		if checkReadResult(t, s, err) {
			checkScript(t, s, len(s.Lines))
		}
	})
}

// FuzzText does the same for laid-out plain text.
func FuzzText(f *testing.F) {
	f.Add("INT. HOUSE - DAY\n                         ANNA\n               Hi.\n\f  2.\n")
	f.Add("           INT. FLAT - NIGHT\n           MARA (30s) and Will kiss. Will’s hand. Dr. Okafor, DR.\n\n" +
		"                                 WILL\n                        (to Mara)\n                        Will you?\n" +
		"                                 DR. OKAFOR\n                        Grace.\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Read([]byte(text), Options{Name: "fuzz.txt", Format: Text})
		if checkReadResult(t, s, err) {
			checkScript(t, s, countLines([]byte(text)))
		}
	})
}

// checkReadResult fails on an error without a kind or a nil script without
// an error, and reports whether there is a script to check further.
func checkReadResult(t *testing.T, s *Script, err error) bool {
	t.Helper()
	if err != nil {
		if why(err) == nil || closedset.KindOf(err) == "" {
			t.Fatalf("error is not a reading error: %v", err)
		}
		return false
	}
	if s == nil {
		t.Fatal("nil script and nil error")
	}
	return true
}
