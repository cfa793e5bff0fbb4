package report

import (
	"bytes"
	"closedset"
	"context"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"closedset/breakdown"
	"closedset/screenplay"
)

// The goldens hold the exact output of every format for two scripts. The
// detection engine changes more often than these writers, so a change in
// what it flags changes the goldens too: after such a change, read the
// diff, then refresh them all with
//
//	go test ./breakdown/report -update
//
// and commit the new files with the engine change that caused them.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// goldenScripts are the inputs of the golden tests: the Harbor Lights test
// script, and traps.fountain, which hides Markdown, HTML, CSV formulas,
// terminal escapes, negations and false friends in script text.
var goldenScripts = map[string]string{
	"harbor": "../../screenplay/testdata/twins/harbor.fountain",
	"traps":  "testdata/traps.fountain",
}

var goldenExt = map[Format]string{Text: "txt", JSON: "json", CSV: "csv", Markdown: "md", HTML: "html"}

func TestGolden(t *testing.T) {
	for name, path := range goldenScripts {
		b := analyzeFile(t, path)
		for _, f := range Formats {
			t.Run(name+"."+goldenExt[f], func(t *testing.T) {
				var buf bytes.Buffer
				if err := Write(&buf, f, b); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, filepath.Join("testdata", name+".golden."+goldenExt[f]), buf.Bytes())
			})
		}
	}
}

func TestGoldenSlate(t *testing.T) {
	var results []ScriptResult
	for _, name := range []string{"harbor", "traps"} {
		results = append(results, NewScriptResult(name+".fountain", analyzeFile(t, goldenScripts[name])))
	}
	results = append(results, FailedScript("zz-broken.pdf", &closedset.Error{Kind: closedset.Unprocessable, Msg: "zz-broken.pdf: no page tree", Err: screenplay.ErrMalformed}))
	s := NewSlate(results)
	for _, f := range SlateFormats {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSlate(&buf, f, s); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "slate.golden."+goldenExt[f]), buf.Bytes())
		})
	}
}

func analyzeFile(t testing.TB, path string) *breakdown.Breakdown {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := screenplay.Read(data, screenplay.Options{Name: filepath.Base(path)})
	if err != nil {
		t.Fatal(err)
	}
	return breakdown.Analyze(s, breakdown.Options{})
}

// checkGolden compares got with the golden file, or rewrites it under
// -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./breakdown/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; if the change is intended, run go test ./breakdown/report -update\n--- got:\n%s", path, got)
	}
}

// TestStreamedJSONIsTheGolden checks that the JSON written scene by scene
// as the breakdown goes (closedset breakdown --format json) is the same
// bytes as the golden, written from a whole Breakdown.
func TestStreamedJSONIsTheGolden(t *testing.T) {
	for name, path := range goldenScripts {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := streamJSON(&buf, data, screenplay.Options{Name: path}); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", name+".golden.json"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("streamed JSON differs from %s.golden.json", name)
			}
		})
	}
}

// streamJSON reads data as a screenplay.Stream and writes its breakdown
// with StreamJSON, as closedset breakdown --format json does.
func streamJSON(w io.Writer, data []byte, opts screenplay.Options) error {
	walker := breakdown.NewWalker(breakdown.Options{})
	st, err := screenplay.OpenStream(context.Background(), string(data), opts, walker.Learn)
	if err != nil {
		return err
	}
	return StreamJSON(w, st, walker)
}

// TestStreamedJSONIsWholeOnTheCorpus: on every script of the shared
// corpus, the breakdown read as a stream and written scene by scene is
// the same bytes as the whole script read, analysed and written.
func TestStreamedJSONIsWholeOnTheCorpus(t *testing.T) {
	if raceOn {
		// One goroutine: make test runs it without -race, where it is
		// five times faster.
		t.Skip("run without -race (make test does)")
	}
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus missing in CI: %v", err)
		}
		t.Skipf("shared corpus not present: %v", err)
	}
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".tsv") || strings.HasSuffix(p, ".md") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s, err := screenplay.Read(data, screenplay.Options{Name: p})
		if err != nil {
			return nil // the reader's own tests judge what it refuses
		}
		var whole, streamed bytes.Buffer
		if err := WriteJSON(&whole, breakdown.Analyze(s, breakdown.Options{})); err != nil {
			t.Fatal(err)
		}
		if err := streamJSON(&streamed, data, screenplay.Options{Name: p}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !bytes.Equal(whole.Bytes(), streamed.Bytes()) {
			t.Errorf("%s: the streamed breakdown differs from the whole one", p)
		}
		n++
		return nil
	})
	if n < 50 {
		t.Fatalf("only %d corpus scripts read", n)
	}
}
