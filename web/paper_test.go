package web

import (
	"math"
	"net/http"
	"testing"

	"closedset/internal/pdftext"
)

// TestPDFPaperFollowsTheProductionsZone: a production in Los Angeles or
// Toronto gets its riders and top-line summaries on US Letter, one in
// London on A4, read back from the PDFs' page boxes.
func TestPDFPaperFollowsTheProductionsZone(t *testing.T) {
	letter, a4 := pdftext.Size{Width: 612, Height: 792}, pdftext.Size{Width: 595.28, Height: 841.89}
	for zone, want := range map[string]pdftext.Size{"America/Los_Angeles": letter, "America/Toronto": letter, "Europe/London": a4} {
		t.Run(zone, func(t *testing.T) {
			l := newLedger(t, zone)
			nora := l.castNora(false)
			rider := l.issue(nora)
			check := func(path string) {
				t.Helper()
				w := l.do(call{method: "GET", path: path, cred: l.as("ic")})
				if w.Code != http.StatusOK {
					t.Fatalf("%s: %d %s", path, w.Code, w.Body)
				}
				sizes, err := pdftext.PageSizes(w.Body.Bytes())
				if err != nil || len(sizes) == 0 {
					t.Fatalf("%s: page sizes %v, %v", path, sizes, err)
				}
				for i, s := range sizes {
					if math.Abs(s.Width-want.Width) > 0.5 || math.Abs(s.Height-want.Height) > 0.5 {
						t.Errorf("%s page %d is %.2f x %.2f pt, want %.2f x %.2f", path, i+1, s.Width, s.Height, want.Width, want.Height)
					}
				}
				if pdfText(t, w.Body.Bytes()) == "" {
					t.Errorf("%s has no text", path)
				}
			}
			check(rider.PDF)
			l.sign("nora", rider, "Nora Vance")
			check(rider.PDF) // signed, with its certificate
			check(l.scenePath("5", "/summary.pdf"))
		})
	}
}
