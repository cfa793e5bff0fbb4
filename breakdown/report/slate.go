package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"closedset/breakdown"
	"closedset/screenplay"
)

// ScriptResult is one script of a slate: what its breakdown found, or why
// it could not be read.
type ScriptResult struct {
	Path           string                     `json:"path"`
	Format         screenplay.Format          `json:"format,omitempty"`
	Title          string                     `json:"title"`
	Scenes         int                        `json:"scenes"`
	Flagged        int                        `json:"flagged"`
	FlaggedEighths int                        `json:"flagged_eighths"`
	ByCategory     map[breakdown.Category]int `json:"by_category"`
	Minors         []string                   `json:"minors"`
	Estimate
	// Error says why the script could not be read; the other fields are
	// then empty.
	Error string `json:"error,omitempty"`
}

// NewScriptResult sums up the breakdown of the script at path.
func NewScriptResult(path string, b *breakdown.Breakdown) ScriptResult {
	r := ScriptResult{
		Path: path, Format: b.Format, Title: b.Title, Scenes: b.Summary.Scenes,
		Flagged: b.Summary.Flagged, FlaggedEighths: b.Summary.FlaggedEighths,
		ByCategory: map[breakdown.Category]int{}, Minors: nonNil(b.Summary.Minors),
		Estimate: EstimateDays(b),
	}
	for c, n := range b.Summary.ByCategory {
		r.ByCategory[c] = n
	}
	return r
}

// FailedScript is a script that could not be read or broken down.
func FailedScript(path string, err error) ScriptResult {
	return ScriptResult{Path: path, ByCategory: map[breakdown.Category]int{}, Minors: []string{}, Error: err.Error()}
}

// Slate is the breakdown of many scripts, in the order given (closedset
// scan sorts them by path), with their totals.
type Slate struct {
	Scripts []ScriptResult `json:"scripts"`
	Totals  SlateTotals    `json:"totals"`
}

// SlateTotals adds up the scripts of a slate that could be read. Minors
// counts names per script: JUNE in two episodes is counted twice, as she
// needs the IC in both.
type SlateTotals struct {
	Scripts        int                        `json:"scripts"`
	Failed         int                        `json:"failed"`
	Scenes         int                        `json:"scenes"`
	Flagged        int                        `json:"flagged"`
	FlaggedEighths int                        `json:"flagged_eighths"`
	ByCategory     map[breakdown.Category]int `json:"by_category"`
	Minors         int                        `json:"minors"`
	Estimate
}

// NewSlate totals the results.
func NewSlate(results []ScriptResult) Slate {
	s := Slate{Scripts: results, Totals: SlateTotals{Scripts: len(results), ByCategory: map[breakdown.Category]int{}}}
	if s.Scripts == nil {
		s.Scripts = []ScriptResult{}
	}
	t := &s.Totals
	for _, r := range results {
		if r.Error != "" {
			t.Failed++
			continue
		}
		t.Scenes += r.Scenes
		t.Flagged += r.Flagged
		t.FlaggedEighths += r.FlaggedEighths
		for c, n := range r.ByCategory {
			t.ByCategory[c] += n
		}
		t.Minors += len(r.Minors)
		t.PrepDays += r.PrepDays
		t.ShootDays += r.ShootDays
	}
	return s
}

// SlateFormats are the formats WriteSlate knows.
var SlateFormats = []Format{Text, JSON, CSV}

// ParseSlateFormat turns a scan --format value into a Format.
func ParseSlateFormat(v string) (Format, error) {
	for _, f := range SlateFormats {
		if Format(v) == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown --format %q (want %s)", v, formatList(SlateFormats))
}

// WriteSlate writes a slate in format f, rendered whole before it reaches w.
func WriteSlate(w io.Writer, f Format, s Slate) error {
	var buf bytes.Buffer
	var err error
	switch f {
	case Text:
		err = writeSlateText(&buf, s)
	case JSON:
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(s)
	case CSV:
		err = writeSlateCSV(&buf, s)
	default:
		_, err = ParseSlateFormat(string(f))
	}
	if err != nil {
		return err
	}
	_, err = buf.WriteTo(w)
	return err
}

// writeSlateText writes an aligned table, one script a row, and a totals
// line. A failed script's row holds its error in the last column, where
// its length never widens the table.
func writeSlateText(w io.Writer, s Slate) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PATH\tFORMAT\tSCENES\tFLAGGED\tFLAGGED PAGES\tMINORS\tPREP DAYS\tSHOOT DAYS\tCATEGORIES")
	for _, r := range s.Scripts {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\tFAILED\t-\t-\t-\t-\t-\t-\t%s\n", printable(r.Path), printable(strings.TrimPrefix(r.Error, r.Path+": ")))
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\t%s\t%d\t%s\n", printable(r.Path), r.Format, r.Scenes, r.Flagged,
			pagesOf(r.FlaggedEighths), len(r.Minors), days(r.PrepDays), r.ShootDays, shortCounts(r.ByCategory))
	}
	t := s.Totals
	fmt.Fprintf(tw, "TOTAL (%d scripts, %d failed)\t\t%d\t%d\t%s\t%d\t%s\t%d\t%s\n", t.Scripts, t.Failed, t.Scenes, t.Flagged,
		pagesOf(t.FlaggedEighths), t.Minors, days(t.PrepDays), t.ShootDays, shortCounts(t.ByCategory))
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// shortCounts writes category counts as "kissing 2, nudity 1".
func shortCounts(m map[breakdown.Category]int) string {
	cs := categoryCounts(breakdown.Summary{ByCategory: m}, false)
	if len(cs) == 0 {
		return "-"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %d", strings.ToLower(Label(c.cat)), c.n)
	}
	return strings.Join(parts, ", ")
}

// days writes a day count as 2 or 2.5.
func days(d float64) string {
	return strconv.FormatFloat(d, 'f', -1, 64)
}

// writeSlateCSV writes one row per script, a column per category so a
// spreadsheet can sum them; no totals row, which would be summed again.
func writeSlateCSV(w io.Writer, s Slate) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := []string{"path", "format", "title", "scenes", "flagged", "flagged_length", "flagged_eighths"}
	for _, c := range breakdown.Categories {
		header = append(header, string(c))
	}
	header = append(header, "minors", "prep_days", "shoot_days", "error")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range s.Scripts {
		if r.Error != "" {
			// Empty cells, not zeros: a failed script found nothing, and a
			// spreadsheet's sum must not read it as "no flags".
			row := make([]string, len(header))
			row[0], row[len(row)-1] = r.Path, r.Error
			if err := cw.Write(safeRow(row)); err != nil {
				return err
			}
			continue
		}
		row := []string{r.Path, string(r.Format), r.Title, strconv.Itoa(r.Scenes), strconv.Itoa(r.Flagged),
			csvLength(r.FlaggedEighths), strconv.Itoa(r.FlaggedEighths)}
		for _, c := range breakdown.Categories {
			row = append(row, strconv.Itoa(r.ByCategory[c]))
		}
		row = append(row, strings.Join(r.Minors, "; "), days(r.PrepDays), strconv.Itoa(r.ShootDays), r.Error)
		if err := cw.Write(safeRow(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
