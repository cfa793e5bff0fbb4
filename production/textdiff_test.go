package production

import (
	"reflect"
	"strings"
	"testing"
)

func TestTextChangesShowTheChangedWordsOfTheChangedLines(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		want     []Passage
	}{
		{"same text", "Mara kisses Tomas.", "Mara kisses Tomas.", nil},
		{"a changed word", "MARA\nThey kiss.\nTomas unbuttons her shirt.\nThe door opens.",
			"MARA\nThey kiss.\nTomas slowly unbuttons her shirt.\nThe door opens.",
			[]Passage{{Edits: []TextEdit{{EditSame, "Tomas"}, {EditAdded, "slowly"}, {EditSame, "unbuttons her shirt."}}}}},
		{"a line added and one removed apart", "A.\nB b.\nC.\nD d.\nE.", "A.\nC.\nD d d.\nE.",
			[]Passage{{Edits: []TextEdit{{EditRemoved, "B b."}}}, {Edits: []TextEdit{{EditSame, "D"}, {EditAdded, "d"}, {EditSame, "d."}}}}},
		{"all new", "", "They undress each other.", []Passage{{Edits: []TextEdit{{EditAdded, "They undress each other."}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := TextChanges(tc.old, tc.new)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("TextChanges =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

// TestTextChangesKeepEveryWord: the passages, their removed runs left
// out, spell the new text's changed lines; their added runs left out, the
// old ones. Nothing is dropped, even past the bounds of the work.
func TestTextChangesKeepEveryWord(t *testing.T) {
	old := strings.Repeat("the quick brown fox\n", 700) + "end"
	new := strings.Repeat("a slow brown dog\n", 700) + "end"
	ps := TextChanges(old, new)
	var kept, gained []string
	for _, p := range ps {
		for _, e := range p.Edits {
			switch e.Op {
			case EditSame:
				kept, gained = append(kept, strings.Fields(e.Text)...), append(gained, strings.Fields(e.Text)...)
			case EditRemoved:
				kept = append(kept, strings.Fields(e.Text)...)
			case EditAdded:
				gained = append(gained, strings.Fields(e.Text)...)
			}
		}
	}
	if want := strings.Fields(strings.TrimSuffix(old, "end")); !reflect.DeepEqual(kept, want) {
		t.Errorf("old words: %d, want %d", len(kept), len(want))
	}
	if want := strings.Fields(strings.TrimSuffix(new, "end")); !reflect.DeepEqual(gained, want) {
		t.Errorf("new words: %d, want %d", len(gained), len(want))
	}
}
