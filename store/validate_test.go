package store

import (
	"closedset"
	"strings"
	"testing"

	"closedset/textfield"
)

func TestEmailsAreKeptInOneSpelling(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		kind     closedset.Kind
	}{
		{"Nora@Example.com", "nora@example.com", ""},
		{"  ida@example.com\t", "ida@example.com", ""},
		{"", "", closedset.Invalid},
		{"nora", "", closedset.Invalid},
		{"@example.com", "", closedset.Invalid},
		{"nora@", "", closedset.Invalid},
		{"no ra@example.com", "", closedset.Invalid},
		{"a@b@example.com", "", closedset.Invalid},
		{"nora\n@example.com", "", closedset.Invalid},
		{strings.Repeat("a", textfield.MaxEmail) + "@example.com", "", closedset.Invalid},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := normalEmail(tc.in)
			if closedset.KindOf(err) != tc.kind || got != tc.want {
				t.Fatalf("normalEmail(%q) = %q, %v; want %q, kind %q", tc.in, got, err, tc.want, tc.kind)
			}
		})
	}
}

func TestTitlePageFieldsAreClippedNotRefused(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  HARBOR LIGHTS ", "HARBOR LIGHTS"},
		{"HARBOR\nLIGHTS", "HARBOR LIGHTS"},
		{"bad \xff byte", "bad   byte"},
		{strings.Repeat("é", textfield.MaxTitle+5), strings.Repeat("é", textfield.MaxTitle)},
	} {
		if got := clip(tc.in, textfield.MaxTitle); got != tc.want {
			t.Errorf("clip(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNotesKeepLineBreaksOnly(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind closedset.Kind
	}{
		{"cut in the blue pages\n\tsee notes", ""},
		{"", ""},
		{"bell\a", closedset.Invalid},
		{"\xff", closedset.Invalid},
		{strings.Repeat("n", textfield.MaxNote+1), closedset.Invalid},
	} {
		if _, err := checkNote(tc.in); closedset.KindOf(err) != tc.kind {
			t.Errorf("checkNote(%.20q) = %v, want kind %q", tc.in, err, tc.kind)
		}
	}
}

func TestTimeZonesAreIANANames(t *testing.T) {
	for _, tc := range []struct {
		tz string
		ok bool
	}{
		{"Europe/London", true}, {"America/Toronto", true}, {"UTC", true},
		{"", false}, {"Local", false}, {"Mars/Olympus", false}, {"../../etc/passwd", false},
	} {
		if err := checkTimeZone(tc.tz); (err == nil) != tc.ok {
			t.Errorf("checkTimeZone(%q) = %v", tc.tz, err)
		}
	}
}
