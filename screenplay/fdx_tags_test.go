package screenplay

import (
	"bytes"
	"os"
	"reflect"
	"testing"
	_ "time/tzdata" // the zones these tests use, on any host
)

// TestFDXTagsRoundTrip: a script written with tags reads back through the
// FDX reader as the same scenes, and ReadFDXTags gives each scene its
// tags, a paragraph shared when a scene has more tags than paragraphs.
func TestFDXTagsRoundTrip(t *testing.T) {
	scenes := []FDXScene{
		{Number: "1", Heading: "EXT. HARBOR WALL - DAWN", Paragraphs: []Element{{Type: Action, Text: "Gulls. Nobody."}}},
		{Number: "5", Heading: "INT. BEDROOM - NIGHT", Paragraphs: []Element{
			{Type: Action, Text: "Nora & Tom <on> the bed."},
			{Type: Character, Text: "NORA"},
			{Type: Dialogue, Text: "Come here."},
			{Type: Action, Text: "He kisses her neck. She pulls off his shirt."},
		}, Tags: []FDXTag{
			{Tag: Tag{"Intimacy", "kissing"}, Near: "He kisses her neck."},
			{Tag: Tag{"Intimacy", "nudity"}, Near: "She pulls off his shirt."},
			{Tag: Tag{"Intimacy", "simulated_sex"}},
		}},
		{Number: "6A", Heading: "INT. BATH - NIGHT", Tags: []FDXTag{
			{Tag: Tag{"Intimacy", "kissing"}}, {Tag: Tag{"Intimacy", "hyper_exposed"}}, {Tag: Tag{"Intimacy", "nudity"}},
		}},
	}
	var b bytes.Buffer
	if err := WriteFDX(&b, "Harbor \"Lights\"", scenes); err != nil {
		t.Fatal(err)
	}
	s, err := Read(b.Bytes(), Options{Name: "export.fdx"})
	if err != nil {
		t.Fatalf("the export does not read: %v\n%s", err, b.String())
	}
	if s.Format != FDX || len(s.Scenes) != 3 || s.Scenes[1].Number != "5" || s.Scenes[2].Number != "6A" {
		t.Fatalf("read back as %s with %d scenes", s.Format, len(s.Scenes))
	}
	got, err := ReadFDXTags(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []SceneTags{
		{Number: "1", Heading: "EXT. HARBOR WALL - DAWN"},
		{Number: "5", Heading: "INT. BEDROOM - NIGHT", Tags: []Tag{{"Intimacy", "nudity"}, {"Intimacy", "simulated_sex"}, {"Intimacy", "kissing"}}},
		{Number: "6A", Heading: "INT. BATH - NIGHT", Tags: []Tag{{"Intimacy", "kissing"}, {"Intimacy", "hyper_exposed"}, {"Intimacy", "nudity"}}},
	}
	// Tags come in the order they mark the scene's text: kissing takes
	// its evidence's paragraph, so nudity, whose evidence is in the same
	// one, goes to the heading, and simulated_sex to the next free one.
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tags read back:\n got %+v\nwant %+v", got, want)
	}
	var again bytes.Buffer
	WriteFDX(&again, "Harbor \"Lights\"", scenes)
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("the same scenes write a different file")
	}
}

// TestReadFDXTagsOfFinalDraftsOwnFile: Final Draft's sample, with its
// categories and no tags, reads as its scenes with none.
func TestReadFDXTagsOfFinalDraftsOwnFile(t *testing.T) {
	data, err := os.ReadFile("testdata/fdx/scenes.fdx")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadFDXTags(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no scenes")
	}
	for _, sc := range got {
		if len(sc.Tags) != 0 {
			t.Errorf("scene %q has tags %v", sc.Heading, sc.Tags)
		}
	}
}

func TestReadFDXTagsRefusesBrokenXML(t *testing.T) {
	for _, in := range []string{"<FinalDraft><Content><Paragraph>", "<FinalDraft>\xff</FinalDraft>", "<a>" + string(bytes.Repeat([]byte("<b>"), 100))} {
		if _, err := ReadFDXTags([]byte(in)); err == nil {
			t.Errorf("%q read", in[:min(len(in), 30)])
		}
	}
}

// FuzzReadFDXTags: any bytes read as scenes with tags or an error, never
// a panic, and every tag read names a definition the file holds.
func FuzzReadFDXTags(f *testing.F) {
	var b bytes.Buffer
	WriteFDX(&b, "T", []FDXScene{{Number: "1", Heading: "INT. ROOM - DAY", Paragraphs: []Element{{Type: Action, Text: "A kiss."}},
		Tags: []FDXTag{{Tag: Tag{"Intimacy", "kissing"}, Near: "A kiss."}}}})
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		scenes, err := ReadFDXTags(data)
		if err != nil {
			return
		}
		for _, sc := range scenes {
			for _, tg := range sc.Tags {
				if !bytes.Contains(data, []byte(tg.Label)) && tg.Label != "" {
					t.Fatalf("tag %+v is in no definition of the file", tg)
				}
			}
		}
	})
}
