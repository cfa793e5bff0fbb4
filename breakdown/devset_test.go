package breakdown

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"closedset/screenplay"
)

// The development set in testdata/devset is scripts written for the project
// with a label file per script: what an IC would flag in each scene, traps
// included. These are the floors the breakdown must hold on it; a separate
// held-out set of real scripts is scored independently.
const (
	minNeedsICRecall    = 0.98
	minNeedsICPrecision = 0.97
)

type labelled struct {
	script  string
	scene   int
	heading string
	labels  map[Category]bool
	note    string
}

func readLabels(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for no := 1; sc.Scan(); no++ {
		if no == 1 {
			continue // header
		}
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 3 {
			t.Fatalf("%s:%d: want scene, heading, labels[, note]", path, no)
		}
		var l labelled
		l.script = filepath.Base(path)
		if _, err := fmt.Sscan(fields[0], &l.scene); err != nil {
			t.Fatalf("%s:%d: scene %q: %v", path, no, fields[0], err)
		}
		l.heading = fields[1]
		l.labels = map[Category]bool{}
		if fields[2] != "-" {
			for _, lab := range strings.Split(fields[2], ",") {
				cat, _, _ := strings.Cut(strings.TrimSpace(lab), ":")
				if !Category(cat).valid() {
					t.Fatalf("%s:%d: unknown category %q", path, no, cat)
				}
				l.labels[Category(cat)] = true
			}
		}
		if len(fields) > 3 {
			l.note = fields[3]
		}
		out = append(out, l)
	}
	return out
}

// score counts true and false positives and negatives.
type score struct{ tp, fp, fn int }

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s *score) add(want, got bool) {
	switch {
	case want && got:
		s.tp++
	case got:
		s.fp++
	case want:
		s.fn++
	}
}

func TestDevSetRecallAndPrecision(t *testing.T) {
	scripts, _ := filepath.Glob(filepath.Join("testdata", "devset", "*.fountain"))
	if len(scripts) == 0 {
		t.Fatal("no development set in testdata/devset")
	}
	needs := score{}
	per := map[Category]*score{}
	for _, c := range Categories {
		per[c] = &score{}
	}
	var misses []string
	total := 0
	for _, path := range scripts {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := screenplay.Read(data, screenplay.Options{Name: path})
		if err != nil {
			t.Fatal(err)
		}
		labels := readLabels(t, strings.TrimSuffix(path, ".fountain")+".labels.tsv")
		if len(labels) != len(s.Scenes) {
			t.Fatalf("%s: %d scenes, %d labels", path, len(s.Scenes), len(labels))
		}
		b := Analyze(s, Options{})
		for i, l := range labels {
			sc := b.Scenes[i]
			if sc.Heading != l.heading {
				t.Fatalf("%s: scene %d is %q, labels say %q", path, i+1, sc.Heading, l.heading)
			}
			total++
			got := map[Category]bool{}
			for _, f := range sc.Flags {
				got[f.Category] = true
			}
			needs.add(len(l.labels) > 0, sc.NeedsIC)
			if len(l.labels) > 0 != sc.NeedsIC {
				misses = append(misses, fmt.Sprintf("%s #%d %q: want %v got %v (%s)", filepath.Base(path), l.scene, l.heading, keys(l.labels), keys(got), l.note))
			}
			for _, c := range Categories {
				per[c].add(l.labels[c], got[c])
			}
		}
	}
	t.Logf("%d scenes; needs IC: recall %.3f precision %.3f (tp %d fp %d fn %d)", total, needs.recall(), needs.precision(), needs.tp, needs.fp, needs.fn)
	for _, c := range Categories {
		s := per[c]
		t.Logf("%-16s recall %.3f precision %.3f (tp %d fp %d fn %d)", c, s.recall(), s.precision(), s.tp, s.fp, s.fn)
	}
	for _, m := range misses {
		t.Logf("miss: %s", m)
	}
	if needs.recall() < minNeedsICRecall || needs.precision() < minNeedsICPrecision {
		t.Errorf("needs-IC recall %.3f precision %.3f; floors %.2f and %.2f", needs.recall(), needs.precision(), minNeedsICRecall, minNeedsICPrecision)
	}
}

func keys(m map[Category]bool) []string {
	var out []string
	for k := range m {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}
