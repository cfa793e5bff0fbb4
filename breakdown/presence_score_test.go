package breakdown

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The presence labels in testdata/presence are a development set: for each
// of the ten plain-text feature scripts of the shared corpus, 11 or 12
// scenes chosen across the script (nine evenly spaced, three of the
// flagged ones), each read by a person who wrote down the script's
// characters physically in it (voice-over narrators and the far end of a
// phone call are not; a body is). Only the labels are kept here, never the
// script text. The floors sit a little under what the reader achieves, so
// a regression fails.
const (
	minPresentRecall    = 0.91
	minPresentPrecision = 0.88
)

// TestPresenceOnRealScripts scores the characters present the reader finds
// against the labels, and logs the figures:
//
//	go test ./breakdown -run TestPresenceOnRealScripts -v
func TestPresenceOnRealScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "presence", "*.presence.tsv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no presence labels: %v", err)
	}
	var tp, fp, fn int
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".presence.tsv") + ".txt"
		s := realScript(t, name)
		var ftp, ffp, ffn int
		for _, l := range readPresenceLabels(t, path) {
			if l.scene > len(s.Scenes) || !strings.EqualFold(s.Scenes[l.scene-1].Heading, l.heading) {
				t.Fatalf("%s: scene %d is not %q: the reader's scenes changed, relabel", name, l.scene, l.heading)
			}
			got := map[string]bool{}
			for _, c := range s.Scenes[l.scene-1].Present {
				got[presenceKey(c)] = true
			}
			for c := range got {
				if l.present[c] {
					ftp++
				} else {
					ffp++
					t.Logf("%s scene %d: %s found, not labelled", name, l.scene, c)
				}
			}
			for c := range l.present {
				if !got[c] {
					ffn++
					t.Logf("%s scene %d: %s missed", name, l.scene, c)
				}
			}
		}
		t.Logf("%-28s recall %.3f precision %.3f", name, ratio(ftp, ftp+ffn), ratio(ftp, ftp+ffp))
		tp, fp, fn = tp+ftp, fp+ffp, fn+ffn
	}
	recall, precision := ratio(tp, tp+fn), ratio(tp, tp+fp)
	t.Logf("present characters, %d scripts: recall %.3f (%d of %d labelled), precision %.3f (%d of %d found)",
		len(files), recall, tp, tp+fn, precision, tp, tp+fp)
	if recall < minPresentRecall || precision < minPresentPrecision {
		t.Errorf("recall %.3f, precision %.3f: under the floors %.2f and %.2f", recall, precision, minPresentRecall, minPresentPrecision)
	}
}

type presenceLabel struct {
	scene   int
	heading string
	present map[string]bool
}

// readPresenceLabels reads a label file: a header, then one scene a line,
// "index<TAB>heading<TAB>NAME,NAME" ("-" for no one).
func readPresenceLabels(t *testing.T, path string) []presenceLabel {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []presenceLabel
	sc := bufio.NewScanner(f)
	for no := 1; sc.Scan(); no++ {
		if no == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 {
			t.Fatalf("%s:%d: want scene, heading, present", path, no)
		}
		n, err := strconv.Atoi(fields[0])
		if err != nil || n < 1 {
			t.Fatalf("%s:%d: scene %q", path, no, fields[0])
		}
		l := presenceLabel{scene: n, heading: fields[1], present: map[string]bool{}}
		if fields[2] != "-" {
			for _, c := range strings.Split(fields[2], ",") {
				l.present[presenceKey(c)] = true
			}
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// presenceKey compares names as a reader would: "MAN." is MAN, a curly
// apostrophe a straight one.
func presenceKey(name string) string {
	name = strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(name)), "’", "'")
	return strings.Join(strings.Fields(strings.TrimRight(name, ".")), " ")
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
