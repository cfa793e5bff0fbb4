package consent

import (
	"os"
	"testing"
	"time"

	"closedset/breakdown"
	"closedset/production"
)

// bedroom reads testdata/plan-bedroom.json: Nora (7) and Theo (8), partial
// nudity and simulated sex with barriers.
func bedroom(t testing.TB) Plan {
	t.Helper()
	f, err := os.Open("testdata/plan-bedroom.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := DecodePlan(f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func date(s string) production.Date {
	d, err := production.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// cast is Nora (7, born 1994) and Theo (8, born 1990).
func cast() map[int64]production.Performer {
	return map[int64]production.Performer{
		7: {ID: 7, Name: "Nora Vale", DateOfBirth: date("1994-05-02"), Characters: []string{"NORA"}},
		8: {ID: 8, Name: "Theo Marsh", DateOfBirth: date("1990-11-20"), Characters: []string{"THEO"}},
	}
}

func sag(t testing.TB) Policy {
	t.Helper()
	p, err := PolicyByName("sag_aftra")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func at(s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// withdrawnAt is a withdrawal at t.
func withdrawnAt(t time.Time) *Withdrawal { return &Withdrawal{At: t} }

// flags are a scene's detected flags of the categories, none reviewed.
func flags(categories ...string) []production.Flag {
	out := make([]production.Flag, len(categories))
	for i, c := range categories {
		out[i].Category = breakdown.Category(c)
	}
	return out
}
