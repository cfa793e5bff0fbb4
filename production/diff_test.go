package production

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"closedset/breakdown"
	"closedset/screenplay"
)

func rs(number, heading, text string, flags ...string) RevisionScene {
	return RevisionScene{Number: number, Heading: heading, Text: text, Flags: flags}
}

// pairsOf renders pairs as "old>new:how".
func pairsOf(ps []Pair) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d>%d:%s", p.Old, p.New, p.How))
	}
	return out
}

const (
	kitchen = "Nora and Theo at the table, a bottle of wine between them. He takes her hand."
	bedroom = "Moonlight through thin curtains. Nora and Theo stand close. He kisses her, slowly."
	harbor  = "Fog over black water. A lighthouse blinks, patient as a heartbeat."
	morgue  = "Cold steel. A body under a sheet. The doctor folds the sheet back from the face."
)

func TestMatchScenes(t *testing.T) {
	tests := []struct {
		name     string
		old, new []RevisionScene
		want     []string
	}{
		{"same numbers",
			[]RevisionScene{rs("1", "EXT. HARBOR - DAWN", harbor), rs("2", "INT. KITCHEN - NIGHT", kitchen)},
			[]RevisionScene{rs("1", "EXT. HARBOR - DAWN", harbor), rs("2", "INT. KITCHEN - NIGHT", kitchen+" She lets him.")},
			[]string{"0>0:number", "1>1:number"}},
		{"renumbered, matched by heading and text",
			[]RevisionScene{rs("", "EXT. HARBOR - DAWN", harbor), rs("", "INT. BEDROOM - NIGHT", bedroom)},
			[]RevisionScene{rs("", "INT. KITCHEN - NIGHT", kitchen), rs("", "EXT. HARBOR - DAWN", harbor), rs("", "INT. BEDROOM - NIGHT", bedroom)},
			[]string{"-1>0:", "0>1:heading", "1>2:heading"}},
		{"heading rewritten, text the same",
			[]RevisionScene{rs("", "INT. MORGUE - NIGHT", morgue)},
			[]RevisionScene{rs("", "INT. COTTAGE HOSPITAL - MORGUE - NIGHT", morgue)},
			[]string{"0>0:text"}},
		{"a cut scene sits where it was",
			[]RevisionScene{rs("1", "EXT. HARBOR - DAWN", harbor), rs("2", "INT. BEDROOM - NIGHT", bedroom), rs("3", "INT. MORGUE - NIGHT", morgue)},
			[]RevisionScene{rs("1", "EXT. HARBOR - DAWN", harbor), rs("3", "INT. MORGUE - NIGHT", morgue)},
			[]string{"0>0:number", "1>-1:", "2>1:number"}},
		{"duplicate numbers fall back to text",
			[]RevisionScene{rs("5", "INT. BEDROOM - NIGHT", bedroom), rs("5", "INT. MORGUE - NIGHT", morgue)},
			[]RevisionScene{rs("5", "INT. MORGUE - NIGHT", morgue), rs("5", "INT. BEDROOM - NIGHT", bedroom)},
			[]string{"1>0:heading", "0>1:heading"}},
		{"unrelated scenes do not match",
			[]RevisionScene{rs("", "INT. MORGUE - NIGHT", morgue)},
			[]RevisionScene{rs("", "EXT. HARBOR - DAWN", harbor)},
			[]string{"-1>0:", "0>-1:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pairsOf(MatchScenes(tt.old, tt.new)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIntimacyDiff(t *testing.T) {
	old := []RevisionScene{
		rs("1", "EXT. HARBOR - DAWN", harbor),
		rs("2", "INT. KITCHEN - NIGHT", kitchen),
		rs("3", "INT. BEDROOM - NIGHT", bedroom, "kissing"),
		rs("4", "INT. MORGUE - NIGHT", morgue, "hyper_exposed"),
	}
	new := []RevisionScene{
		rs("1", "EXT. HARBOR - DAWN", harbor+" Gulls."),                                                            // unflagged change: not in the diff
		rs("2", "INT. KITCHEN - NIGHT", kitchen+" They kiss.", "kissing"),                                          // became flagged
		rs("3", "INT. BEDROOM - NIGHT", bedroom+" They undress each other.", "kissing", "nudity"),                  // expanded
		rs("5", "INT. BATHROOM - NIGHT", "Steam. Nora sits in the bath, crying without a sound.", "hyper_exposed"), // new
	}
	got := IntimacyDiff(old, new)
	want := []DiffEntry{
		{Change: Changed, Old: 1, New: 1, FlagsAdded: []string{"kissing"}, TextChanged: true},
		{Change: Changed, Old: 2, New: 2, FlagsAdded: []string{"nudity"}, TextChanged: true},
		{Change: Added, Old: -1, New: 3, FlagsAdded: []string{"hyper_exposed"}},
		// The last old scene was cut: with no scene after it, it goes last.
		{Change: Removed, Old: 3, New: -1, FlagsRemoved: []string{"hyper_exposed"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("diff:\n got %+v\nwant %+v", got, want)
	}
	if d := IntimacyDiff(old, old); len(d) != 0 {
		t.Errorf("a draft against itself: %+v", d)
	}
}

// TestSceneTextIgnoresReflow: the same words wrapped differently are the
// same text, a changed word is not.
func TestSceneTextIgnoresReflow(t *testing.T) {
	read := func(src string) string {
		s, err := screenplay.Read([]byte(src), screenplay.Options{Format: screenplay.Fountain})
		if err != nil {
			t.Fatal(err)
		}
		return SceneText(&s.Scenes[0])
	}
	a := read("INT. A - DAY\n\nHe kisses her,\nslowly.\n\n[[a note]]\n")
	b := read("INT. A - DAY\n\nHe kisses her, slowly.\n")
	c := read("INT. A - DAY\n\nHe kisses her, quickly.\n")
	if a != b || TextHash(a) != TextHash(b) {
		t.Errorf("reflow changed the text: %q vs %q", a, b)
	}
	if TextHash(b) == TextHash(c) {
		t.Error("a changed word kept the hash")
	}
	for _, framed := range []string{
		"INT. A - DAY\n\nHe kisses her, slowly.\n\nCUT TO:\n",
		"INT. A - DAY\n\nHe kisses her, slowly.\n\n> THE END <\n",
		"INT. A - DAY\n\nHe kisses her, slowly.\n\n> FADE OUT.\n",
		"INT. A - DAY\n\nHe kisses her, slowly.\n\nOMITTED #2#\n",
	} {
		if got := read(framed); got != b {
			t.Errorf("the script's structure changed the scene's text: %q vs %q", got, b)
		}
	}
	if got := read("INT. A - DAY\n\nHe kisses her, slowly.\n\n> THREE YEARS LATER <\n"); got == b {
		t.Error("a centered title card inside the scene was left out")
	}
}

// TestDiffOfTwoRealDrafts matches the corpus's Big Fish in Fountain against
// its Final Draft twin (the same draft, typed differently in places): every
// scene the two share must pair up, and the diff must be small.
func TestDiffOfTwoRealDrafts(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "screenplain")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip("corpus not present")
	}
	load := func(name string) []RevisionScene {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := screenplay.Read(data, screenplay.Options{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		b := breakdown.Analyze(s, breakdown.Options{})
		out := make([]RevisionScene, len(s.Scenes))
		for i := range s.Scenes {
			var flags []string
			for _, f := range b.Scenes[i].Flags {
				if !contains(flags, string(f.Category)) {
					flags = append(flags, string(f.Category))
				}
			}
			out[i] = RevisionScene{Number: s.Scenes[i].Number, Heading: s.Scenes[i].Heading, Text: SceneText(&s.Scenes[i]), Flags: flags}
		}
		return out
	}
	fountain, fdx := load("Big-Fish.fountain"), load("Big-Fish.fdx")
	unmatched := 0
	for _, p := range MatchScenes(fountain, fdx) {
		if p.Old < 0 || p.New < 0 {
			unmatched++
			side := "FDX"
			if p.New < 0 {
				side = "Fountain"
			}
			t.Logf("unmatched %s scene: %q", side, map[bool]string{true: fdx[max(p.New, 0)].Heading, false: fountain[max(p.Old, 0)].Heading}[p.New >= 0])
		}
	}
	// The Fountain file reads two EXT/INT. lines as headings that the FDX
	// types as action; nothing else may go unmatched.
	if unmatched > 2 {
		t.Errorf("%d scenes unmatched between two copies of one draft", unmatched)
	}
	if d := IntimacyDiff(fountain, fdx); len(d) > 6 {
		for _, e := range d {
			t.Logf("%+v", e)
		}
		t.Errorf("%d intimacy changes between two copies of one draft", len(d))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
