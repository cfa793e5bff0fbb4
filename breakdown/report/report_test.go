package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"closedset/breakdown"
)

func TestEstimateDays(t *testing.T) {
	scene := func(heading string, eighths int, cats ...breakdown.Category) breakdown.Scene {
		sc := breakdown.Scene{Heading: heading, Eighths: eighths, NeedsIC: len(cats) > 0}
		for _, c := range cats {
			sc.Flags = append(sc.Flags, breakdown.Flag{Category: c})
		}
		return sc
	}
	tests := []struct {
		name   string
		scenes []breakdown.Scene
		want   Estimate
	}{
		{"nothing flagged needs no IC", []breakdown.Scene{scene("INT. A - DAY", 8)}, Estimate{}},
		{"no scenes at all", nil, Estimate{}},
		{"one kiss: base day and a quarter, rounded up to a half",
			[]breakdown.Scene{scene("INT. A - DAY", 3, breakdown.Kissing)}, Estimate{PrepDays: 1.5, ShootDays: 1}},
		{"nudity adds a rider",
			[]breakdown.Scene{scene("INT. A - DAY", 3, breakdown.Nudity)}, Estimate{PrepDays: 2, ShootDays: 1}},
		{"a minor adds guardian time",
			[]breakdown.Scene{scene("INT. A - DAY", 3, breakdown.Kissing, breakdown.Minor)}, Estimate{PrepDays: 1.5, ShootDays: 1}},
		{"rider and minor in one scene",
			[]breakdown.Scene{scene("INT. A - DAY", 3, breakdown.SexualViolence, breakdown.Minor)}, Estimate{PrepDays: 2, ShootDays: 1}},
		{"one rider per scene however many rider categories",
			[]breakdown.Scene{scene("INT. A - DAY", 3, breakdown.Nudity, breakdown.SimulatedSex)}, Estimate{PrepDays: 2, ShootDays: 1}},
		{"rooms of one house are one location",
			[]breakdown.Scene{
				scene("INT. NORA'S HOUSE - BEDROOM - NIGHT", 2, breakdown.Kissing),
				scene("INT. NORA'S HOUSE - BATHROOM - NIGHT", 2, breakdown.HyperExposed),
				scene("EXT. NORA'S HOUSE - DAY", 2, breakdown.Kissing),
			}, Estimate{PrepDays: 2, ShootDays: 1}},
		{"each location is a day",
			[]breakdown.Scene{
				scene("INT. BEDROOM - NIGHT", 2, breakdown.Kissing),
				scene("INT. MORGUE - DAY", 2, breakdown.HyperExposed),
				scene("INT. OFFICE - DAY", 8),
			}, Estimate{PrepDays: 1.5, ShootDays: 2}},
		{"long flagged scenes at one location: 3 pages a day",
			[]breakdown.Scene{
				scene("INT. HOTEL - NIGHT", 20, breakdown.SimulatedSex),
				scene("INT. HOTEL - LATER", 20, breakdown.SimulatedSex),
			}, Estimate{PrepDays: 2.5, ShootDays: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EstimateDays(&breakdown.Breakdown{Scenes: tt.scenes})
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLocation(t *testing.T) {
	for heading, want := range map[string]string{
		"INT. NORA'S HOUSE - BEDROOM - NIGHT": "NORA'S HOUSE",
		"EXT. Harbor Wall - DAWN":             "HARBOR WALL",
		"INT. MORGUE":                         "MORGUE",
		"TITLE CARD":                          "TITLE CARD",
	} {
		if got := Location(heading); got != want {
			t.Errorf("Location(%q) = %q, want %q", heading, got, want)
		}
	}
}

func TestSafeCellStopsFormulas(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil")`: `'=HYPERLINK("http://evil")`,
		"+1+1":                      "'+1+1",
		"-2+3":                      "'-2+3",
		"@SUM(A1)":                  "'@SUM(A1)",
		"\t=1":                      "' =1",
		"INT. BEDROOM - NIGHT":      "INT. BEDROOM - NIGHT",
		"a = b":                     "a = b",
		"":                          "",
		"red \x1b[31m":              "red \uFFFD[31m",
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownEscapeKeepsScriptTextLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"He kisses her.":            "He kisses her.",
		"*bold* _it_ `code`":        `\*bold\* \_it\_ \` + "`code\\`",
		"<script>alert(1)</script>": `\<script\>alert(1)\</script\>`,
		"A | B & C [x](y)":          `A \| B \& C \[x\](y)`,
		"line\nbreak":               "line break",
	} {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		text, match string
		want        segment
	}{
		{"He kisses her.", "kisses", segment{"He ", "kisses", " her."}},
		{"A kiss, then kisses.", "kisses", segment{"A kiss, then ", "kisses", "."}},
		{"Kisses everywhere.", "kisses", segment{"", "Kisses", " everywhere."}},
		{"She unbuttons. Unbuttons her", "unbuttons her", segment{"She unbuttons. ", "Unbuttons her", ""}},
		{"Nothing here.", "kiss", segment{Before: "Nothing here."}},
		{"The bathroom, then the bath.", "bath", segment{"The bathroom, then the ", "bath", "."}},
		{"Empty match.", "", segment{Before: "Empty match."}},
	}
	for _, tt := range tests {
		got := highlight(breakdown.Evidence{Text: tt.text, Match: tt.match})
		if got != tt.want {
			t.Errorf("highlight(%q, %q) = %+v, want %+v", tt.text, tt.match, got, tt.want)
		}
		if got.Before+got.Match+got.After != tt.text {
			t.Errorf("highlight(%q, %q) lost text: %+v", tt.text, tt.match, got)
		}
	}
}

// TestJSONListsEveryScene holds the contract: every scene, flagged or not,
// with [] rather than null for empty lists.
func TestJSONListsEveryScene(t *testing.T) {
	b := &breakdown.Breakdown{Title: "T", Format: "fountain", Scenes: []breakdown.Scene{
		{Index: 1, Heading: "INT. A - DAY"},
		{Index: 2, Heading: "INT. B - DAY", NeedsIC: true, Flags: []breakdown.Flag{{Category: breakdown.Kissing, Confidence: 0.9}}},
	}}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, b); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "null") {
		t.Errorf("JSON has null lists:\n%s", out)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc["scenes"].([]any)); n != 2 {
		t.Errorf("%d scenes in JSON, want 2", n)
	}
	if b.Scenes[0].Flags != nil {
		t.Error("WriteJSON changed its input")
	}
}

// TestCSVOpensAsATable checks the shape a spreadsheet relies on: a BOM,
// then rows of the header's width.
func TestCSVOpensAsATable(t *testing.T) {
	b := analyzeFile(t, goldenScripts["traps"])
	var buf bytes.Buffer
	if err := WriteCSV(&buf, b); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(buf.Bytes(), []byte(utf8BOM))
	if !ok {
		t.Fatal("CSV does not start with a UTF-8 BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	flags := 0
	for _, sc := range b.Scenes {
		flags += len(sc.Flags)
	}
	if len(rows) != flags+1 {
		t.Errorf("%d rows, want a header and %d flags", len(rows), flags)
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q could run as a formula", cell)
			}
		}
	}
}
