package screenplay

import (
	"closedset"
	"encoding/json"
	"reflect"
	"testing"
)

// checkScript asserts what every successful read must satisfy, whatever the
// input: lines point into the input, scenes are numbered in order, lengths
// are positive, and the result encodes as JSON.
func checkScript(t *testing.T, s *Script, inputLines int) {
	t.Helper()
	for i, e := range s.Elements {
		if e.Line < 1 || (inputLines > 0 && e.Line > inputLines) {
			t.Fatalf("element %d (%s) has line %d of %d", i, e.Type, e.Line, inputLines)
		}
	}
	for i, sc := range s.Scenes {
		if sc.Index != i+1 || sc.Eighths < 1 || sc.Page < 1 || len(sc.Elements) == 0 || sc.Elements[0].Type != SceneHeading {
			t.Fatalf("scene %d malformed: %+v", i, sc)
		}
		for _, e := range sc.Elements {
			if name := CharacterName(e.Text); e.Type == Character && name != "" && !notPeople[name] && !voiceOver(e.Text) && !contains(sc.Present, name) {
				t.Fatalf("scene %d: speaker %q is not present in %q", i+1, name, sc.Present)
			}
		}
		if sc.Speaking == nil || sc.Present == nil || !reflect.DeepEqual(sc.Characters, sc.Present) {
			t.Fatalf("scene %d: characters %q, speaking %q, present %q", i+1, sc.Characters, sc.Speaking, sc.Present)
		}
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatalf("script does not encode as JSON: %v", err)
	}
}

func FuzzFountain(f *testing.F) {
	for _, seed := range []string{
		"INT. HOUSE - DAY\n\nANNA\n(quietly)\nHello.\n",
		"Title: X\nAuthor: Y\n\n.FORCED #1#\n\n!ACTION\n\n@bob ^\nhi\n",
		"[[note\n  spans]]\n/* bone\nyard */\n> CENTER <\n\n===\n\n# Act\n\n= syn\n\n~lyric\n",
		"NORA (34), JUNE (15) and DR. ELLIS, 60, enter.\n",
		"INT. FLAT - NIGHT\n\nMara and Will kiss. Will’s hand. Ellis' coat.\nWILL SHE STAY?\n\nWILL\n(to Mara)\nGrace.\n\nDR. ELLIS\nOkay.\n",
		"\xEF\xBB\xBFINT. A - DAY\r\n\r\nCUT TO:\r\n\r\n",
		"*a **b _c_ d** e* \\* [[ /* ( ) （ ） ^ @ ~ > < # =",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Read(data, Options{Format: Fountain})
		if err != nil {
			if why(err) == nil || closedset.KindOf(err) == "" {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		checkScript(t, s, countLines(data))
	})
}

// countLines counts input lines the way readers number them (a final line
// without a newline counts; "\r" alone ends lines when there is no "\n").
func countLines(data []byte) int {
	n, cr := 1, 0
	for _, c := range data {
		switch c {
		case '\n':
			n++
		case '\r':
			cr++
		}
	}
	if n == 1 && cr > 0 {
		return cr + 1
	}
	return n
}
