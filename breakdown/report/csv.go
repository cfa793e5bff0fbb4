package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"closedset/breakdown"
	"closedset/screenplay"
)

// csvHeader names the columns of WriteCSV.
var csvHeader = []string{
	"scene_index", "scene_number", "heading", "page", "length", "eighths", "category",
	"level_or_kind", "areas", "confidence", "characters", "evidence",
}

// utf8BOM starts every CSV. Excel opens a double-clicked .csv in the
// system's legacy code page unless the file starts with a UTF-8 byte order
// mark, which turns every curly quote and accented name of a script into
// mojibake; with the mark it reads UTF-8. LibreOffice recognises the mark
// and drops it. The cost: a program reading the file must skip three bytes
// (Python's "utf-8-sig", or a TrimPrefix in Go).
const utf8BOM = "\ufeff"

// WriteCSV writes one row per flag of each flagged scene, for a
// spreadsheet. Lengths are written as a script supervisor does ("1 3/8"),
// lists are joined with "; ", and evidence as "line N: text" joined with
// " | ". Line ends are LF, which Excel and LibreOffice both accept.
func WriteCSV(w io.Writer, b *breakdown.Breakdown) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, sc := range flagged(b) {
		for _, f := range sc.Flags {
			if err := cw.Write(safeRow(csvRow(sc, f))); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(sc breakdown.Scene, f breakdown.Flag) []string {
	evs := make([]string, len(f.Evidence))
	for i, ev := range f.Evidence {
		evs[i] = "line " + strconv.Itoa(ev.Line) + ": " + ev.Text
	}
	return []string{
		strconv.Itoa(sc.Index), sc.Number, sc.Heading, strconv.Itoa(sc.Page),
		csvLength(sc.Eighths), strconv.Itoa(sc.Eighths), string(f.Category), qualifier(f),
		strings.Join(f.Areas, "; "), strconv.FormatFloat(f.Confidence, 'f', 2, 64),
		strings.Join(f.Characters, "; "), strings.Join(evs, " | "),
	}
}

// safeRow guards every cell against formula injection: script text is
// untrusted, and a cell that starts with = + - @ (after blanks, tabs or
// returns) would run as a formula when the file is opened. A leading
// apostrophe makes it text.
func safeRow(row []string) []string {
	for i, cell := range row {
		row[i] = SafeCell(cell)
	}
	return row
}

// SafeCell is one cell of a CSV, neutralised against formula injection,
// with control characters replaced (see printable): a CSV is often read
// with cat or less before a spreadsheet ever opens it.
func SafeCell(cell string) string {
	cell = printable(cell)
	// printable has turned tabs and returns into spaces; some spreadsheets
	// skip leading blanks before looking for a formula.
	if t := strings.TrimLeft(cell, " "); t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + cell
	}
	return cell
}

// csvLength writes a length in pages as "1 3/8", and under a page as
// "0 3/8": a bare "3/8" is read as the 8th of March by Excel and
// LibreOffice, while "0 3/8" is read as the fraction it is. The eighths
// column beside it holds the same length as a number to sum.
func csvLength(eighths int) string {
	if eighths <= 0 {
		return "0"
	}
	s := screenplay.FormatEighths(eighths)
	if eighths < 8 {
		return "0 " + s
	}
	return s
}
