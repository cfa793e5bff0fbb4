package docs

import (
	"testing"

	"closedset/internal/pdftext"
)

// pdfText reads a PDF back and returns each page's text (see pdftext).
func pdfText(t *testing.T, b []byte) []string {
	t.Helper()
	pages, err := pdftext.Pages(b)
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// flat joins the pages and undoes line wrapping.
func flat(pages []string) string { return pdftext.Flat(pages) }
