package breakdown

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"closedset/screenplay"
)

// realCorpus is the shared corpus of real scripts beside the project.
const realCorpus = "../../shared/corpus/real"

// realScript reads a script of the shared corpus; without the corpus the
// test is skipped, except in CI (CI=true), where that is a failure.
func realScript(t *testing.T, name string) *screenplay.Script {
	t.Helper()
	p := filepath.Join(realCorpus, name)
	data, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus missing in CI: %v", err)
		}
		t.Skipf("shared corpus not present: %v", err)
	}
	s, err := screenplay.Read(data, screenplay.Options{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFlagNamesEveryoneInASilentLoveScene(t *testing.T) {
	b := analyze(t, "INT. KITCHEN - DAY\n\nMARA\nTea?\n\nTOMAS\nPlease.\n\n"+
		"INT. TOMAS'S FLAT - BEDROOM - NIGHT\n\nMara and Tomas kiss as they cross the room. They undress each other.\n", Options{})
	sc := b.Scenes[1]
	want := []string{"MARA", "TOMAS"}
	if len(sc.Speaking) != 0 || !slices.Equal(sc.Present, want) || !slices.Equal(sc.Characters, want) {
		t.Fatalf("speaking %q, present %q, characters %q; want none speaking and %q present", sc.Speaking, sc.Present, sc.Characters, want)
	}
	if len(sc.Flags) == 0 {
		t.Fatal("no flags")
	}
	for _, f := range sc.Flags {
		if !slices.Equal(f.Characters, want) {
			t.Errorf("%s flag names %q, want %q (from the whole scene, not the evidence line)", f.Category, f.Characters, want)
		}
	}
}

func TestMinorPresentButSilentIsFlagged(t *testing.T) {
	b := analyze(t, "INT. KITCHEN - DAY\n\nLILY (12) eats cereal.\n\nNORA\nEat up.\n\n"+
		"INT. BEDROOM - NIGHT\n\nNora kisses Theo on the bed. Lily’s face at the door.\n\nTHEO\nShh.\n", Options{})
	sc := b.Scenes[1]
	if !slices.Contains(sc.Present, "LILY") || slices.Contains(sc.Speaking, "LILY") {
		t.Fatalf("speaking %q, present %q: want LILY present and silent", sc.Speaking, sc.Present)
	}
	i := slices.IndexFunc(sc.Flags, func(f Flag) bool { return f.Category == Minor })
	if i < 0 || !slices.Equal(sc.Flags[i].Characters, []string{"LILY"}) {
		t.Fatalf("flags %+v: want a minor flag naming LILY", sc.Flags)
	}
}

// In Farmland, MARY (12) flies a kite with HENRY in a scene where neither
// speaks; the scene is flagged, and she is a minor present in it.
func TestFarmlandSilentMinorIsPresentAndFlagged(t *testing.T) {
	s := realScript(t, "farmland.fdx")
	b := Analyze(s, Options{})
	sc := b.Scenes[10]
	if sc.Index != 11 || len(sc.Speaking) != 0 {
		t.Fatalf("scene %d %q speaking %q: the corpus file changed", sc.Index, sc.Heading, sc.Speaking)
	}
	if !slices.Contains(sc.Present, "MARY") || !slices.Contains(sc.Present, "HENRY") {
		t.Errorf("present %q, want MARY and HENRY", sc.Present)
	}
	i := slices.IndexFunc(sc.Flags, func(f Flag) bool { return f.Category == Minor })
	if i < 0 || !slices.Contains(sc.Flags[i].Characters, "MARY") {
		t.Errorf("flags %+v: want minor naming MARY", sc.Flags)
	}
	for _, f := range sc.Flags {
		if len(f.Characters) == 0 {
			t.Errorf("%s flag names no one in a scene with %q present", f.Category, sc.Present)
		}
	}
}
