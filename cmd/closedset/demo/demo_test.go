package demo

import (
	"context"
	"slices"
	"strings"
	"testing"

	"closedset/breakdown"
	"closedset/production"
	"closedset/screenplay"
)

func read(t *testing.T, d Draft) *production.Draft {
	t.Helper()
	dr, err := production.ReadDraft(context.Background(), d.Filename, d.Data, screenplay.Options{}, breakdown.Options{})
	if err != nil {
		t.Fatalf("%s: %v", d.Filename, err)
	}
	return dr
}

// flagged maps a scene number to its categories ("hyper_exposed/medical"
// for a kind), for the scenes with any flag.
func flagged(d *production.Draft) map[string][]string {
	out := map[string][]string{}
	for _, sc := range d.Scenes {
		for _, f := range sc.Flags {
			c := string(f.Category)
			if f.Kind != "" {
				c += "/" + f.Kind
			}
			if !slices.Contains(out[sc.Number], c) {
				out[sc.Number] = append(out[sc.Number], c)
			}
		}
	}
	for _, cs := range out {
		slices.Sort(cs)
	}
	return out
}

// TestDemoScriptFlagsWhatItWasWrittenFor pins every flagged scene of both
// revisions: the kiss (7), the love scene (8), the medical scene (4), the
// minors on the beach near a kissing couple (12), and the plain scenes,
// including the teenager's own scenes (2, 5, 16) and the false friends of
// scenes 3 and 11 ("naked ambition", "kiss of death"), flag nothing.
func TestDemoScriptFlagsWhatItWasWrittenFor(t *testing.T) {
	white := map[string][]string{
		"4":  {"hyper_exposed/medical", "hyper_exposed/violence"},
		"7":  {"kissing"},
		"8":  {"intimate_touch", "kissing", "nudity", "simulated_sex"},
		"12": {"kissing", "minor"},
		"17": {"kissing"},
	}
	blue := map[string][]string{
		"4":  {"hyper_exposed/medical", "hyper_exposed/violence"},
		"7":  {"kissing"},
		"8":  {"intimate_touch", "kissing", "nudity", "simulated_sex"},
		"8A": {"hyper_exposed/bathing", "kissing", "nudity"},
		"12": {"kissing", "minor"},
	}
	drafts := Drafts()
	for i, want := range []map[string][]string{white, blue} {
		d := read(t, drafts[i])
		t.Run(drafts[i].Filename, func(t *testing.T) {
			got := flagged(d)
			for num, cats := range want {
				if !slices.Equal(got[num], cats) {
					t.Errorf("scene %s: flags %v, want %v", num, got[num], cats)
				}
			}
			for num, cats := range got {
				if want[num] == nil {
					t.Errorf("scene %s flagged %v, written to flag nothing", num, cats)
				}
			}
		})
	}
}

func TestDemoScriptNamesItsMinors(t *testing.T) {
	d := read(t, Drafts()[0])
	if got := strings.Join(d.Summary.Minors, ","); got != "FINN,JORY" {
		t.Errorf("minors %q, want FINN,JORY", got)
	}
	if len(d.Scenes) != 18 {
		t.Errorf("white draft has %d scenes, want 18", len(d.Scenes))
	}
}

func TestDemoRevisionsAreWhiteThenBlue(t *testing.T) {
	for i, want := range []string{"white", "blue"} {
		if d := read(t, Drafts()[i]); d.Colour != want || d.Title != "HARBOUR LIGHTS" {
			t.Errorf("draft %d: colour %q title %q, want %q HARBOUR LIGHTS", i+1, d.Colour, d.Title, want)
		}
	}
}

// TestDemoBlueRevisionShowsInTheIntimacyDiff: the blue pages change the
// love scene's action, add the shower scene and cut the last kiss, and the
// intimacy diff between the two drafts must say exactly that.
func TestDemoBlueRevisionShowsInTheIntimacyDiff(t *testing.T) {
	old, new := read(t, Drafts()[0]).RevisionScenes(), read(t, Drafts()[1]).RevisionScenes()
	var got []string
	for _, e := range production.IntimacyDiff(old, new) {
		num := ""
		if e.New >= 0 {
			num = new[e.New].Number
		} else {
			num = old[e.Old].Number
		}
		got = append(got, string(e.Change)+" "+num)
	}
	want := "changed 8, added 8A, removed 17"
	if strings.Join(got, ", ") != want {
		t.Errorf("intimacy diff %q, want %q", strings.Join(got, ", "), want)
	}
}
