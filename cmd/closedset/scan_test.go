package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// scanDoc is the JSON of closedset scan.
type scanDoc struct {
	Scripts []struct {
		Path       string         `json:"path"`
		Format     string         `json:"format"`
		Scenes     int            `json:"scenes"`
		Flagged    int            `json:"flagged"`
		ByCategory map[string]int `json:"by_category"`
		Minors     []string       `json:"minors"`
		PrepDays   float64        `json:"prep_days"`
		ShootDays  int            `json:"shoot_days"`
		Error      string         `json:"error"`
	} `json:"scripts"`
	Totals struct {
		Scripts   int     `json:"scripts"`
		Failed    int     `json:"failed"`
		Scenes    int     `json:"scenes"`
		Flagged   int     `json:"flagged"`
		PrepDays  float64 `json:"prep_days"`
		ShootDays int     `json:"shoot_days"`
	} `json:"totals"`
}

// slateDir makes a folder as a production sends it: a good script, a
// broken PDF, a subfolder with another script, and files scan must skip.
func slateDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	harborData, err := os.ReadFile(harbor)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"ep101.fountain":          harborData,
		"ep102-broken.pdf":        []byte("%PDF-1.7\n1 0 obj << /Length 99999999 >> stream\nxx"),
		"season2/ep201.FOUNTAIN":  harborData,
		"season2/notes.docx":      []byte("PK\x03\x04 not a script"),
		".hidden/ep999.fountain":  harborData,
		"._ep101.pdf":             []byte("macOS resource fork"),
		"season2/call-sheet.jpeg": {0xff, 0xd8},
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestScanReportsBrokenScriptAndGoesOn(t *testing.T) {
	dir := slateDir(t)
	code, out, stderr := runCLI(t, "", "scan", "--format", "json", dir)
	if code != 1 || !strings.Contains(stderr, "1 of 3 scripts could not be read") {
		t.Fatalf("exit %d, stderr %q; want exit 1 naming the failure", code, stderr)
	}
	var doc scanDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var paths []string
	for _, s := range doc.Scripts {
		paths = append(paths, strings.TrimPrefix(filepath.ToSlash(s.Path), filepath.ToSlash(dir)+"/"))
	}
	if got := strings.Join(paths, " "); got != "ep101.fountain ep102-broken.pdf season2/ep201.FOUNTAIN" {
		t.Fatalf("scripts %q, want the three scripts sorted, hidden and other files skipped", got)
	}
	good, broken := doc.Scripts[0], doc.Scripts[1]
	if good.Error != "" || good.Format != "fountain" || good.Scenes != 11 || good.Flagged == 0 ||
		good.ByCategory["kissing"] == 0 || strings.Join(good.Minors, ",") != "JUNE" || good.PrepDays <= 0 || good.ShootDays <= 0 {
		t.Errorf("good script: %+v", good)
	}
	if broken.Error == "" || !strings.Contains(broken.Error, "ep102-broken.pdf") {
		t.Errorf("broken script: %+v", broken)
	}
	tot := doc.Totals
	if tot.Scripts != 3 || tot.Failed != 1 || tot.Scenes != 22 || tot.Flagged != 2*good.Flagged ||
		tot.PrepDays != 2*good.PrepDays || tot.ShootDays != 2*good.ShootDays {
		t.Errorf("totals %+v", tot)
	}
}

func TestScanText(t *testing.T) {
	dir := slateDir(t)
	code, out, _ := runCLI(t, "", "scan", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "PATH") || !strings.HasPrefix(lines[4], "TOTAL (3 scripts, 1 failed)") {
		t.Fatalf("want a header, 3 rows and a total:\n%s", out)
	}
	if !strings.Contains(lines[2], "FAILED") {
		t.Errorf("broken row: %q", lines[2])
	}
	// The table is aligned: every row's format column starts where the
	// header's does.
	col := strings.Index(lines[0], "FORMAT")
	for _, l := range lines[1:4] {
		if l[col-2:col] != "  " || l[col] == ' ' {
			t.Errorf("row not aligned at column %d: %q", col, l)
		}
	}
}

func TestScanCSV(t *testing.T) {
	code, out, stderr := runCLI(t, "", "scan", "--format", "csv", harbor)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "path" || rows[1][0] != harbor || rows[1][3] != "11" {
		t.Errorf("rows %q", rows)
	}
}

// TestScanIsTheSameOnOneCoreAndMany guards the worker pool: the order and
// content of the results never depend on which worker finished first.
func TestScanIsTheSameOnOneCoreAndMany(t *testing.T) {
	dir := slateDir(t)
	_, one, _ := runCLI(t, "", "scan", "--format", "json", "--jobs", "1", dir)
	_, many, _ := runCLI(t, "", "scan", "--format", "json", "--jobs", "8", dir, filepath.Join(dir, "ep101.fountain"))
	if one != many {
		t.Errorf("--jobs 1 and --jobs 8 differ:\n%s\n%s", one, many)
	}
}

func TestScanMissingPathIsAFailedRow(t *testing.T) {
	code, out, _ := runCLI(t, "", "scan", harbor, "no-such-folder")
	if code != 1 || !strings.Contains(out, "no-such-folder") || !strings.Contains(out, "no such file") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestScanBadUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scan"}, "want at least one PATH"},
		{[]string{"scan", "--format", "md", harbor}, "unknown --format"},
		{[]string{"scan", "--jobs", "0", harbor}, "--jobs"},
		{[]string{"scan", "-"}, "not standard input"},
		{[]string{"scan", "--input-format", "docx", harbor}, "unknown input format"},
	} {
		code, out, stderr := runCLI(t, "", tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) || out != "" {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestScanHelpStatesTheEstimateRule(t *testing.T) {
	code, _, stderr := runCLI(t, "", "scan", "-h")
	for _, want := range []string{"IC prep days", "IC shoot days", "3 pages a day", "Exit status: 0"} {
		if code != 0 || !strings.Contains(stderr, want) {
			t.Errorf("scan -h (exit %d) lacks %q", code, want)
		}
	}
}
