package store

import (
	"strings"
	"testing"

	"closedset/textfield"
)

func TestEmailsAreKeptInOneSpelling(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		kind     Kind
	}{
		{"Nora@Example.com", "nora@example.com", ""},
		{"  ida@example.com\t", "ida@example.com", ""},
		{"", "", Invalid},
		{"nora", "", Invalid},
		{"@example.com", "", Invalid},
		{"nora@", "", Invalid},
		{"no ra@example.com", "", Invalid},
		{"a@b@example.com", "", Invalid},
		{"nora\n@example.com", "", Invalid},
		{strings.Repeat("a", textfield.MaxEmail) + "@example.com", "", Invalid},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := normalEmail(tc.in)
			if KindOf(err) != tc.kind || got != tc.want {
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
		kind Kind
	}{
		{"cut in the blue pages\n\tsee notes", ""},
		{"", ""},
		{"bell\a", Invalid},
		{"\xff", Invalid},
		{strings.Repeat("n", textfield.MaxNote+1), Invalid},
	} {
		if _, err := checkNote(tc.in); KindOf(err) != tc.kind {
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
