package screenplay

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The fixtures in testdata/pdf are written by internal/pdfgen.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/pdf/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestPDFElementsFromLayout(t *testing.T) {
	s, err := readPDF(context.Background(), readFixture(t, "pilot.pdf"), "pilot.pdf")
	if err != nil {
		t.Fatal(err)
	}
	type el struct {
		typ    ElementType
		text   string
		number string
		dual   bool
	}
	want := []el{
		{ActBreak, "COLD OPEN", "", false},
		{SceneHeading, "INT. HOSPITAL CORRIDOR - NIGHT", "1", false},
		{Action, "NORA (34) pushes a gurney through the swinging doors. The\nlights flicker.", "", false},
		{Character, "NORA", "", false},
		{Parenthetical, "(to herself)", "", false},
		{Dialogue, "Not tonight. Please, not\ntonight.", "", false},
		{Action, "ANGLE ON the clock: 3:14.", "", false},
		{Transition, "CUT TO:", "", false},
		{SceneHeading, "EXT. HOSPITAL PARKING LOT - CONTINUOUS", "A1", false},
		{Action, "Rain. MARK (40s) runs for the entrance.", "", false},
		{Character, "MARK", "", false},
		{Dialogue, "Nora! Nora, wait. I have to tell\nyou something before the board\nmeets.", "", false},
		{Character, "MARK", "", false},
		{Dialogue, "It's about the transfer.", "", false},
		{ActBreak, "END OF COLD OPEN", "", false},
		{ActBreak, "ACT ONE", "", false},
		{SceneHeading, "INT. NORA'S APARTMENT - BEDROOM - LATER THAT NIGHT WHEN THE STORM HAS PASSED", "2", false},
		{Action, "Nora and Mark sit on the edge of the bed.", "", false},
		{Character, "NORA", "", false},
		{Dialogue, "You should have\ntold me.", "", false},
		{Character, "MARK", "", true},
		{Dialogue, "I know. I know.", "", true},
		{Action, "OMITTED", "2A", false},
		{SceneHeading, "TITLE CARD: THREE WEEKS LATER", "2.14", false},
		{Shot, "NEW SHOT", "", false},
		{Action, "They kiss.", "", false},
		{Character, "NORA", "", false},
		{Dialogue, "Goodnight.", "", false},
		{Transition, "FADE OUT.", "", false},
		{ActBreak, "END OF SHOW", "", false},
	}
	var got []el
	for _, e := range s.Elements {
		got = append(got, el{e.Type, e.Text, e.Number, e.Dual})
	}
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("element %d missing, want %+v", i, want[i])
		case i >= len(want):
			t.Errorf("extra element %d: %+v", i, got[i])
		case got[i] != want[i]:
			t.Errorf("element %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestPDFPositions(t *testing.T) {
	s, err := readPDF(context.Background(), readFixture(t, "pilot.pdf"), "pilot.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != PDF || s.Pages != 3 {
		t.Errorf("Format %q, Pages %d; want pdf, 3", s.Format, s.Pages)
	}
	for _, e := range s.Elements {
		first, _, _ := strings.Cut(e.Text, "\n")
		first = first[:min(len(first), 20)] // a wrapped heading is joined into one line
		if e.Line < 1 || e.Line > len(s.Lines) || !strings.Contains(s.Lines[e.Line-1], first) {
			t.Errorf("%s %q: line %d does not hold its text", e.Type, e.Text, e.Line)
		}
	}
	h := s.Elements[1] // INT. HOSPITAL CORRIDOR, the second line of page 2's text area
	if h.Page != 2 || h.PageLine < 1.5 || h.PageLine > 2.5 {
		t.Errorf("heading at page %d line %.1f, want page 2 line 2", h.Page, h.PageLine)
	}
}

func TestPDFTitlePage(t *testing.T) {
	s, err := readPDF(context.Background(), readFixture(t, "pilot.pdf"), "pilot.pdf")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"Title":      "NIGHT SHIFT",
		"Credit":     "Written by",
		"Author":     "Ada Lovelace",
		"Source":     "Based on the novel by\nMary Shelley",
		"Contact":    "Agency Management\nada@example.com",
		"Draft date": "Blue Revision\nMarch 4, 2025",
	} {
		if got := s.TitleValue(key); got != want {
			t.Errorf("title %s = %q, want %q", key, got, want)
		}
	}
	for _, e := range s.Elements {
		if e.Page == 1 {
			t.Errorf("title page text kept as %s %q", e.Type, e.Text)
		}
		if strings.Contains(e.Text, "unregistered") || strings.Contains(e.Text, "NIGHT SHIFT #101") {
			t.Errorf("page furniture kept as %s %q", e.Type, e.Text)
		}
	}
}

// minimalPDF builds a one-page PDF around a content stream, with a correct
// cross-reference table.
func minimalPDF(content []byte, filter string) []byte {
	return pagePDF("4 0 R", content, filter)
}

// pagePDF is minimalPDF with the page's /Contents given: "4 0 R", or an
// array naming stream 4 again and again.
func pagePDF(contents string, content []byte, filter string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents + " /Resources << /Font << /F1 5 0 R >> >> >>")
	offs = append(offs, b.Len())
	fmt.Fprintf(&b, "4 0 obj\n<< /Length %d%s >>\nstream\n", len(content), filter)
	b.Write(content)
	b.WriteString("\nendstream\nendobj\n")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func flateBomb(t *testing.T, limit int64) []byte {
	t.Helper()
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zero := make([]byte, 1<<20)
	for range (limit >> 20) + 8 {
		w.Write(zero)
	}
	w.Close()
	return minimalPDF(z.Bytes(), " /Filter /FlateDecode")
}

func TestPDFHostileInput(t *testing.T) {
	pilot := readFixture(t, "pilot.pdf")
	nested := []byte("%PDF-1.4\n1 0 obj\n" + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\nendobj\nstartxref\n9\n%%EOF\n")
	tests := []struct {
		name string
		data []byte
		kind error
	}{
		{"empty", nil, ErrMalformed},
		{"header only", []byte("%PDF-"), ErrMalformed},
		{"garbage after header", []byte("%PDF-1.7\n" + strings.Repeat("garbage ", 100) + "\n%%EOF"), ErrMalformed},
		{"truncated", pilot[:len(pilot)/2], ErrMalformed},
		{"truncated before the xref", pilot[:len(pilot)-200], ErrMalformed},
		{"encrypted", readFixture(t, "encrypted.pdf"), ErrMalformed},
		{"scanned, no text layer", readFixture(t, "scanned.pdf"), ErrNoText},
		{"deeply nested arrays", nested, ErrLimit},
		{"huge object number", []byte("%PDF-1.4\nxref\n4000000000 1\n0000000009 00000 n \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF"), ErrLimit},
		{"nested arrays inside a stream", minimalPDF([]byte("BT "+strings.Repeat("[", 5000)+" ET"), ""), ErrLimit},
		{"operators with missing operands", minimalPDF([]byte("BT Tf Td TJ Tj ' \" Tm cm Q Q Q ET"), ""), ErrNoText},
		{"unbalanced Q", minimalPDF([]byte("Q Q BT /F1 12 Tf 100 700 Td (INT. HOUSE - DAY) Tj ET"), ""), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readPDF(context.Background(), tc.data, tc.name)
			if got := why(err); got != tc.kind {
				t.Fatalf("error %v (%v), want %v", err, got, tc.kind)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error message is not one line: %q", err)
			}
		})
	}
}

// TestPDFRefusesDecompressionBombs checks the guard with a small limit; the
// real one (maxDecodedBytes) works the same way, only slower to reach.
func TestPDFRefusesDecompressionBombs(t *testing.T) {
	const limit = 4 << 20
	err := checkStreams(flateBomb(t, limit), limit)
	if why(err) != ErrLimit || !strings.Contains(err.Error(), "decompression bomb") {
		t.Errorf("bomb: %v", err)
	}
	if err := checkStreams(readFixture(t, "pilot.pdf"), limit); err != nil {
		t.Errorf("a real PDF under the limit: %v", err)
	}
}

func TestPDFStopsWhenContextIsDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := readPDF(ctx, readFixture(t, "pilot.pdf"), "pilot.pdf")
	if why(err) != ErrLimit {
		t.Errorf("error %v, want %v", err, ErrLimit)
	}
}

func TestReadDetectsPDF(t *testing.T) {
	s, err := Read(readFixture(t, "pilot.pdf"), Options{Name: "pilot.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != PDF || headingCount(s) != 4 {
		t.Errorf("Format %q with %d headings, want pdf with 4", s.Format, headingCount(s))
	}
}
