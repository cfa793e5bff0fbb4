package production

import (
	"closedset"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones these tests use, on any host

	"closedset/textfield"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestAgeOnShootDay(t *testing.T) {
	tests := []struct {
		name     string
		dob, day string
		age      int
		minor    bool
	}{
		{"17 years 364 days is a minor", "2008-06-15", "2026-06-14", 17, true},
		{"18 on the birthday itself", "2008-06-15", "2026-06-15", 18, false},
		{"the day after turning 18", "2008-06-15", "2026-06-16", 18, false},
		{"born 29 Feb, 28 Feb of a common year: not yet", "2008-02-29", "2026-02-28", 17, true},
		{"born 29 Feb, 1 March of a common year: older", "2008-02-29", "2026-03-01", 18, false},
		{"born 29 Feb, 29 Feb of a leap year", "2008-02-29", "2028-02-29", 20, false},
		{"born 29 Feb, 28 Feb of a leap year: not yet", "2008-02-29", "2028-02-28", 19, false},
		{"born 28 Feb, 28 Feb", "2008-02-28", "2026-02-28", 18, false},
		{"born 1 March, 29 Feb of a leap year: not yet", "2010-03-01", "2028-02-29", 17, true},
		{"a day before birth", "2010-03-01", "2010-02-28", -1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Performer{DateOfBirth: d(tt.dob)}
			if got := p.AgeOn(d(tt.day)); got != tt.age {
				t.Errorf("AgeOn = %d, want %d", got, tt.age)
			}
			if got := p.MinorOn(d(tt.day)); got != tt.minor {
				t.Errorf("MinorOn = %v, want %v", got, tt.minor)
			}
		})
	}
}

func TestPerformerWhoTurns18BetweenCastingAndShootIsAnAdultOnTheDay(t *testing.T) {
	p := Performer{DateOfBirth: d("2008-09-10")}
	casting, shoot := d("2026-08-01"), d("2026-09-10")
	if !p.MinorOn(casting) || p.MinorOn(shoot) {
		t.Errorf("minor at casting = %v (want true), on shoot day = %v (want false)", p.MinorOn(casting), p.MinorOn(shoot))
	}
}

func TestShootDayIsTheCalendarDayInTheProductionsZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatalf("no time zone data: %v", err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatalf("no time zone data: %v", err)
	}
	tests := []struct {
		name string
		call time.Time
		tz   *time.Location
		want string
	}{
		{"late call in LA is still that day there", time.Date(2026, 6, 15, 6, 30, 0, 0, time.UTC), la, "2026-06-14"},
		{"same instant in London", time.Date(2026, 6, 15, 6, 30, 0, 0, time.UTC), london, "2026-06-15"},
		{"London, just after midnight on the spring-forward night", time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), london, "2026-03-29"},
		{"London, 23:30 BST the night before the autumn change", time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC), london, "2026-10-24"},
		{"LA, 23:59 PDT before fall-back", time.Date(2026, 11, 1, 6, 59, 0, 0, time.UTC), la, "2026-10-31"},
		{"nil zone is UTC", time.Date(2026, 6, 15, 6, 30, 0, 0, la), nil, "2026-06-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShootDay(tt.call, tt.tz).String(); got != tt.want {
				t.Errorf("ShootDay = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDateJSONAndValidity(t *testing.T) {
	var p struct {
		DOB Date `json:"dob"`
	}
	if err := json.Unmarshal([]byte(`{"dob":"2008-02-29"}`), &p); err != nil || p.DOB != (Date{2008, 2, 29}) {
		t.Fatalf("decode: %v, %v", p.DOB, err)
	}
	if err := json.Unmarshal([]byte(`{"dob":"2007-02-29"}`), &p); err == nil {
		t.Error("2007-02-29 decoded")
	}
	b, err := json.Marshal(p)
	if err != nil || string(b) != `{"dob":"2008-02-29"}` {
		t.Errorf("encode: %s, %v", b, err)
	}
	if (Date{2023, 2, 29}).Valid() || !(Date{2024, 2, 29}).Valid() {
		t.Error("Valid is wrong about 29 February")
	}
	if d("2026-01-01").Compare(d("2025-12-31")) != 1 || d("2026-01-01").Compare(d("2026-01-01")) != 0 {
		t.Error("Compare")
	}
}

func TestPerformerValidateNamesTheField(t *testing.T) {
	good := Performer{Name: "Anna Ruiz", Email: "anna@example.com", Phone: "+44 20 7946 0000",
		DateOfBirth: d("1990-04-02"), Characters: []string{"ANNA"}, Representative: "Jo Agent, JA Talent"}
	today := d("2026-03-03")
	if err := good.Validate(today); err != nil {
		t.Fatalf("good performer: %v", err)
	}
	tests := []struct {
		field string
		edit  func(*Performer)
	}{
		{"name", func(p *Performer) { p.Name = "  " }},
		{"name", func(p *Performer) { p.Name = strings.Repeat("a", textfield.MaxName+1) }},
		{"email", func(p *Performer) { p.Email = "anna at example" }},
		{"email", func(p *Performer) { p.Email = "Anna <anna@example.com>" }},
		{"phone", func(p *Performer) { p.Phone = "call me" }},
		{"date_of_birth", func(p *Performer) { p.DateOfBirth = Date{} }},
		{"date_of_birth", func(p *Performer) { p.DateOfBirth = Date{2023, 2, 29} }},
		{"date_of_birth", func(p *Performer) { p.DateOfBirth = Date{1850, 1, 1} }},
		{"date_of_birth", func(p *Performer) { p.DateOfBirth = d("2026-03-03") }}, // born today: not in the past
		{"date_of_birth", func(p *Performer) { p.DateOfBirth = d("2030-01-01") }},
		{"date_of_birth", func(p *Performer) { p.DateOfBirth = d("1905-03-03") }}, // 121 today
		{"characters[1]", func(p *Performer) { p.Characters = []string{"ANNA", "anna"} }},
		{"characters[0]", func(p *Performer) { p.Characters = []string{""} }},
		{"characters", func(p *Performer) { p.Characters = make([]string, MaxCharacters+1) }},
		{"representative", func(p *Performer) { p.Representative = "a\x00b" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			p := good
			tt.edit(&p)
			err := p.Validate(today)
			var e *closedset.Error
			if !errors.As(err, &e) || e.Kind != closedset.Invalid || e.Field != tt.field || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("err = %v, want an invalid one naming %s", err, tt.field)
			}
		})
	}
}

func TestPlaysIgnoresCase(t *testing.T) {
	p := Performer{Characters: []string{"Anna"}}
	if !p.Plays("ANNA ") || p.Plays("MARK") {
		t.Error("Plays")
	}
}

func TestPerformerWithNoDateOfBirthCountsAsAMinor(t *testing.T) {
	if !(Performer{}).MinorOn(d("2026-06-15")) {
		t.Error("a performer with no date of birth is treated as an adult")
	}
}

// TestDateOfBirthIsInThePastAndWithinMaxAge: the edges of a date of birth
// on 3 March 2026: yesterday, and a 120-year-old's birthday, are accepted;
// today, tomorrow and a 121st birthday today are not.
func TestDateOfBirthIsInThePastAndWithinMaxAge(t *testing.T) {
	today := d("2026-03-03")
	for dob, ok := range map[string]bool{
		"2026-03-02": true, "1905-03-04": true, "1990-04-02": true,
		"2026-03-03": false, "2026-03-04": false, "1905-03-03": false, "2999-01-01": false,
	} {
		err := Performer{Name: "A", DateOfBirth: d(dob)}.Validate(today)
		if (err == nil) != ok {
			t.Errorf("born %s: err = %v, want accepted %v", dob, err, ok)
		}
	}
}
