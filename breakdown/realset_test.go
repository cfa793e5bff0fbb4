package breakdown

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The real development set (testdata/real, issue 14): scene labels of the
// ten plain-text feature scripts of the shared corpus, read by people
// (testdata/real/README.md has the guidelines and the split). Rules and
// weights were tuned on the first five scripts only; the other five are
// reported apart. Their misses have since been read twice, by class, so
// their figures are optimistic. A third part, "fresh" (testdata/real-fresh),
// scores the PDF and FDX production files of the corpus, labelled blind to
// the breakdown and never tuned on (its misses must not be read to tune):
// it is the honest proxy of the held-out real scripts scored outside this
// repository. The floors sit a little under what the breakdown does, so
// that a regression fails:
//
//	go test ./breakdown -run TestRealSetRecallAndPrecision -v
var realTuned = []string{"allies-with-benefits", "catherine-the-great", "easy-a", "inferno-lovelace", "laborer"}

// realFresh are the scripts of the fresh held-out set (testdata/real-fresh,
// labelled blind to the breakdown's output and never tuned on): the PDF and
// FDX production files of the shared corpus, read in place. The key is the
// labels file's name, the value the corpus file.
var realFresh = map[string]string{
	"africa-trelby":           "africa-trelby.pdf",
	"beat-gus":                "beat-gus.pdf",
	"equivocation-stage-play": "equivocation-stage-play.fdx",
	"farmland":                "farmland.fdx",
	"rick-and-morty-106":      "rick-and-morty-106.pdf",
	"suits-pilot":             "suits-pilot.pdf",
	"telugu-feature-fd12":     "telugu-feature-fd12.pdf",
	"unclebob-e16":            "unclebob-e16.fdx",
}

// realFloors are the needs-IC recall and precision floors of each part.
var realFloors = map[string][2]float64{"tuned": {0.92, 0.89}, "reported": {0.83, 0.80}, "fresh": {0.62, 0.43}}

// tunedRecallFloors are the recall floors of each category on the tuned
// scripts, one scene under what the breakdown finds: the classes of miss
// fixed there (issue 14) stay fixed.
var tunedRecallFloors = map[Category]float64{
	Kissing: 0.95, IntimateTouch: 0.81, Nudity: 0.92, SimulatedSex: 0.91,
	SexualViolence: 0.57, HyperExposed: 0.86, Minor: 0.83,
}

// reportedRecallFloors are the same on the reported scripts, set after
// their misses were read a second time (testdata/real/README.md, Split).
var reportedRecallFloors = map[Category]float64{
	Kissing: 0.96, IntimateTouch: 0.62, Nudity: 0.61, SimulatedSex: 0.5,
	SexualViolence: 0.6, HyperExposed: 0.81, Minor: 0.88,
}

func TestRealSetRecallAndPrecision(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "real", "*.labels.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no real labels: %v", err)
	}
	fresh, err := filepath.Glob(filepath.Join("testdata", "real-fresh", "*.labels.tsv"))
	if err != nil || len(fresh) != len(realFresh) {
		t.Fatalf("fresh labels: %d files for %d scripts: %v", len(fresh), len(realFresh), err)
	}
	files = append(files, fresh...)
	type tally struct {
		needs score
		per   map[Category]*score
		n     int
	}
	newTally := func() *tally {
		tl := &tally{per: map[Category]*score{}}
		for _, c := range Categories {
			tl.per[c] = &score{}
		}
		return tl
	}
	parts := map[string]*tally{"tuned": newTally(), "reported": newTally(), "fresh": newTally()}
	var misses []string
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".labels.tsv")
		file, partName := name+".txt", "reported"
		switch {
		case filepath.Base(filepath.Dir(path)) == "real-fresh":
			if file = realFresh[name]; file == "" {
				t.Fatalf("%s: a fresh labels file with no script in realFresh", path)
			}
			partName = "fresh"
		case slices.Contains(realTuned, name):
			partName = "tuned"
		}
		part := parts[partName]
		s := realScript(t, file)
		labels := readLabels(t, path)
		if len(labels) != len(s.Scenes) {
			t.Fatalf("%s: %d scenes, %d labels: the reader's scenes changed, relabel", name, len(s.Scenes), len(labels))
		}
		b := Analyze(s, Options{})
		for i, l := range labels {
			sc := b.Scenes[i]
			if sc.Heading != l.heading {
				t.Fatalf("%s: scene %d is %q, labels say %q: relabel", name, i+1, sc.Heading, l.heading)
			}
			part.n++
			got := map[Category]bool{}
			for _, f := range sc.Flags {
				got[f.Category] = true
			}
			part.needs.add(len(l.labels) > 0, sc.NeedsIC)
			if len(l.labels) > 0 != sc.NeedsIC {
				misses = append(misses, fmt.Sprintf("%s: %s #%d %q: want %v got %v (%s)", partName, name, l.scene, l.heading, keys(l.labels), keys(got), l.note))
			}
			for _, c := range Categories {
				part.per[c].add(l.labels[c], got[c])
				if l.labels[c] && !got[c] && len(l.labels) > 0 == sc.NeedsIC {
					misses = append(misses, fmt.Sprintf("%s #%d %q: %s missed, flags %v (%s)", name, l.scene, l.heading, c, keys(got), l.note))
				}
			}
		}
	}
	for _, name := range []string{"tuned", "reported", "fresh"} {
		tl := parts[name]
		t.Logf("%s: %d scenes; needs IC: recall %.3f precision %.3f (tp %d fp %d fn %d)", name, tl.n, tl.needs.recall(), tl.needs.precision(), tl.needs.tp, tl.needs.fp, tl.needs.fn)
		for _, c := range Categories {
			s := tl.per[c]
			t.Logf("  %-16s recall %.3f precision %.3f (tp %d fp %d fn %d)", c, s.recall(), s.precision(), s.tp, s.fp, s.fn)
		}
	}
	// REALSET_MISSES=1 lists the scenes whose needs-IC call is wrong, then
	// each category missed in a scene that is rightly flagged.
	if os.Getenv("REALSET_MISSES") != "" {
		for _, m := range misses {
			t.Logf("miss: %s", m)
		}
	}
	for name, tl := range parts {
		f := realFloors[name]
		if tl.needs.recall() < f[0] || tl.needs.precision() < f[1] {
			t.Errorf("%s: needs-IC recall %.3f precision %.3f; floors %.2f and %.2f", name, tl.needs.recall(), tl.needs.precision(), f[0], f[1])
		}
	}
	for _, c := range Categories {
		if r := parts["tuned"].per[c].recall(); r < tunedRecallFloors[c] {
			t.Errorf("tuned: %s recall %.3f; floor %.2f", c, r, tunedRecallFloors[c])
		}
		if r := parts["reported"].per[c].recall(); r < reportedRecallFloors[c] {
			t.Errorf("reported: %s recall %.3f; floor %.2f", c, r, reportedRecallFloors[c])
		}
	}
}
