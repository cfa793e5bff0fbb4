package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// breakdownDoc is the Breakdown JSON contract of DESIGN.md, as another
// tool would decode it.
type breakdownDoc struct {
	Title  string `json:"title"`
	Format string `json:"format"`
	Scenes []struct {
		Index      int      `json:"index"`
		Number     string   `json:"number"`
		Heading    string   `json:"heading"`
		Page       int      `json:"page"`
		Eighths    int      `json:"eighths"`
		Characters []string `json:"characters"`
		Flags      []struct {
			Category   string  `json:"category"`
			Confidence float64 `json:"confidence"`
			Evidence   []struct {
				Line int    `json:"line"`
				Text string `json:"text"`
			} `json:"evidence"`
			Characters []string `json:"characters"`
		} `json:"flags"`
		NeedsIC bool `json:"needs_ic"`
	} `json:"scenes"`
	Summary struct {
		Scenes         int            `json:"scenes"`
		Flagged        int            `json:"flagged"`
		FlaggedEighths int            `json:"flagged_eighths"`
		ByCategory     map[string]int `json:"by_category"`
	} `json:"summary"`
}

func decodeBreakdown(t *testing.T, out string) breakdownDoc {
	t.Helper()
	var doc breakdownDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return doc
}

func TestBreakdownJSONFollowsTheContract(t *testing.T) {
	code, out, stderr := runCLI(t, "", "breakdown", "--format", "json", harbor)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc := decodeBreakdown(t, out)
	if doc.Title != "HARBOR LIGHTS" || doc.Format != "fountain" || len(doc.Scenes) != 11 || doc.Summary.Scenes != 11 {
		t.Fatalf("title %q format %q scenes %d summary %+v", doc.Title, doc.Format, len(doc.Scenes), doc.Summary)
	}
	flagged, eighths := 0, 0
	for i, sc := range doc.Scenes {
		if sc.Index != i+1 || sc.Flags == nil || sc.Characters == nil {
			t.Errorf("scene %d: index %d, flags %v, characters %v", i+1, sc.Index, sc.Flags, sc.Characters)
		}
		if sc.NeedsIC != (len(sc.Flags) > 0) {
			t.Errorf("scene %d: needs_ic %v with %d flags", sc.Index, sc.NeedsIC, len(sc.Flags))
		}
		if sc.NeedsIC {
			flagged++
			eighths += sc.Eighths
		}
		for _, f := range sc.Flags {
			if f.Category == "" || len(f.Evidence) == 0 || f.Evidence[0].Line < 1 || f.Evidence[0].Text == "" {
				t.Errorf("scene %d: flag %+v", sc.Index, f)
			}
		}
	}
	if flagged == 0 || doc.Summary.Flagged != flagged || doc.Summary.FlaggedEighths != eighths {
		t.Errorf("summary %+v, counted %d flagged scenes, %d eighths", doc.Summary, flagged, eighths)
	}
}

func TestBreakdownCSVIsATable(t *testing.T) {
	code, out, stderr := runCLI(t, "", "breakdown", "--format", "csv", harbor)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(rows) < 2 || rows[0][0] != "scene_index" || rows[0][len(rows[0])-1] != "evidence" {
		t.Fatalf("rows: %q", rows)
	}
	// encoding/csv already refuses rows of another width than the first.
	for _, r := range rows[1:] {
		if !strings.HasPrefix(r[len(r)-1], "line ") {
			t.Errorf("evidence cell %q", r[len(r)-1])
		}
	}
}

func TestBreakdownHTMLIsSelfContained(t *testing.T) {
	code, out, stderr := runCLI(t, "", "breakdown", "--format", "html", "../../breakdown/report/testdata/traps.fountain")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	var marks, h1 int
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed":
			t.Errorf("<%s> in a self-contained report (script text escaped badly?)", n.Data)
		case "mark":
			marks++
		case "h1":
			h1++
		}
		for _, a := range n.Attr {
			if (a.Key == "src" || a.Key == "href") && !strings.HasPrefix(a.Val, "#") {
				t.Errorf("<%s %s=%q> points outside the file", n.Data, a.Key, a.Val)
			}
		}
	}
	if h1 != 1 || marks == 0 {
		t.Errorf("%d h1, %d marks", h1, marks)
	}
	for _, want := range []string{`<meta name="viewport"`, "@media print", "&lt;B&gt;BAR&lt;/B&gt;", "starting point"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestBreakdownTextAndMarkdown(t *testing.T) {
	tests := []struct {
		format string
		want   []string
	}{
		{"text", []string{"HARBOR LIGHTS (fountain)", "11 scenes, 4 flagged", `line 72: "He kisses her, slowly."`, "minors: JUNE"}},
		{"md", []string{"# Intimacy breakdown: HARBOR LIGHTS", "| Flagged scenes | 4 |", "**kisses**", "starting point"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", "breakdown", "--format", tt.format, harbor)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestBreakdownLexicon(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	script := write("s.fountain", "INT. STUDIO - DAY\n\nMaya glomps Sam by the door.\n")
	good := write("extra.tsv", "# production terms\nkissing\tglomp~\t0.9\tthis show's word for its kiss\n")
	bad := write("bad.tsv", "# production terms\nkissing\tglomp~\t0.9\nglomping\tglomp\t0.9\n")

	code, out, stderr := runCLI(t, "", "breakdown", "--format", "json", script)
	if code != 0 || decodeBreakdown(t, out).Summary.Flagged != 0 {
		t.Fatalf("without the extra lexicon: exit %d, %s\n%s", code, stderr, out)
	}
	code, out, stderr = runCLI(t, "", "breakdown", "--format", "json", "--lexicon", good, script)
	if code != 0 || decodeBreakdown(t, out).Summary.ByCategory["kissing"] != 1 {
		t.Errorf("with --lexicon: exit %d, %s\n%s", code, stderr, out)
	}

	for _, tt := range []struct{ name, file, want string }{
		{"bad entry", bad, "bad.tsv: line 3: unknown category"},
		{"missing file", filepath.Join(dir, "nope.tsv"), "nope.tsv: no such file"},
		{"a folder", dir, "is a folder"},
		{"too big", write("big.tsv", strings.Repeat("#\n", 600_000)), "over the"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, cmd := range []string{"breakdown", "scan"} {
				code, _, stderr := runCLI(t, "", cmd, "--lexicon", tt.file, script)
				if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
					t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line with %q", cmd, code, stderr, tt.want)
				}
			}
		})
	}
}

func TestBreakdownBadUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"breakdown", "--format", "pdf", harbor}, "unknown --format"},
		{[]string{"breakdown"}, "want one FILE"},
		{[]string{"breakdown", harbor, harbor}, "want one FILE"},
		{[]string{"breakdown", "--input-format", "docx", harbor}, "unknown input format"},
		{[]string{"breakdown", "nope.fountain"}, "no such file"},
	} {
		code, out, stderr := runCLI(t, "", tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || out != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want exit 2 and %q", tt.args, code, stderr, out, tt.want)
		}
	}
}

func TestBreakdownReadsStdin(t *testing.T) {
	data, err := os.ReadFile(harbor)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, string(data), "breakdown", "-")
	if code != 0 || !strings.Contains(out, "HARBOR LIGHTS") {
		t.Errorf("exit %d, %s\n%s", code, stderr, out)
	}
}

// corpusDir is the shared real-world scripts, beside the project.
const corpusDir = "../../../shared/corpus"

// corpusPath returns the path of the shared corpus. When it is absent the
// test is skipped, except in CI (CI=true), where that is a failure.
func corpusPath(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared corpus missing in CI: %v", err)
		}
		t.Skipf("shared corpus not present: %v", err)
	}
	return corpusDir
}

// TestBreakdownCorpus runs closedset breakdown on every script of the
// shared corpus: each must exit 0 with JSON that follows the contract.
func TestBreakdownCorpus(t *testing.T) {
	root := corpusPath(t)
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && scriptExts[strings.ToLower(filepath.Ext(p))] {
			files = append(files, p)
		}
		return err
	})
	if len(files) == 0 {
		t.Fatal("no scripts in the corpus")
	}
	for _, p := range files {
		rel, _ := filepath.Rel(root, p)
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			code := run([]string{"breakdown", "--format", "json", p}, strings.NewReader(""), &out, &errb)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			doc := decodeBreakdown(t, out.String())
			if doc.Summary.Scenes != len(doc.Scenes) {
				t.Errorf("summary says %d scenes, %d listed", doc.Summary.Scenes, len(doc.Scenes))
			}
		})
	}
}
