package production

import (
	"closedset"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"closedset/breakdown"
	"closedset/screenplay"
)

func TestReadDraftKeepsSceneTextHashesAndFlags(t *testing.T) {
	data, err := os.ReadFile("../screenplay/testdata/twins/harbor.fountain")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadDraft(context.Background(), "harbor.fountain", data, screenplay.Options{}, breakdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != screenplay.Fountain || len(d.Scenes) == 0 || len(d.SHA256) != 64 {
		t.Fatalf("draft = %s, %d scenes, sha %q", d.Format, len(d.Scenes), d.SHA256)
	}
	flagged := 0
	for _, sc := range d.Scenes {
		if sc.TextHash != TextHash(sc.Text) || sc.Text == "" {
			t.Errorf("scene %d: text hash does not match its text", sc.Index)
		}
		if sc.NeedsIC {
			flagged++
		}
	}
	if flagged != d.Summary.Flagged || flagged == 0 {
		t.Errorf("flagged scenes %d, summary says %d", flagged, d.Summary.Flagged)
	}
	if rs := d.RevisionScenes(); len(rs) != len(d.Scenes) {
		t.Errorf("RevisionScenes: %d, want %d", len(rs), len(d.Scenes))
	}
}

func TestReadDraftNamesTheFileOnBadInput(t *testing.T) {
	_, err := ReadDraft(context.Background(), "photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00"), screenplay.Options{}, breakdown.Options{})
	if !closedset.Is(err, closedset.Unprocessable) || !errors.Is(err, screenplay.ErrBinary) || !strings.HasPrefix(err.Error(), "photo.png: ") {
		t.Fatalf("err = %v, want an unprocessable screenplay error naming the file", err)
	}
}

func TestColourFromTitlePage(t *testing.T) {
	s := &screenplay.Script{Title: []screenplay.TitleField{{Key: "Draft", Value: "Blue Revisions\n3 March"}}}
	if c := colour(s); c != "blue" {
		t.Errorf("colour = %q, want blue", c)
	}
	s.Revisions = []screenplay.Revision{{Name: "Pink", Color: "Pink"}}
	if c := colour(s); c != "pink" {
		t.Errorf("colour with FDX revisions = %q, want pink", c)
	}
}

func TestUnchangedKeepsOnlyScenesWithTheSameText(t *testing.T) {
	old := []RevisionScene{
		{Number: "1", Heading: "INT. BEDROOM - NIGHT", Text: "They kiss.", Flags: []string{"kissing"}},
		{Number: "2", Heading: "EXT. PIER - DAY", Text: "Nora waits."},
		{Number: "3", Heading: "INT. BATH - NIGHT", Text: "She bathes.", Flags: []string{"hyper_exposed"}},
	}
	new := []RevisionScene{
		{Number: "1", Heading: "INT. BEDROOM - NIGHT", Text: "They kiss. He undresses her.", Flags: []string{"kissing", "nudity"}},
		{Number: "2", Heading: "EXT. PIER - DAY", Text: "Nora waits."},
		{Number: "2A", Heading: "EXT. BOAT - DAY", Text: "Theo rows."},
		{Number: "3", Heading: "INT. BATH - NIGHT", Text: "She bathes.", Flags: []string{"hyper_exposed"}},
	}
	got := Unchanged(old, new)
	if len(got) != 2 || got[0].Old != 1 || got[0].New != 1 || got[1].Old != 2 || got[1].New != 3 {
		t.Fatalf("Unchanged = %+v, want scenes 2 and 3", got)
	}
}
