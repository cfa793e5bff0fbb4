package production

import (
	"closedset"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"closedset/textfield"
)

// AdultAge is the age from which a performer is no longer a minor. The
// minors rules (no nudity, simulated sex or sexual violence) are law in the
// US and UK whatever the policy pack, so it is not a policy setting.
const AdultAge = 18

// Date is a civil date: a day on the calendar with no time of day and no
// zone. Dates of birth and shoot days are Dates, because an age changes at
// local midnight, not at an instant: holding them as time.Time would make a
// performer's age depend on the zone of whoever reads it. The zero Date is
// "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a date written YYYY-MM-DD; anything else is an Invalid
// *closedset.Error, whose field the caller names.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, closedset.Errorf(closedset.Invalid, "date %q is not YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String writes the date as YYYY-MM-DD, "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real calendar day between the years 1
// and 9999 (so that 2023-02-29 is not valid).
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return DateOf(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)) == d
}

// Compare returns -1, 0 or +1 as d is before, the same day as, or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText writes YYYY-MM-DD; JSON carries a Date as that string.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsZero() && !d.Valid() {
		return nil, fmt.Errorf("date %04d-%02d-%02d does not exist", d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD; the empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AgeOn is the age in full years, on the calendar day `day`, of someone
// born on dob; negative when day is before dob.
//
// Someone born on 29 February turns a year older on 1 March in a year with
// no 29 February: the day after 28 February is the first day on which the
// full year has passed, which is how UK law (Family Law Reform Act 1969,
// s.9, read with the calendar) and US state practice count it. Comparing
// (month, day) pairs gives exactly that rule.
func AgeOn(dob, day Date) int {
	age := day.Year - dob.Year
	if day.Month < dob.Month || (day.Month == dob.Month && day.Day < dob.Day) {
		age--
	}
	return age
}

// ShootDay is the calendar day of a call time in the production's time
// zone: a 23:30 call in Los Angeles is that evening's date there, whatever
// the date in UTC. A nil zone is UTC.
func ShootDay(callTime time.Time, tz *time.Location) Date {
	if tz == nil {
		tz = time.UTC
	}
	return DateOf(callTime.In(tz))
}

// Performer is a person cast in a production. Their age is computed on
// each shoot date (see MinorOn), never stored.
type Performer struct {
	ID           int64  `json:"id"`
	ProductionID int64  `json:"production_id"`
	UserID       int64  `json:"user_id,omitempty"` // 0: no account yet
	Name         string `json:"name"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	DateOfBirth  Date   `json:"date_of_birth"`
	// Characters are the script's character names this performer plays,
	// as the breakdown writes them (ANNA).
	Characters     []string  `json:"characters"`
	Representative string    `json:"representative,omitempty"` // agent or lawyer, free text
	CreatedBy      int64     `json:"-"`
	Created        time.Time `json:"-"`
	// Removed is when the performer was taken off the cast, zero while
	// they are on it. A removed record is kept: its riders, consents and
	// withdrawals are history.
	Removed time.Time `json:"-"`
}

// NewPerformer is a performer to add to a production.
type NewPerformer struct {
	ProductionID   int64
	UserID         int64 // their account, 0 when they have none yet
	Name           string
	Email          string // optional
	Phone          string // optional
	DateOfBirth    Date
	Characters     []string
	Representative string // optional: agent or manager
}

// Performer is the performer the record makes, before it is stored.
func (np NewPerformer) Performer() Performer {
	return Performer{ProductionID: np.ProductionID, UserID: np.UserID, Name: np.Name, Email: np.Email, Phone: np.Phone,
		DateOfBirth: np.DateOfBirth, Characters: np.Characters, Representative: np.Representative}
}

// MaxCharacters bounds the characters one performer plays. The limits on
// a performer's text fields are textfield's, as everywhere.
const MaxCharacters = 50

// MaxAge is the oldest a performer's date of birth may make them: an older
// one is a typing slip (1926 for 1996), not a performer.
const MaxAge = 120

// Validate checks a performer's fields on the calendar day today (the
// production's): the first one that is wrong is a *closedset.Error of kind
// Invalid naming it as the API does ("date_of_birth"). Name and date of
// birth are required, and the date of birth is in the past, at most MaxAge
// years before today; email, phone and representative are optional but
// checked when given.
func (p Performer) Validate(today Date) error {
	if err := checkLine("name", p.Name, textfield.MaxName, true); err != nil {
		return err
	}
	if p.Email != "" {
		if err := checkLine("email", p.Email, textfield.MaxEmail, false); err != nil {
			return err
		}
		a, err := mail.ParseAddress(p.Email)
		if err != nil || a.Address != p.Email {
			return closedset.FieldErrorf(closedset.Invalid, "email", "%q is not an address like name@example.com", p.Email)
		}
	}
	if p.Phone != "" {
		if err := checkLine("phone", p.Phone, textfield.MaxPhone, false); err != nil {
			return err
		}
		for _, r := range p.Phone {
			if !unicode.IsDigit(r) && !strings.ContainsRune("+-(). ", r) {
				return closedset.FieldErrorf(closedset.Invalid, "phone", "%q: only digits, spaces and + - ( ) . are allowed", p.Phone)
			}
		}
	}
	if p.DateOfBirth.IsZero() {
		return closedset.FieldErrorf(closedset.Invalid, "date_of_birth", "required (YYYY-MM-DD)")
	}
	if !p.DateOfBirth.Valid() {
		return closedset.FieldErrorf(closedset.Invalid, "date_of_birth", "%04d-%02d-%02d is not a date of birth", p.DateOfBirth.Year, int(p.DateOfBirth.Month), p.DateOfBirth.Day)
	}
	if p.DateOfBirth.Compare(today) >= 0 {
		return closedset.FieldErrorf(closedset.Invalid, "date_of_birth", "%s is not before today: a date of birth is in the past", p.DateOfBirth)
	}
	if AgeOn(p.DateOfBirth, today) > MaxAge {
		return closedset.FieldErrorf(closedset.Invalid, "date_of_birth", "%s would make them over %d: check the year", p.DateOfBirth, MaxAge)
	}
	if len(p.Characters) > MaxCharacters {
		return closedset.FieldErrorf(closedset.Invalid, "characters", "more than %d", MaxCharacters)
	}
	seen := make(map[string]bool, len(p.Characters))
	for i, c := range p.Characters {
		if err := checkLine(fmt.Sprintf("characters[%d]", i), c, textfield.MaxName, true); err != nil {
			return err
		}
		k := strings.ToUpper(strings.TrimSpace(c))
		if seen[k] {
			return closedset.FieldErrorf(closedset.Invalid, fmt.Sprintf("characters[%d]", i), "%q is listed twice", c)
		}
		seen[k] = true
	}
	return checkLine("representative", p.Representative, textfield.MaxRepresentative, false)
}

// checkLine checks a one-line text field with the one text check
// (textfield), whose error names the field.
func checkLine(field, s string, max int, required bool) error {
	_, err := textfield.Line(field, s, max, required)
	return err
}

// AgeOn is the performer's age in full years on a calendar day.
func (p Performer) AgeOn(day Date) int { return AgeOn(p.DateOfBirth, day) }

// MinorOn reports whether the performer is under AdultAge on the given
// day, normally the shoot day (see ShootDay), not the casting date. A
// performer with no valid date of birth on record counts as a minor: the
// minors rules protect until an age is known.
func (p Performer) MinorOn(day Date) bool {
	return !p.DateOfBirth.Valid() || AgeOn(p.DateOfBirth, day) < AdultAge
}

// Plays reports whether the performer plays the named character, compared
// without regard to case or surrounding space.
func (p Performer) Plays(character string) bool {
	c := strings.TrimSpace(character)
	for _, x := range p.Characters {
		if strings.EqualFold(strings.TrimSpace(x), c) {
			return true
		}
	}
	return false
}
