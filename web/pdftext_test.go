package web

import (
	"testing"

	"closedset/internal/pdftext"
)

// pdfText reads a PDF back as text, pages joined and runs of space made
// one (see pdftext).
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	pages, err := pdftext.Pages(b)
	if err != nil {
		t.Fatalf("read pdf: %v", err)
	}
	return pdftext.Flat(pages)
}
