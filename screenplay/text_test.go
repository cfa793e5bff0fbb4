package screenplay

import (
	"os"
	"strings"
	"testing"
)

func readTextFixture(t *testing.T, name string) *Script {
	t.Helper()
	data, err := os.ReadFile("testdata/text/" + name)
	if err != nil {
		t.Fatal(err)
	}
	text, err := decodeText(data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := readText(text, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The text pdftotext -layout makes of pilot.pdf must read as the PDF does:
// both readers judge the same rows by the same rules.
func TestTextReadsLikeThePDFItCameFrom(t *testing.T) {
	fromText := readTextFixture(t, "pilot-layout.txt")
	fromPDF, err := readPDF(t.Context(), readFixture(t, "pilot.pdf"), "pilot.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if fromText.Format != Text || fromText.Pages != 3 {
		t.Errorf("Format %q, Pages %d; want text, 3", fromText.Format, fromText.Pages)
	}
	for i := range max(len(fromText.Elements), len(fromPDF.Elements)) {
		if i >= len(fromText.Elements) || i >= len(fromPDF.Elements) {
			t.Errorf("element counts differ: text %d, pdf %d", len(fromText.Elements), len(fromPDF.Elements))
			break
		}
		a, b := fromText.Elements[i], fromPDF.Elements[i]
		if a.Type != b.Type || a.Text != b.Text || a.Number != b.Number || a.Dual != b.Dual || a.Page != b.Page {
			t.Errorf("element %d: text gives %s %q #%s p%d, pdf gives %s %q #%s p%d",
				i, a.Type, a.Text, a.Number, a.Page, b.Type, b.Text, b.Number, b.Page)
		}
	}
	if fromText.TitleValue("Author") != "Ada Lovelace" {
		t.Errorf("title page: %+v", fromText.Title)
	}
}

func TestTextCopiedOutOfAPDF(t *testing.T) {
	s := readTextFixture(t, "copied.txt")
	type el struct {
		typ  ElementType
		text string
		line int
	}
	want := []el{
		{SceneHeading, "INT. KITCHEN - NIGHT", 2},
		{Action, "Anna stands at the sink. She doesn’t turn.", 3},
		{Character, "MARK", 4},
		{Dialogue, "You said “later.” It is later.", 5},
		{SceneHeading, "EXT. GARDEN - CONTINUOUS", 6},
		{Action, "Rain on the glass.", 7},
		{Character, "ANNA", 8},
		{Parenthetical, "(quietly)", 9},
		{Dialogue, "Not now.", 10},
		{Transition, "CUT TO:", 12},
		{SceneHeading, "INT. BEDROOM - LATER", 14},
		{Action, "They kiss.", 16},
	}
	var got []el
	for _, e := range s.Elements {
		got = append(got, el{e.Type, e.Text, e.Line})
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
	if s.Lines != nil {
		t.Errorf("Lines set for text input; Line numbers must be the input's own")
	}
}

func TestTextRepairs(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"apostrophe read as Windows-1252", "doesnâ€™t", "doesn’t"},
		{"quotes", "â€œhiâ€\u009d", "“hi”"},
		{"closing quote with its last byte lost", "â€œhiâ€", "“hi”"},
		{"dash", "wait â€” no", "wait — no"},
		{"accented letter", "cafÃ©", "café"},
		{"clean text is left alone", "Ça va? Ünïcode’s fine", "Ça va? Ünïcode’s fine"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fixMojibake(tc.in); got != tc.want {
				t.Errorf("fixMojibake(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTextFormFeedsArePages(t *testing.T) {
	in := "INT. A - DAY\n\nOne.\n\fINT. B - DAY\n\nTwo.\n\f"
	s, err := readText(in, "t")
	if err != nil {
		t.Fatal(err)
	}
	var pages []int
	for _, e := range s.Elements {
		pages = append(pages, e.Page)
	}
	if s.Pages != 2 || len(pages) != 4 || pages[0] != 1 || pages[2] != 2 {
		t.Errorf("Pages %d, element pages %v; want 2 pages, [1 1 2 2]", s.Pages, pages)
	}
	if !strings.HasPrefix(s.Elements[2].Text, "INT. B") || s.Elements[2].Line != 4 {
		t.Errorf("element after the form feed: %+v", s.Elements[2])
	}
}

func TestTextEmpty(t *testing.T) {
	for _, in := range []string{"", "   \n\n\t\n", "\f\f"} {
		if _, err := readText(in, "t"); why(err) != ErrEmpty {
			t.Errorf("readText(%q) error %v, want kind %q", in, err, ErrEmpty)
		}
	}
}
