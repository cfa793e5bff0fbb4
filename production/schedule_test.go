package production

import (
	"strings"
	"testing"
	"time"

	"closedset"
)

func TestParseScheduleReadsRowsAndHeader(t *testing.T) {
	rows, err := ParseSchedule([]byte("\ufeffScene #,Date,Call\r\n12,2026-04-01,07:30\r\n 12a ,2026-04-02, 18:05\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	if r := rows[0]; r.Row != 2 || r.Number != "12" || r.Date != (Date{2026, time.April, 1}) || r.Call != 7*time.Hour+30*time.Minute {
		t.Errorf("row 0 = %+v", r)
	}
	if r := rows[1]; r.Row != 3 || r.Number != "12A" {
		t.Errorf("row 1 = %+v", r)
	}
	tz, _ := time.LoadLocation("Europe/London")
	if got := rows[0].CallTime(tz); !got.Equal(time.Date(2026, 4, 1, 6, 30, 0, 0, time.UTC)) {
		t.Errorf("call time %v, want 06:30 UTC (BST)", got)
	}
}

func TestParseScheduleNamesEveryBadRow(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		want      []string
	}{
		{"bad date", "1,2026-04-01,07:00\n2,2026-13-01,07:00\n", []string{"row 2: date"}},
		{"bad call", "1,2026-04-01,7pm\n", []string{"row 1: call time"}},
		{"columns", "1,2026-04-01\n", []string{"row 1: 2 columns, want 3"}},
		{"twice", "5,2026-04-01,07:00\n5,2026-04-02,07:00\n", []string{"row 2: scene 5 is already scheduled in row 1"}},
		{"no number", ",2026-04-01,07:00\n", []string{"row 1: no scene number"}},
		{"two bad", "x y,2026-04-01,07:00\n2,2026-04-01,25:00\n", []string{"row 1:", "row 2:"}},
		{"quote", "1,\"2026-04-01,07:00\n", []string{"row 1: not CSV"}},
		{"empty", "Scene,Date,Call\n", []string{"no rows"}},
		{"not utf-8", "1,\xff,07:00\n", []string{"not UTF-8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSchedule([]byte(tc.csv))
			if !closedset.Is(err, closedset.Invalid) {
				t.Fatalf("err = %v, want invalid", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestParseScheduleBoundsItsRows(t *testing.T) {
	var b strings.Builder
	for i := range MaxScheduleRows + 1 {
		b.WriteString(strings.Repeat("1", 1+i%3) + ",2026-04-01,07:00\n")
	}
	if _, err := ParseSchedule([]byte(b.String())); !closedset.Is(err, closedset.TooLarge) && !closedset.Is(err, closedset.Invalid) {
		t.Fatalf("err = %v, want too_large or invalid", err)
	}
}

// FuzzParseSchedule: any bytes give rows or an error of a kind, never a
// panic; every row read is one that reads the same again.
func FuzzParseSchedule(f *testing.F) {
	f.Add([]byte("Scene,Date,Call\r\n12,2026-04-01,07:30\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseSchedule(data)
		if err != nil {
			if closedset.KindOf(err) == "" {
				t.Fatalf("error of no kind: %v", err)
			}
			return
		}
		for _, r := range rows {
			if r.Number == "" || !r.Date.Valid() || r.Call < 0 || r.Call >= 24*time.Hour {
				t.Fatalf("row %+v", r)
			}
		}
	})
}
