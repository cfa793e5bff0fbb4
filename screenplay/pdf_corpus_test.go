package screenplay

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// corpusScenes reads the scenes column of the corpus's SOURCES.tsv: file
// name to the accepted counts ("108|111" accepts either).
func corpusScenes(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(corpusPath(t, "real/SOURCES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	lines := strings.Split(string(data), "\n")
	head := strings.Split(lines[0], "\t")
	col := -1
	for i, h := range head {
		if h == "scenes" {
			col = i
		}
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if col >= 0 && len(f) > col {
			out[f[0]] = strings.Split(f[col], "|")
		}
	}
	return out
}

func headingCount(s *Script) int {
	n := 0
	for _, e := range s.Elements {
		if e.Type == SceneHeading {
			n++
		}
	}
	return n
}

var pageNumberOnly = regexp.MustCompile(`^\d{1,3}\.?$`)

func TestCorpusPDFs(t *testing.T) {
	want := corpusScenes(t)
	files, _ := filepath.Glob(filepath.Join(corpusPath(t, "real"), "*.pdf"))
	if len(files) == 0 {
		t.Fatal("no PDFs in the corpus's real/ folder")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			s, err := Read(data, Options{Name: name})
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			t.Logf("%s: %d pages, %d headings, %v", name, s.Pages, headingCount(s), time.Since(start).Round(time.Millisecond))
			if s.Format != PDF {
				t.Errorf("Format = %q, want pdf", s.Format)
			}
			if got := headingCount(s); !slicesContains(want[name], itoa(got)) {
				t.Errorf("%d scene headings, want %s", got, strings.Join(want[name], " or "))
			}
			for _, e := range s.Elements {
				switch {
				case slicesContains(strings.Split(strings.ToUpper(e.Text), "\n"), "(MORE)"):
					t.Errorf("line %d: (MORE) kept in %s %q", e.Line, e.Type, e.Text)
				case e.Type == Character && (strings.Contains(strings.ToUpper(e.Text), "CONT'D") || strings.Contains(strings.ToUpper(e.Text), "CONT’D")):
					t.Errorf("line %d: CONT'D kept on cue %q", e.Line, e.Text)
				case pageNumberOnly.MatchString(e.Text):
					t.Errorf("line %d: page number kept as %s %q", e.Line, e.Type, e.Text)
				case e.Line < 1 || e.Line > len(s.Lines):
					t.Errorf("element %q has line %d outside the %d extracted lines", e.Text, e.Line, len(s.Lines))
				case e.Page < 1 || e.Page > s.Pages:
					t.Errorf("element %q on page %d of %d", e.Text, e.Page, s.Pages)
				}
			}
		})
	}
}

func TestCorpusSceneNumbers(t *testing.T) {
	for _, tc := range []struct {
		file string
		last int
	}{
		{"telugu-feature-fd12.pdf", 159},
		{"beat-gus.pdf", 21},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(corpusPath(t, "real/"+tc.file))
			if err != nil {
				t.Fatal(err)
			}
			s, err := Read(data, Options{Name: tc.file})
			if err != nil {
				t.Fatal(err)
			}
			next := 1
			for _, e := range s.Elements {
				if e.Type != SceneHeading {
					continue
				}
				if e.Number != itoa(next) {
					t.Fatalf("heading %q at line %d has number %q, want %d", e.Text, e.Line, e.Number, next)
				}
				next++
			}
			if next-1 != tc.last {
				t.Errorf("numbers end at %d, want %d", next-1, tc.last)
			}
		})
	}
}

func TestCorpusRunningHeadersDropped(t *testing.T) {
	for _, tc := range []struct{ file, header string }{
		{"suits-pilot.pdf", "A Legal Mind"},
		{"rick-and-morty-106.pdf", "NETWORK DRAFT"},
		{"beat-gus.pdf", "Final Version"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(corpusPath(t, "real/"+tc.file))
			if err != nil {
				t.Fatal(err)
			}
			s, err := readPDF(context.Background(), data, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range s.Elements {
				if strings.Contains(e.Text, tc.header) {
					t.Errorf("line %d: running header kept as %s %q", e.Line, e.Type, e.Text)
				}
			}
		})
	}
}
