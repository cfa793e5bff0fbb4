package screenplay

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The twins in testdata/twins are one script written as Fountain, with its
// Final Draft and PDF versions made from it by internal/twingen. Read in any
// format, it must give the same scenes and characters.
func TestTwinsReadTheSame(t *testing.T) {
	read := func(name string) *Script {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", "twins", name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := Read(data, Options{Name: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	fountain, fdx, pdf := read("harbor.fountain"), read("harbor.fdx"), read("harbor.pdf")
	if fountain.Format != Fountain || fdx.Format != FDX || pdf.Format != PDF {
		t.Fatalf("formats detected: %s, %s, %s", fountain.Format, fdx.Format, pdf.Format)
	}
	want := sceneSummary(fountain)
	if len(want) != 11 {
		t.Fatalf("Fountain twin: %d scenes, want 11", len(want))
	}
	for _, other := range []*Script{fdx, pdf} {
		got := sceneSummary(other)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s twin differs from Fountain:\n got %q\nwant %q", other.Format, got, want)
		}
		if title := other.TitleValue("title"); title != "HARBOR LIGHTS" {
			t.Errorf("%s twin title %q", other.Format, title)
		}
	}
	// Fountain and FDX share the standard layout: identical lengths. The PDF
	// is measured on its own pages, which may break a line differently.
	for i := range fountain.Scenes {
		f, x, p := fountain.Scenes[i], fdx.Scenes[i], pdf.Scenes[i]
		if f.Eighths != x.Eighths {
			t.Errorf("scene %s: Fountain %d/8, FDX %d/8", f.Number, f.Eighths, x.Eighths)
		}
		if x.SourceEighths != f.Eighths {
			t.Errorf("scene %s: FDX SceneProperties Length %d/8, computed %d/8", f.Number, x.SourceEighths, f.Eighths)
		}
		if d := p.Eighths - f.Eighths; d < -1 || d > 1 {
			t.Errorf("scene %s: PDF %d/8, Fountain %d/8", f.Number, p.Eighths, f.Eighths)
		}
	}
	if len(fdx.Revisions) != 1 || fdx.Revisions[0].Color != "blue" {
		t.Errorf("FDX revisions: %+v", fdx.Revisions)
	}
}

// sceneSummary renders each scene as "number|heading|characters".
func sceneSummary(s *Script) []string {
	var out []string
	for _, sc := range s.Scenes {
		out = append(out, sc.Number+"|"+sc.Heading+"|"+strings.Join(sc.Characters, ","))
	}
	return out
}

// TestCorpusEveryFileReads reads every screenplay in the shared corpus, in
// whatever format it is, without error.
func TestCorpusEveryFileReads(t *testing.T) {
	dir := corpusPath(t, ".")
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".fountain", ".fdx", ".pdf":
		default:
			return nil
		}
		n++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s, err := Read(data, Options{Name: path})
		if err != nil {
			t.Errorf("%v", err)
			return nil
		}
		if len(s.Elements) == 0 {
			t.Errorf("%s: no elements", path)
		}
		checkScript(t, s, 0)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no screenplays found in the corpus")
	}
}
