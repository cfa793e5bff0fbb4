package screenplay

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// describe renders elements as "type|text|line" plus markers, one per
// element, so table tests read like the script.
func describe(els []Element) []string {
	out := make([]string, 0, len(els))
	for _, e := range els {
		d := fmt.Sprintf("%s|%s|%d", e.Type, e.Text, e.Line)
		if e.Number != "" {
			d += "|#" + e.Number
		}
		if e.Dual {
			d += "|dual"
		}
		if e.Forced {
			d += "|forced"
		}
		if e.Depth > 0 {
			d += fmt.Sprintf("|depth%d", e.Depth)
		}
		out = append(out, d)
	}
	return out
}

func TestFountainRules(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"scene heading prefixes", "INT. HOUSE - DAY\n\nEXT HOUSE DAY\n\nest. city - dawn\n\nINT./EXT. CAR - NIGHT\n\nINT/EXT CAR - NIGHT\n\nI/E PORCH - DAY\n", []string{
			"scene_heading|INT. HOUSE - DAY|1", "scene_heading|EXT HOUSE DAY|3", "scene_heading|est. city - dawn|5",
			"scene_heading|INT./EXT. CAR - NIGHT|7", "scene_heading|INT/EXT CAR - NIGHT|9", "scene_heading|I/E PORCH - DAY|11"}},
		{"forced heading with one dot, not two", ".FLASHBACK\n\n..not a heading\n", []string{
			"scene_heading|FLASHBACK|1|forced", "action|..not a heading|3"}},
		{"ellipsis is action", "INT. ROOM - DAY\n\n...and then silence.\n", []string{
			"scene_heading|INT. ROOM - DAY|1", "action|...and then silence.|3"}},
		{"heading word inside action is action", "Interior decorating is her thing.\n\nEXTRA! EXTRA!\n", []string{
			"action|Interior decorating is her thing.|1", "action|EXTRA! EXTRA!|3"}},
		{"scene numbers", "INT. HOUSE - DAY #12A#\n\n.MONTAGE #1.2#\n\nEXT. YARD - DAY #I-1-A#\n", []string{
			"scene_heading|INT. HOUSE - DAY|1|#12A", "scene_heading|MONTAGE|3|#1.2|forced", "scene_heading|EXT. YARD - DAY|5|#I-1-A"}},
		{"heading at end of file", "Some action.\n\nint. house - day", []string{
			"action|Some action.|1", "scene_heading|int. house - day|3"}},
		{"heading followed directly by action", "INT. KITCHEN - NIGHT\nShe waits.\n", []string{
			"scene_heading|INT. KITCHEN - NIGHT|1", "action|She waits.|2"}},
		{"two headings in a row", "INT. HOUSE - DAY\nEXT. HOUSE - DAY\n", []string{
			"scene_heading|INT. HOUSE - DAY|1", "scene_heading|EXT. HOUSE - DAY|2"}},
		{"weak heading needs a blank line after", "Est house\nwas the name of the shop.\n", []string{
			"action|Est house\nwas the name of the shop.|1"}},
		{"forced action keeps case and tabs", "!SCREAMING FROM OFF.\n\n\tIndented line\n    with spaces.\n", []string{
			"action|SCREAMING FROM OFF.|1|forced", "action|\tIndented line\n    with spaces.|3"}},
		{"character with extensions", "ANNA (V.O.)\nHello.\n\nMARK (CONT'D)\nHi.\n", []string{
			"character|ANNA (V.O.)|1", "dialogue|Hello.|2", "character|MARK (CONT'D)|4", "dialogue|Hi.|5"}},
		{"lower-case extension", "EVE (cont'd)\nStill here.\n", []string{"character|EVE (cont'd)|1", "dialogue|Still here.|2"}},
		{"forced character", "@McDUCK\nI'm vegan.\n", []string{"character|McDUCK|1|forced", "dialogue|I'm vegan.|2"}},
		{"non-Latin character names", "МАША\nПривет.\n\nΣΟΦΙΑ\nΓεια.\n", []string{
			"character|МАША|1", "dialogue|Привет.|2", "character|ΣΟΦΙΑ|4", "dialogue|Γεια.|5"}},
		{"a cue needs a letter", "23 (O.S.)\nNot dialogue.\n", []string{"action|23 (O.S.)\nNot dialogue.|1"}},
		{"a cue needs a line after it", "BANG\n\nThe door flies open.\n", []string{"action|BANG|1", "action|The door flies open.|3"}},
		{"indented cue and dialogue", "\t\tEVE\n\t  (feeling cocky)\n\tWell, then I'll just indent!\n", []string{
			"character|EVE|1", "parenthetical|(feeling cocky)|2", "dialogue|Well, then I'll just indent!|3"}},
		{"parentheticals split dialogue", "ADAM\n(nervous)\nScreenwriting.\n(beat)\nYes.\n", []string{
			"character|ADAM|1", "parenthetical|(nervous)|2", "dialogue|Screenwriting.|3", "parenthetical|(beat)|4", "dialogue|Yes.|5"}},
		{"dialogue with line breaks and a two-space blank", "ADAM\nThat's great.\nI was worried.\n  \nReally.\n", []string{
			"character|ADAM|1", "dialogue|That's great.\nI was worried.\n\nReally.|2"}},
		{"dual dialogue", "BRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n", []string{
			"character|BRICK|1", "dialogue|Screw retirement.|2", "character|STEEL|4|dual", "dialogue|Screw retirement.|5|dual"}},
		{"lyrics", "~These are the songs\n~That I sing.\n", []string{"lyrics|These are the songs\nThat I sing.|1|forced"}},
		{"lyrics under a cue", "SINGER\n~These are the songs\n~That I sing.\n", []string{
			"character|SINGER|1", "lyrics|These are the songs|2|forced", "lyrics|That I sing.|3|forced"}},
		{"transitions", "Action.\n\nCUT TO:\n\nINT. B - DAY\n\n> FADE TO BLACK.\n", []string{
			"action|Action.|1", "transition|CUT TO:|3", "scene_heading|INT. B - DAY|5", "transition|FADE TO BLACK.|7|forced"}},
		{"transition needs blank lines around it", "CUT TO:\nthe chase.\n", []string{"action|CUT TO:\nthe chase.|1"}},
		{"centered", "> THE END <\n", []string{"centered|THE END|1|forced"}},
		{"emphasis markers", "*italic* **bold** ***both*** _under_ and \\*literal\\* stars, 2 * 3 * 4\n", []string{
			"action|italic bold both under and *literal* stars, 2 * 3 * 4|1"}},
		{"sections and synopses", "# Act One\n\n## Sequence\n\n= They meet.\n\nINT. BAR - NIGHT\n", []string{
			"section|Act One|1|depth1", "section|Sequence|3|depth2", "synopsis|They meet.|5", "scene_heading|INT. BAR - NIGHT|7"}},
		{"page breaks", "One.\n\n===\n\nTwo.\n", []string{"action|One.|1", "page_break||3", "action|Two.|5"}},
		{"note on its own", "A line.\n\n[[A note.]]\n\nAnother.\n", []string{"action|A line.|1", "note|A note.|3", "action|Another.|5"}},
		{"note spanning lines", "[[This note spans\n  two lines.]]\n\nAction.\n", []string{"note|This note spans\n  two lines.|1", "action|Action.|4"}},
		{"inline note", "This is an [[internal]] note.\n", []string{"action|This is an  note.|1", "note|internal|1"}},
		{"note inside dialogue", "ANNA\nI think\n[[check with Anna]]\nwe should go.\n", []string{
			"character|ANNA|1", "dialogue|I think\nwe should go.|2", "note|check with Anna|3"}},
		{"unclosed note is text", "He types [[ and stops.\n", []string{"action|He types [[ and stops.|1"}},
		{"boneyard spanning lines", "Kept.\n\n/*\nINT. CUT SCENE - DAY\n\nGone.\n*/\n\nINT. KEPT - DAY\n", []string{
			"action|Kept.|1", "scene_heading|INT. KEPT - DAY|9"}},
		{"boneyard inside a line", "She /*never*/ smiles.\n", []string{"action|She  smiles.|1"}},
		{"CRLF line ends", "INT. A - DAY\r\n\r\nBOB\r\nHi.\r\n", []string{"scene_heading|INT. A - DAY|1", "character|BOB|3", "dialogue|Hi.|4"}},
		{"old Mac line ends", "INT. A - DAY\r\rAction.\r", []string{"scene_heading|INT. A - DAY|1", "action|Action.|3"}},
		{"Japanese cue and heading", "INT。 病院-日\n\nジョン\n（失われた）\nこの場所は何ですか？\n", []string{
			"scene_heading|INT。 病院-日|1", "character|ジョン|3", "parenthetical|（失われた）|4", "dialogue|この場所は何ですか？|5"}},
		{"Russian heading", "ИНТ. КВАРТИРА – ДЕНЬ\n\nМаша входит.\n", []string{"scene_heading|ИНТ. КВАРТИРА – ДЕНЬ|1", "action|Маша входит.|3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Read([]byte(tt.in), Options{Format: Fountain})
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(s.Elements); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("elements:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFountainTitlePage(t *testing.T) {
	in := "Title:\n    _**BRICK & STEEL**_\n    _**FULL RETIRED**_\nCredit: Written by\nAuthor: Stu Maschwitz\nDraft date: 1/20/2012\nContact:\n    Next Level Productions\n    1588 Mission Dr.\n\nINT. GARAGE - DAY\n"
	s, err := Read([]byte(in), Options{Name: "title.fountain"})
	if err != nil {
		t.Fatal(err)
	}
	want := []TitleField{
		{"Title", "BRICK & STEEL\nFULL RETIRED"}, {"Credit", "Written by"}, {"Author", "Stu Maschwitz"},
		{"Draft date", "1/20/2012"}, {"Contact", "Next Level Productions\n1588 Mission Dr."},
	}
	if !reflect.DeepEqual(s.Title, want) {
		t.Errorf("title page:\n got %q\nwant %q", s.Title, want)
	}
	if got := describe(s.Elements); !reflect.DeepEqual(got, []string{"scene_heading|INT. GARAGE - DAY|11"}) {
		t.Errorf("elements after title page: %q", got)
	}
}

func TestFountainOpeningTransitionIsNotATitlePage(t *testing.T) {
	s, err := Read([]byte("FADE IN:\n\nINT. HOUSE - DAY\n"), Options{Format: Fountain})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Title) != 0 || len(s.Scenes) != 1 || s.Elements[0].Text != "FADE IN:" {
		t.Errorf("FADE IN: read as title page: title %q, elements %q", s.Title, describe(s.Elements))
	}
}

func TestFountainBOMAndWindows1252(t *testing.T) {
	in := []byte("\xEF\xBB\xBFINT. CAF\xC3\x89 - DAY\n\nShe says “hi”.\n")
	s, err := Read(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Scenes[0].Heading != "INT. CAFÉ - DAY" {
		t.Errorf("BOM not stripped or UTF-8 mangled: %q", s.Scenes[0].Heading)
	}
	// The same file saved as Windows-1252.
	s, err = Read([]byte("INT. CAF\xC9 - DAY\n\nShe says \x93hi\x94.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Scenes[0].Heading != "INT. CAFÉ - DAY" || s.Elements[1].Text != "She says “hi”." {
		t.Errorf("Windows-1252 not decoded: %q / %q", s.Scenes[0].Heading, s.Elements[1].Text)
	}
}

func TestHiddenTextNeverCountsTowardLength(t *testing.T) {
	plain := "INT. A - DAY\n\nShe waits.\n\nINT. B - DAY\n\nHe leaves.\n"
	var long strings.Builder
	for i := 0; i < 150; i++ {
		long.WriteString("padding padding padding padding padding\n")
	}
	hidden := "# Act\n\n= synopsis\n\nINT. A - DAY\n\n[[" + strings.ReplaceAll(long.String(), "\n", "\n  ") + "]]\n\n/*\n" + long.String() + "*/\n\nShe waits.\n\nINT. B - DAY\n\nHe leaves.\n"
	a, err := Read([]byte(plain), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read([]byte(hidden), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Scenes[0].Eighths != b.Scenes[0].Eighths || a.Pages != b.Pages {
		t.Errorf("notes, boneyard, sections or synopses changed the length: %d/8 on %d pages vs %d/8 on %d pages",
			a.Scenes[0].Eighths, a.Pages, b.Scenes[0].Eighths, b.Pages)
	}
}

func TestSplitHeading(t *testing.T) {
	tests := []struct{ in, ie, loc, tod string }{
		{"INT. HOUSE - DAY", "INT", "HOUSE", "DAY"},
		{"EXT. RITZ - LOBBY - NIGHT", "EXT", "RITZ - LOBBY", "NIGHT"},
		{"INT./EXT. CAR - MOVING - DAY", "INT/EXT", "CAR - MOVING", "DAY"},
		{"I/E PORCH - DAY", "INT/EXT", "PORCH", "DAY"},
		{"EST HOUSE DAY", "EST", "HOUSE", "DAY"},
		{"INT. AIRPLANE", "INT", "AIRPLANE", ""},
		{"EXT. MOTEL (1980) - DAY", "EXT", "MOTEL (1980)", "DAY"},
		{"INT - HOUSE - DAY", "INT", "HOUSE", "DAY"},
		{"TITLE CARD", "", "TITLE CARD", ""},
		{"ИНТ. КВАРТИРА – ДЕНЬ", "INT", "КВАРТИРА", "ДЕНЬ"},
	}
	for _, tt := range tests {
		ie, loc, tod := SplitHeading(tt.in)
		if ie != tt.ie || loc != tt.loc || tod != tt.tod {
			t.Errorf("SplitHeading(%q) = %q, %q, %q; want %q, %q, %q", tt.in, ie, loc, tod, tt.ie, tt.loc, tt.tod)
		}
	}
}

func TestScenesCharactersAndIntroductions(t *testing.T) {
	in := "INT. BEDROOM - NIGHT #4#\n\nNORA (34) and her daughter JUNE (15) sit on the bed. DR. ELLIS, 60, waits outside. MARK (late 40s) knocks.\nA SIGN (NO ENTRY) hangs. The CLOCK (2 AM) ticks.\n\nNORA\nGo to sleep.\n\nJUNE (O.S.)\nNo.\n\nNORA (CONT'D)\nPlease.\n\nEXT. STREET - NIGHT\n\nEmpty.\n"
	s, err := Read([]byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Scenes) != 2 {
		t.Fatalf("got %d scenes, want 2", len(s.Scenes))
	}
	sc := s.Scenes[0]
	if sc.Number != "4" || sc.Index != 1 || sc.Line != 1 || sc.IntExt != "INT" || sc.Location != "BEDROOM" || sc.Time != "NIGHT" {
		t.Errorf("scene 1 fields: %+v", sc)
	}
	if want := []string{"NORA", "JUNE"}; !reflect.DeepEqual(sc.Speaking, want) {
		t.Errorf("speaking %q, want %q", sc.Speaking, want)
	}
	if want := []string{"NORA", "JUNE", "DR. ELLIS", "MARK"}; !reflect.DeepEqual(sc.Present, want) || !reflect.DeepEqual(sc.Characters, want) {
		t.Errorf("present %q, characters %q, want %q", sc.Present, sc.Characters, want)
	}
	want := []Introduction{{"NORA", 34, "34", 3}, {"JUNE", 15, "15", 3}, {"DR. ELLIS", 60, "60", 3}, {"MARK", 40, "late 40s", 3}}
	if !reflect.DeepEqual(sc.Introduced, want) {
		t.Errorf("introduced:\n got %+v\nwant %+v", sc.Introduced, want)
	}
	if sc := s.Scenes[1]; len(sc.Characters) != 0 || sc.Characters == nil || sc.Speaking == nil || sc.Present == nil {
		t.Errorf("scene 2 characters should be empty lists, got %#v, %#v, %#v", sc.Characters, sc.Speaking, sc.Present)
	}
}

// TestCorpusFountain reads every Fountain file in the shared corpus and
// checks its scene count against the headings a plain reading finds.
func TestCorpusFountain(t *testing.T) {
	dir := corpusPath(t, ".")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.fountain"))
	if len(files) == 0 {
		t.Fatal("no Fountain files in the corpus")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Read(data, Options{Name: f})
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			for _, sc := range s.Scenes {
				if sc.Eighths < 1 || sc.Page < 1 {
					t.Errorf("scene %d %q: page %d, %d/8", sc.Index, sc.Heading, sc.Page, sc.Eighths)
				}
			}
			if want, ok := corpusFountainScenes[filepath.Base(f)]; ok && len(s.Scenes) != want {
				t.Errorf("got %d scenes, want %d", len(s.Scenes), want)
			}
		})
	}
}

// corpusFountainScenes are scene counts read off the files by eye.
var corpusFountainScenes = map[string]int{
	"Brick-and-Steel.fountain":        8,
	"brick_and_steel_crlf.fountain":   8,
	"SceneHeaders.fountain":           18,
	"Simple.fountain":                 3,
	"cyrillic.fountain":               2,
	"jp.fountain":                     1,
	"The-Last-Birthday-Card.fountain": 48,
	"complex_screenplay.fountain":     6,
}

func TestFountainOmittedPlaceholderKeepsItsNumber(t *testing.T) {
	s, err := Read([]byte("INT. A - DAY #16#\n\nHe waits.\n\nOMITTED #17#\n\nINT. B - NIGHT #18#\n\nShe sleeps.\n"), Options{Format: Fountain})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Scenes) != 2 {
		t.Fatalf("%d scenes, want 2: OMITTED is no scene", len(s.Scenes))
	}
	var om *Element
	for i := range s.Elements {
		if s.Elements[i].Omitted() {
			om = &s.Elements[i]
		}
	}
	if om == nil || om.Text != "OMITTED" || om.Number != "17" || om.Line != 5 {
		t.Fatalf("placeholder = %+v, want OMITTED numbered 17 on line 5", om)
	}
}
