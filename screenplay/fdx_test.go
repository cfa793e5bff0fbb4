package screenplay

import (
	"closedset"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readFDXFixture reads testdata/fdx/name through Read, so that format
// detection is part of what is tested.
func readFDXFixture(t *testing.T, name string) *Script {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fdx", name))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Read(data, Options{Name: name})
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	if s.Format != FDX {
		t.Fatalf("Read(%s): format %q, want fdx", name, s.Format)
	}
	return s
}

type wantElem struct {
	typ  ElementType
	text string
}

func elemsOf(s *Script) []wantElem {
	var got []wantElem
	for _, e := range s.Elements {
		got = append(got, wantElem{e.Type, e.Text})
	}
	return got
}

func TestReadFDXParagraphs(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []wantElem
	}{
		{"every paragraph type, unknown ones as general, empty ones dropped", "types.fdx", []wantElem{
			{SceneHeading, "INT. HARBOUR OFFICE - NIGHT"},
			{Action, "Rain on the glass."},
			{Character, "NORA"},
			{Parenthetical, "(quietly)"},
			{Dialogue, "Close the door."},
			{Transition, "CUT TO:"},
			{Shot, "ANGLE ON THE DOOR"},
			{General, "Segment 2"},
			{CastList, "NORA, MARK"},
			{Lyrics, "Oh the sea, the sea"},
			{ActBreak, "ACT TWO"},
			{ActBreak, "ACT THREE"},
			{ActBreak, "END OF ACT THREE"},
			{Section, "The storm"},
			{Synopsis, "Nora decides."},
			{General, "Lights fade."},
			{General, "No type at all."},
		}},
		{"runs split mid-word, entities, CDATA, tabs and line breaks", "split-runs.fdx", []wantElem{
			{Dialogue, "What’s up Lincoln?"},
			{Action, `Tom & Jerry <3 "cheese" 'n' ABC <raw> & end`},
			{Action, "Name:\tNora\t(tab separated)"},
			{Action, "First line\nsecond line\nthird line"},
			{Action, "padded"},
		}},
		{"AllCaps from element settings and run styles", "allcaps.fdx", []wantElem{
			{SceneHeading, "INT. MASTER BATH - NIGHT"},
			{Action, "She reads the LETTER again."},
			{Character, "ZOË"},
			{Character, "whisper"},  // its own style has no AllCaps
			{Transition, "Cut to:"}, // the file's settings say not AllCaps
			{General, "SEGMENT ONE"},
		}},
		{"AllCaps defaults when the file has no element settings", "allcaps-defaults.fdx", []wantElem{
			{SceneHeading, "EXT. PRAIRIE - DAY"},
			{Action, "Wind in the wheat."},
			{Character, "HENRY"},
			{Dialogue, "Pa?"},
			{Transition, "FADE OUT."},
			{Shot, "CLOSE ON THE LETTER"},
		}},
		{"script notes kept as notes; summaries, arc beats, headers and metadata ignored", "ignored.fdx", []wantElem{
			{SceneHeading, "INT. SOME PLACE - DAY"},
			{Action, "A character moves across."},
			{Note, "Check the period.\nSecond note line."},
			{Action, "An empty note is no note."},
		}},
		{"dual dialogue", "dual.fdx", []wantElem{
			{Action, "They both talk at once."},
			{Character, "MARY"},
			{Dialogue, "But Daddy--"},
			{Character, "LOUIS"},
			{Parenthetical, "(shouting)"},
			{Dialogue, "I said get!"},
			{Character, "MARY"},
			{Dialogue, "Fine."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := elemsOf(readFDXFixture(t, tt.file))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("elements:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadFDXDualDialogueMarksSecondSpeaker(t *testing.T) {
	s := readFDXFixture(t, "dual.fdx")
	var dual []bool
	for _, e := range s.Elements {
		dual = append(dual, e.Dual)
	}
	want := []bool{false, false, false, true, true, true, false, false}
	if !reflect.DeepEqual(dual, want) {
		t.Errorf("Dual = %v, want %v", dual, want)
	}
}

func TestReadFDXSceneNumbersAndLengths(t *testing.T) {
	s := readFDXFixture(t, "scenes.fdx")
	type heading struct {
		number string
		length int
		text   string
	}
	var got []heading
	for _, e := range s.Elements {
		if e.Type != SceneHeading {
			t.Errorf("unexpected %s %q", e.Type, e.Text)
			continue
		}
		got = append(got, heading{e.Number, e.Length, e.Text})
	}
	want := []heading{
		{"1", 11, "EXT. FRONT DOOR - DAY"},
		{"A1", 3, "INT. HALL - DAY"},
		{"2", 16, "INT. KITCHEN - DAY"},
		{"3", 0, ""}, // an empty numbered heading is still a scene
		{"4", 0, "INT. CELLAR - NIGHT"},
		{"", 0, "SCENE 5 - A STAGE, MID-STORM."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("headings:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseEighths(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"3/8", 3}, {"1", 8}, {"1 3/8", 11}, {" 4 7/8 ", 39}, {"0", 0}, {"0/8", 0},
		{"", 0}, {"abc", 0}, {"9/8", 0}, {"1/4", 0}, {"1 3/8 2", 0}, {"-1", 0},
		{"x 3/8", 0}, {"99999999999", 0}, {"2 0/8", 16},
	}
	for _, tt := range tests {
		if got := parseEighths([]byte(tt.in)); got != tt.want {
			t.Errorf("parseEighths(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestReadFDXRevisions(t *testing.T) {
	s := readFDXFixture(t, "revisions.fdx")
	wantSets := []Revision{
		{ID: "1", Name: "Blue Rev. (03/01/2024)", Color: "blue"}, // from PageColor
		{ID: "2", Name: "Second", Color: "pink"},                 // nearest to its mark colour
		{ID: "3", Name: "Goldenrod", Color: "goldenrod"},         // named, whatever the mark colour
		{ID: "4", Name: "Final", Color: "#000000"},               // black is no revision colour
		{ID: "5", Name: "Network", Color: "cherry"},              // pure red is nearest cherry
		{ID: "6", Name: "Odd", Color: ""},                        // unreadable colour
	}
	if !reflect.DeepEqual(s.Revisions, wantSets) {
		t.Errorf("Revisions:\n got %+v\nwant %+v", s.Revisions, wantSets)
	}
	var got []string
	for _, e := range s.Elements {
		got = append(got, e.Revision)
	}
	want := []string{"", "Blue Rev. (03/01/2024)", "Second", "9"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("element revisions = %q, want %q", got, want)
	}
}

func TestRevisionColour(t *testing.T) {
	tests := []struct{ page, name, mark, want string }{
		{"#FAFACDCD3939", "", "", "goldenrod"},
		{"#FDFDF1F1C7C7", "2nd Tan Rev.", "#000000000000", "tan"},
		{"", "2nd Pink", "#00000000FFFF", "pink"},
		{"", "October 31, 2009", "#00000000FFFF", "blue"},
		{"", "", "#FFFFFFFFFFFF", "white"},
		{"", "", "#123456", "#123456"},
		{"", "", "nonsense", ""},
	}
	for _, tt := range tests {
		if got := revisionColour(tt.page, tt.name, tt.mark); got != tt.want {
			t.Errorf("revisionColour(%q, %q, %q) = %q, want %q", tt.page, tt.name, tt.mark, got, tt.want)
		}
	}
}

func TestReadFDXTitlePage(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []TitleField
	}{
		{"filled in", "titlepage.fdx", []TitleField{
			{"Title", "HARBOUR LIGHTS"},
			{"Credit", "Written by"},
			{"Author", "Ada Quill\n& Ben Fog"},
			{"Source", "Based on the novel by C. Reed"},
			{"Contact", "Quill Pictures\n12 Dock Road"},
			{"Draft date", "Pink Draft 3/14/2024"},
			{"Copyright", "© 2024 Quill Pictures"},
		}},
		{"template placeholders only", "titlepage-template.fdx", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := readFDXFixture(t, tt.file)
			if !reflect.DeepEqual(s.Title, tt.want) {
				t.Errorf("Title:\n got %q\nwant %q", s.Title, tt.want)
			}
		})
	}
}

func TestReadFDXLines(t *testing.T) {
	s := readFDXFixture(t, "split-runs.fdx")
	var lines []int
	for _, e := range s.Elements {
		lines = append(lines, e.Line)
	}
	if want := []int{4, 10, 13, 16, 20}; !reflect.DeepEqual(lines, want) {
		t.Errorf("Line = %v, want %v (the <Paragraph> tags)", lines, want)
	}
	// "First line&#10;second line" is on line 17, "third line" on 18.
	if got, want := s.Elements[3].LineOffsets, []int{1, 1, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("LineOffsets = %v, want %v", got, want)
	}
	for i, e := range s.Elements {
		if i != 3 && e.LineOffsets != nil {
			t.Errorf("element %d: LineOffsets %v on one-line text", i, e.LineOffsets)
		}
	}
}

func TestReadFDXRefusesBadInput(t *testing.T) {
	deep := "<FinalDraft><Content>" + strings.Repeat("<Paragraph>", 200) + strings.Repeat("</Paragraph>", 200) + "</Content></FinalDraft>"
	deepLines := "<FinalDraft>\n" + strings.Repeat("<a>\n", 100) + strings.Repeat("</a>", 100) + "</FinalDraft>"
	manyAttrs := "<FinalDraft" + strings.Repeat(` a="1"`, 300) + "/>"
	tests := []struct {
		name string
		file string // in testdata/fdx/hostile, or
		data string // inline
		kind error
		line int // 0: not checked
		msg  string
	}{
		{name: "billion laughs", file: "billion-laughs.fdx", kind: ErrMalformed, line: 2, msg: "entities"},
		{name: "external entity", file: "external-entity.fdx", kind: ErrMalformed, line: 2, msg: "entities"},
		{name: "undeclared entity", file: "undeclared-entity.fdx", kind: ErrMalformed, line: 4, msg: "unknown entity"},
		{name: "truncated", file: "truncated.fdx", kind: ErrMalformed, msg: "truncated"},
		{name: "unbalanced tags", file: "unbalanced.fdx", kind: ErrMalformed, line: 4, msg: "</Paragraph> closes <Text>"},
		{name: "not a FinalDraft root", file: "wrong-root.fdx", kind: ErrMalformed, line: 3, msg: "not <FinalDraft>"},
		{name: "Latin-1 bytes", file: "latin1-bytes.fdx", kind: ErrMalformed, line: 4, msg: "not UTF-8"},
		{name: "declared non-UTF-8 encoding", file: "latin1-declared.fdx", kind: ErrMalformed, line: 1, msg: "encoding"},
		{name: "control character", file: "control-char.fdx", kind: ErrMalformed, line: 4, msg: "control character"},
		{name: "two roots", file: "two-roots.fdx", kind: ErrMalformed, line: 3, msg: "second root"},
		{name: "text after the root", file: "text-after-root.fdx", kind: ErrMalformed, line: 2, msg: "after the <FinalDraft>"},
		{name: "unquoted attribute", file: "unquoted-attr.fdx", kind: ErrMalformed, line: 2, msg: "not quoted"},
		{name: "< in an attribute", file: "lt-in-attr.fdx", kind: ErrMalformed, line: 2, msg: "'<' inside the value"},
		{name: "-- in a comment", file: "bad-comment.fdx", kind: ErrMalformed, line: 2, msg: "'--' inside a comment"},
		{name: "nested 200 deep", data: deep, kind: ErrLimit, line: 1, msg: "<Paragraph> nested 65 deep"},
		{name: "deep nesting names its line", data: deepLines, kind: ErrLimit, line: 65, msg: "<a> nested 65 deep"},
		{name: "too many attributes", data: manyAttrs, kind: ErrLimit, line: 1, msg: "attributes"},
		{name: "empty", data: "", kind: ErrMalformed, msg: "no <FinalDraft>"},
		{name: "only a declaration", data: `<?xml version="1.0"?>`, kind: ErrMalformed, msg: "no <FinalDraft>"},
		{name: "bare ampersand", data: "<FinalDraft>Tom & Jerry</FinalDraft>", kind: ErrMalformed, line: 1, msg: "&amp;"},
		{name: "unterminated CDATA", data: "<FinalDraft><![CDATA[abc", kind: ErrMalformed, msg: "CDATA"},
		{name: "unterminated comment", data: "<FinalDraft><!-- abc", kind: ErrMalformed, msg: "comment"},
		{name: "stray end tag", data: "</FinalDraft>", kind: ErrMalformed, line: 1, msg: "never opened"},
		{name: "character reference to NUL", data: "<FinalDraft>&#0;</FinalDraft>", kind: ErrMalformed, msg: "U+0000"},
		{name: "character reference out of range", data: "<FinalDraft>&#x110000;</FinalDraft>", kind: ErrMalformed, msg: "out of range"},
		{name: "XML 1.1", data: `<?xml version="1.1"?><FinalDraft/>`, kind: ErrMalformed, msg: "version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.data)
			if tt.file != "" {
				var err error
				if data, err = os.ReadFile(filepath.Join("testdata", "fdx", "hostile", tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Read(data, Options{Name: "harbor.fdx", Format: FDX})
			if err == nil {
				t.Fatalf("read %d elements, want an error", len(s.Elements))
			}
			var e *closedset.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want *closedset.Error", err, err)
			}
			at := "harbor.fdx: "
			if tt.line != 0 {
				at = fmt.Sprintf("harbor.fdx: line %d: ", tt.line)
			}
			if why(err) != tt.kind || e.Kind != closedset.Unprocessable || !strings.HasPrefix(err.Error(), at) || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %s (%v, kind %s), want %v, kind unprocessable, a message starting %q and containing %q", err, why(err), e.Kind, tt.kind, at, tt.msg)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error %q should name the file on one line", err)
			}
		})
	}
}

// TestReadFDXUTF8BOM: Windows tools write a byte order mark.
func TestReadFDXUTF8BOM(t *testing.T) {
	data := append([]byte{0xEF, 0xBB, 0xBF}, `<?xml version="1.0" encoding="utf-8"?><FinalDraft><Content><Paragraph Type="Action"><Text>Hi.</Text></Paragraph></Content></FinalDraft>`...)
	s, err := readFDX(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := elemsOf(s); !reflect.DeepEqual(got, []wantElem{{Action, "Hi."}}) {
		t.Errorf("got %q", got)
	}
}

// TestReadFDXAllCapsChangingLength: a few letters change their UTF-8
// length when upper-cased (dotless ı is two bytes, I one).
func TestReadFDXAllCapsChangingLength(t *testing.T) {
	data := `<FinalDraft><Content>
<Paragraph Type="Character"><Text>Kırmızı</Text></Paragraph>
<Paragraph Type="Scene Heading"><Text>ınt. </Text><Text Style="Italic">kept</Text><Text> ıde</Text></Paragraph>
<Paragraph Type="Action"><Text>ınside</Text></Paragraph>
</Content></FinalDraft>`
	s, err := readFDX([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []wantElem{{Character, "KIRMIZI"}, {SceneHeading, "INT. kept IDE"}, {Action, "ınside"}}
	if got := elemsOf(s); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
