package screenplay

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// corpusFDX lists every .fdx file of the shared corpus, relative to it.
func corpusFDX(t testing.TB) []string {
	t.Helper()
	root := corpusPath(t, ".")
	var files []string
	for _, dir := range []string{"screenplain", "afterwriting", "lexington", "real"} {
		matches, err := filepath.Glob(filepath.Join(root, dir, "*.fdx"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(root, m)
			files = append(files, rel)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d FDX files in the corpus", len(files))
	}
	return files
}

func TestFDXCorpusReads(t *testing.T) {
	for _, rel := range corpusFDX(t) {
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(corpusPath(t, rel))
			if err != nil {
				t.Fatal(err)
			}
			s, err := Read(data, Options{Name: rel})
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != FDX {
				t.Errorf("format %q, want fdx", s.Format)
			}
			if len(s.Elements) == 0 {
				t.Error("no elements")
			}
			checkFDXInvariants(t, s)
		})
	}
}

// TestFDXCorpusSceneCounts checks the number of scene headings against the
// counts recorded for the real scripts and, for screenplain's twins, the
// scene headings of the same script in Fountain.
func TestFDXCorpusSceneCounts(t *testing.T) {
	want := realSceneCounts(t)
	for _, rel := range corpusFDX(t) {
		dir, file := filepath.Split(rel)
		var ok []int
		switch filepath.Clean(dir) {
		case "real":
			ok = want[file]
			if ok == nil {
				t.Errorf("%s: no scene count in real/SOURCES.tsv", rel)
				continue
			}
		case "screenplain":
			twin, err := os.ReadFile(corpusPath(t, strings.TrimSuffix(rel, ".fdx")+".fountain"))
			if err != nil {
				t.Fatal(err)
			}
			ok = []int{countFountainHeadings(string(twin))}
		default:
			continue
		}
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(corpusPath(t, rel))
			if err != nil {
				t.Fatal(err)
			}
			s, err := readFDX(data)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range s.Elements {
				if e.Type == SceneHeading {
					n++
				}
			}
			for _, w := range ok {
				if n == w {
					return
				}
			}
			t.Errorf("%d scene headings, want %v", n, ok)
		})
	}
}

// realSceneCounts reads the scenes column of real/SOURCES.tsv: "171|170"
// means either count is right; an empty cell is a file nobody counted.
func realSceneCounts(t *testing.T) map[string][]int {
	f, err := os.Open(corpusPath(t, "real/SOURCES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	counts := map[string][]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	col := -1
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if col < 0 {
			for i, h := range fields {
				if h == "scenes" {
					col = i
				}
			}
			if col < 0 {
				t.Fatal("real/SOURCES.tsv has no scenes column")
			}
			continue
		}
		if len(fields) <= col || strings.TrimSpace(fields[col]) == "" {
			continue // unlabelled: a script to label, with no count yet
		}
		for _, v := range strings.Split(fields[col], "|") {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("SOURCES.tsv: %s: scenes %q", fields[0], fields[col])
			}
			counts[fields[0]] = append(counts[fields[0]], n)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return counts
}

var fountainHeading = regexp.MustCompile(`^(?i:(int|ext|est|int\.?/ext|i/e)[. ])|^\.[^.]`)

// countFountainHeadings counts Fountain scene headings the simple way: a
// line starting INT., EXT. and the like, or forced with '.', after a
// blank line.
func countFountainHeadings(text string) int {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	n := 0
	for i, l := range lines {
		if fountainHeading.MatchString(l) && (i == 0 || strings.TrimSpace(lines[i-1]) == "") {
			n++
		}
	}
	return n
}

// TestFDXScannerMatchesEncodingXML reads every corpus FDX, fixture and
// fuzz seed with the scanner and with encoding/xml: they must agree on
// whether the file is well-formed and on everything extracted.
func TestFDXScannerMatchesEncodingXML(t *testing.T) {
	inputs := map[string][]byte{}
	for _, rel := range corpusFDX(t) {
		data, err := os.ReadFile(corpusPath(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		inputs["corpus/"+rel] = data
	}
	for _, pattern := range []string{"testdata/fdx/*.fdx", "testdata/fdx/hostile/*.fdx"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inputs[f] = data
		}
	}
	seeds := fuzzSeeds(t, "FuzzFDX")
	if len(seeds) < 10 {
		t.Fatalf("only %d fuzz seeds", len(seeds))
	}
	for name, data := range seeds {
		inputs[name] = data
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			if diff := diffReaders(data); diff != "" {
				t.Error(diff)
			}
		})
	}
}

// diffReaders describes how the scanner and encoding/xml disagree on data,
// or returns "".
func diffReaders(data []byte) string {
	fast, errFast := readFDX(data)
	ref, errRef := readFDXStd(data)
	switch {
	case (errFast == nil) != (errRef == nil):
		return fmt.Sprintf("well-formedness differs: scanner %v, encoding/xml %v", errFast, errRef)
	case errFast != nil:
		if why(errFast) != why(errRef) {
			return fmt.Sprintf("error kinds differ: scanner %v, encoding/xml %v", errFast, errRef)
		}
		return ""
	}
	// Line offsets differ where encoding/xml has already turned &#10; and
	// a literal newline into the same character; everything else must match.
	strip := func(s *Script) *Script {
		c := *s
		c.Elements = append([]Element(nil), s.Elements...)
		for i := range c.Elements {
			c.Elements[i].LineOffsets = nil
		}
		return &c
	}
	a, b := strip(fast), strip(ref)
	if !reflect.DeepEqual(a, b) {
		for i := 0; i < min(len(a.Elements), len(b.Elements)); i++ {
			if !reflect.DeepEqual(a.Elements[i], b.Elements[i]) {
				return fmt.Sprintf("element %d differs:\n scanner      %+v\n encoding/xml %+v", i, a.Elements[i], b.Elements[i])
			}
		}
		return fmt.Sprintf("scripts differ:\n scanner      %d elements, title %q, revisions %+v\n encoding/xml %d elements, title %q, revisions %+v",
			len(a.Elements), a.Title, a.Revisions, len(b.Elements), b.Title, b.Revisions)
	}
	return ""
}

// fuzzSeeds reads the committed seed corpus of a fuzz target.
func fuzzSeeds(t *testing.T, target string) map[string][]byte {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", target, "*"))
	if err != nil {
		t.Fatal(err)
	}
	seeds := map[string][]byte{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data, err := parseFuzzSeed(string(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		seeds[f] = data
	}
	return seeds
}

// parseFuzzSeed reads a one-value seed file: "go test fuzz v1" and then
// []byte("...").
func parseFuzzSeed(s string) ([]byte, error) {
	header, body, ok := strings.Cut(s, "\n")
	if !ok || strings.TrimSpace(header) != "go test fuzz v1" {
		return nil, fmt.Errorf("not a fuzz seed file")
	}
	body = strings.TrimSpace(body)
	if !strings.HasPrefix(body, "[]byte(") || !strings.HasSuffix(body, ")") {
		return nil, fmt.Errorf("want one []byte value")
	}
	v, err := strconv.Unquote(body[len("[]byte(") : len(body)-1])
	return []byte(v), err
}

// checkFDXInvariants holds for every script the FDX reader returns.
func checkFDXInvariants(t testing.TB, s *Script) {
	t.Helper()
	for i, e := range s.Elements {
		if e.Line < 1 {
			t.Errorf("element %d (%s %q): line %d", i, e.Type, e.Text, e.Line)
		}
		if !knownElementType(e.Type) {
			t.Errorf("element %d: unknown type %q", i, e.Type)
		}
		if e.LineOffsets != nil && len(e.LineOffsets) != strings.Count(e.Text, "\n")+1 {
			t.Errorf("element %d: %d line offsets for %d lines", i, len(e.LineOffsets), strings.Count(e.Text, "\n")+1)
		}
		if e.LineOffsets == nil && strings.Contains(e.Text, "\n") {
			t.Errorf("element %d: multi-line text without line offsets", i)
		}
		if e.Text != strings.Trim(e.Text, " \t\r\n") {
			t.Errorf("element %d: untrimmed text %q", i, e.Text)
		}
	}
}

func knownElementType(t ElementType) bool {
	switch t {
	case SceneHeading, Action, Character, Parenthetical, Dialogue, Lyrics, Transition, Centered,
		Shot, ActBreak, General, CastList, PageBreak, Section, Synopsis, Note:
		return true
	}
	return false
}

// TestEighthsAgreeWithFinalDraft cross-checks the standard layout against
// Final Draft's own scene lengths (SceneProperties Length) in the corpus's
// screenplays: close per scene and in total.
func TestEighthsAgreeWithFinalDraft(t *testing.T) {
	for _, name := range []string{"real/farmland.fdx", "real/nicholl-guide.fdx", "real/unclebob-e16.fdx"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(corpusPath(t, name))
			if err != nil {
				t.Fatal(err)
			}
			s, err := Read(data, Options{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			n, ours, theirs, diff := 0, 0, 0, 0
			for _, sc := range s.Scenes {
				if sc.SourceEighths == 0 {
					continue
				}
				n++
				ours += sc.Eighths
				theirs += sc.SourceEighths
				diff += max(sc.Eighths-sc.SourceEighths, sc.SourceEighths-sc.Eighths)
			}
			if n == 0 {
				t.Fatal("no scene states its length")
			}
			mean, ratio := float64(diff)/float64(n), float64(ours)/float64(theirs)
			t.Logf("%d scenes: mean difference %.2f eighths, total %d vs Final Draft's %d", n, mean, ours, theirs)
			if mean > 0.75 || ratio < 0.9 || ratio > 1.1 {
				t.Errorf("lengths drift from Final Draft's: mean difference %.2f eighths a scene, total ratio %.2f", mean, ratio)
			}
		})
	}
}
