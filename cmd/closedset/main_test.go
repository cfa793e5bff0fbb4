package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const harbor = "../../screenplay/testdata/twins/harbor.fountain"

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestScenesJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scenes", "--format", "json", harbor)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Title  string `json:"title"`
		Format string `json:"format"`
		Scenes []struct {
			Index      int      `json:"index"`
			Number     string   `json:"number"`
			Heading    string   `json:"heading"`
			Page       int      `json:"page"`
			Eighths    int      `json:"eighths"`
			Characters []string `json:"characters"`
			Line       int      `json:"line"`
		} `json:"scenes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Title != "HARBOR LIGHTS" || doc.Format != "fountain" || len(doc.Scenes) != 11 {
		t.Fatalf("title %q format %q scenes %d", doc.Title, doc.Format, len(doc.Scenes))
	}
	first := doc.Scenes[0]
	if first.Index != 1 || first.Number != "1" || first.Heading != "EXT. HARBOR WALL - DAWN" ||
		first.Page != 1 || first.Eighths < 1 || first.Line != 11 || strings.Join(first.Characters, ",") != "NORA,JUNE" {
		t.Errorf("first scene: %+v", first)
	}
}

func TestScenesTextFromStdin(t *testing.T) {
	data, err := os.ReadFile(harbor)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, string(data), "scenes", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"HARBOR LIGHTS: 11 scenes", "HEADING", "INT. NORA'S HOUSE - BEDROOM - NIGHT", "10A", "NORA, JUNE"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

func TestScenesBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("big.fountain", bytes.Repeat([]byte("INT. A - DAY\n\n"), 1000))
	tests := []struct {
		name string
		args []string
		want string
		code int
	}{
		{"binary", []string{"scenes", write("x.bin", []byte{0x7f, 'E', 'L', 'F', 0, 0, 1, 2})}, "binary data", 2},
		{"over the size limit", []string{"scenes", "--max-bytes", "1000", big}, "over the 1000 bytes limit", 2},
		{"missing file", []string{"scenes", filepath.Join(dir, "nope.fdx")}, "no such file", 2},
		{"a folder", []string{"scenes", dir}, "is a folder", 2},
		{"empty", []string{"scenes", write("empty.fountain", nil)}, "file is empty", 2},
		{"truncated FDX", []string{"scenes", write("cut.fdx", []byte(`<?xml version="1.0"?><FinalDraft><Content><Paragraph Type="Action"><Text>Cut of`))}, "cut.fdx", 2},
		{"hostile PDF", []string{"scenes", write("bad.pdf", []byte("%PDF-1.7\n1 0 obj << /Length 99999999 >> stream\nxx"))}, "bad.pdf", 2},
		{"unknown flag", []string{"scenes", "--colour", harbor}, "flag provided but not defined", 2},
		{"unknown format", []string{"scenes", "--format", "xml", harbor}, "unknown --format", 2},
		{"unknown input format", []string{"scenes", "--input-format", "docx", harbor}, "unknown input format", 2},
		{"no file", []string{"scenes"}, "want one FILE", 2},
		{"unknown command", []string{"frobnicate"}, "unknown command", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 && tt.name != "unknown flag" {
				t.Errorf("error is not one line: %q", stderr)
			}
		})
	}
}

// TestHelpListsEveryCommand: closedset help lists DESIGN.md's command line,
// each command with the usage written there.
func TestHelpListsEveryCommand(t *testing.T) {
	code, out, _ := runCLI(t, "", "help")
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, want := range []string{
		"closedset serve [--addr 127.0.0.1:8080] [--db URL]",
		"closedset scenes [--format text|json] FILE",
		"closedset breakdown [--format text|json|csv|md|html] FILE",
		"closedset scan [--format text|json|csv] PATH...",
		"closedset user create --email E --name N [--admin]",
		"closedset user password --email E",
		"closedset token create --email E",
		"closedset audit verify [--db URL]",
		"closedset backup --out FILE",
		"closedset restore FILE",
		"CLOSEDSET_DB",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}
