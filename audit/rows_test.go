package audit

import (
	"strings"
	"testing"
	"time"
)

func rowsEvent(t *testing.T, rows []Row) Event {
	t.Helper()
	d, err := Digest(map[string]int{"withdrawal": 5})
	if err != nil {
		t.Fatal(err)
	}
	e, err := NextRows(nil, time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC), Actor{ID: 1, Name: "ic@example.org"},
		"consent.withdraw", "scene:3", d, rows)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var rowHash = strings.Repeat("ab", 32)

// The rows an event names are covered by its hash: a row dropped from
// the list, or its hash or key changed, breaks the chain there.
func TestRowsAreCoveredByTheHash(t *testing.T) {
	rows := []Row{{"withdrawals", 5, rowHash}, {"withdrawal_reasons", 5, strings.Repeat("cd", 32)}}
	e := rowsEvent(t, rows)
	if _, err := Verify(stream([]Event{e})); err != nil {
		t.Fatalf("a chain with rows: %v", err)
	}
	if plain := rowsEvent(t, nil); plain.Hash == e.Hash {
		t.Fatal("an event's hash ignores its rows")
	}
	edits := map[string]func(e *Event){
		"row dropped":   func(e *Event) { e.Rows = e.Rows[:1] },
		"rows dropped":  func(e *Event) { e.Rows = nil },
		"key changed":   func(e *Event) { e.Rows[0].Key = 6 },
		"hash changed":  func(e *Event) { e.Rows[0].Hash = strings.Repeat("00", 32) },
		"table changed": func(e *Event) { e.Rows[0].Table = "consents" },
		"bad hash":      func(e *Event) { e.Rows[0].Hash = "AB" },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			bad := e
			bad.Rows = append([]Row(nil), e.Rows...)
			edit(&bad)
			_, err := Verify(stream([]Event{bad}))
			if be, ok := err.(*BrokenError); !ok || be.Seq != 1 || be.Kind != Changed {
				t.Fatalf("Verify = %v, want event 1 changed", err)
			}
		})
	}
}

func TestRowsRoundTripAndRefuseOtherSpellings(t *testing.T) {
	rows := []Row{{"withdrawals", 5, rowHash}, {"rider_scenes", 12, rowHash}}
	s := FormatRows(rows)
	got, err := ParseRows(s)
	if err != nil || len(got) != 2 || got[0] != rows[0] || got[1] != rows[1] {
		t.Fatalf("ParseRows(%q) = %v, %v", s, got, err)
	}
	if got, err := ParseRows(""); err != nil || got != nil {
		t.Fatalf(`ParseRows("") = %v, %v`, got, err)
	}
	for _, bad := range []string{
		" " + s, s + " ", "withdrawals:05:" + rowHash, "withdrawals:+5:" + rowHash, "Withdrawals:5:" + rowHash,
		"withdrawals:5:" + strings.ToUpper(rowHash), "withdrawals:5", "withdrawals:-1:" + rowHash, "withdrawals::" + rowHash,
		"withdrawals:5:" + rowHash + "  consents:1:" + rowHash,
	} {
		if _, err := ParseRows(bad); err == nil {
			t.Errorf("ParseRows(%q) accepted another spelling", bad)
		}
	}
}

func TestNextRowsRefusesBadRows(t *testing.T) {
	for _, r := range []Row{{"", 1, rowHash}, {"a-b", 1, rowHash}, {"t", -1, rowHash}, {"t", 1, "x"}} {
		if _, err := NextRows(nil, time.Now(), System, "a.b", "x:1", rowHash, []Row{r}); err == nil {
			t.Errorf("NextRows accepted row %+v", r)
		}
	}
}
