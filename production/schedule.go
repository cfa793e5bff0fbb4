package production

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"closedset"
)

// A shooting schedule from a scheduling tool (Movie Magic, StudioBinder,
// a spreadsheet), as CSV: one row a scene, "scene number, date, call
// time". It sets the shoot days and the call times of the scenes it
// names, all or nothing: ParseSchedule reads the rows and names every bad
// one, and the operation that applies them checks each scene against the
// production before anything is written.

// MaxScheduleRows bounds a schedule: a long shoot has a few hundred
// scenes.
const MaxScheduleRows = 2000

// ScheduleRow is one row of a schedule: the scene's number as printed on
// the script, the date of its shoot day and its call time on that date,
// in the production's time zone.
type ScheduleRow struct {
	Row    int // 1-based, counting the header if there is one
	Number string
	Date   Date
	// Call is the call time's clock on Date: hours and minutes after
	// midnight.
	Call time.Duration
}

// CallTime is the row's call time in tz.
func (r ScheduleRow) CallTime(tz *time.Location) time.Time {
	if tz == nil {
		tz = time.UTC
	}
	h, m := int(r.Call/time.Hour), int(r.Call%time.Hour/time.Minute)
	return time.Date(r.Date.Year, r.Date.Month, r.Date.Day, h, m, 0, 0, tz)
}

// RowError is what is wrong with one row of a schedule.
type RowError struct {
	Row int
	Msg string
}

func (e RowError) String() string { return fmt.Sprintf("row %d: %s", e.Row, e.Msg) }

// maxRowErrors bounds the rows an error names: a file that is no schedule
// at all needs no thousand lines to say so.
const maxRowErrors = 20

// ScheduleError is an Invalid *closedset.Error naming every bad row (the
// first maxRowErrors of them), or nil when there are none.
func ScheduleError(bad []RowError) error {
	if len(bad) == 0 {
		return nil
	}
	msgs := make([]string, 0, min(len(bad), maxRowErrors)+1)
	for i, b := range bad {
		if i == maxRowErrors {
			msgs = append(msgs, fmt.Sprintf("and %d more bad rows", len(bad)-maxRowErrors))
			break
		}
		msgs = append(msgs, b.String())
	}
	return closedset.FieldErrorf(closedset.Invalid, "schedule", "nothing was written: %s", strings.Join(msgs, "; "))
}

// ParseSchedule reads a schedule CSV: three columns, scene number, date
// (YYYY-MM-DD) and call time (HH:MM, 24-hour), with an optional header
// row whose first cell is "scene" (any case, any suffix: "Scene #").
// Every bad row is named in the error (ScheduleError); a scene listed
// twice is bad in its second row. An empty schedule is invalid.
func ParseSchedule(data []byte) ([]ScheduleRow, error) {
	if !utf8.Valid(data) {
		return nil, closedset.FieldErrorf(closedset.Invalid, "schedule", "the file is not UTF-8 text")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // spreadsheets' byte order mark
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // counted per row below, to name the row
	r.ReuseRecord = true
	var rows []ScheduleRow
	var bad []RowError
	seen := map[string]int{}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{line, fmt.Sprintf("not CSV: %v", pe.Err)})
			} else {
				bad = append(bad, RowError{line, "not CSV"})
			}
			break // the reader cannot say where the next row starts
		}
		if line > MaxScheduleRows+1 {
			return nil, closedset.FieldErrorf(closedset.TooLarge, "schedule", "more than %d rows", MaxScheduleRows)
		}
		if line == 1 && len(rec) > 0 && strings.HasPrefix(strings.ToLower(strings.TrimSpace(rec[0])), "scene") {
			continue
		}
		row, msg := scheduleRow(line, rec)
		if msg == "" {
			if first, dup := seen[row.Number]; dup {
				msg = fmt.Sprintf("scene %s is already scheduled in row %d", row.Number, first)
			} else {
				seen[row.Number] = line
			}
		}
		if msg != "" {
			bad = append(bad, RowError{line, msg})
			continue
		}
		rows = append(rows, row)
	}
	if err := ScheduleError(bad); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, closedset.FieldErrorf(closedset.Invalid, "schedule", "no rows: want scene number, date (YYYY-MM-DD), call time (HH:MM)")
	}
	return rows, nil
}

// scheduleRow reads one record; msg says what is wrong with it.
func scheduleRow(line int, rec []string) (ScheduleRow, string) {
	if len(rec) != 3 {
		return ScheduleRow{}, fmt.Sprintf("%d columns, want 3: scene number, date, call time", len(rec))
	}
	num := strings.TrimSpace(rec[0])
	switch {
	case num == "":
		return ScheduleRow{}, "no scene number"
	case len(num) > 16:
		return ScheduleRow{}, "the scene number is longer than 16 characters"
	}
	for _, c := range num {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '-') {
			return ScheduleRow{}, fmt.Sprintf("scene number %q: letters, digits, '.' and '-' only", num)
		}
	}
	date, err := ParseDate(strings.TrimSpace(rec[1]))
	if err != nil {
		return ScheduleRow{}, fmt.Sprintf("date %q is not YYYY-MM-DD", clip(rec[1]))
	}
	if date.Year < 1970 || date.Year > 9999 {
		return ScheduleRow{}, fmt.Sprintf("date %s is not between 1970 and 9999", date)
	}
	clock, err := time.Parse("15:04", strings.TrimSpace(rec[2]))
	if err != nil {
		return ScheduleRow{}, fmt.Sprintf("call time %q is not HH:MM (24-hour)", clip(rec[2]))
	}
	call := time.Duration(clock.Hour())*time.Hour + time.Duration(clock.Minute())*time.Minute
	return ScheduleRow{Row: line, Number: strings.ToUpper(num), Date: date, Call: call}, ""
}

// clip shortens a cell quoted back in an error.
func clip(s string) string {
	const n = 24
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
