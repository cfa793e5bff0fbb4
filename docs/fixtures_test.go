package docs

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// fullRider fills every field of a rider with a value found nowhere else on
// the page, so a test can look for each one.
func fullRider(t testing.TB) Rider {
	la := zone(t, "America/Los_Angeles")
	return Rider{
		ID:         "R-0007",
		Version:    2,
		Production: "Harbor Lights",
		Policy:     "SAG-AFTRA",
		Performer: Performer{
			Name:           "Zoë Ødegård",
			Characters:     []string{"Дарья", "Young Mara"},
			Representative: "Nguyễn Thị Lan (agent), +1 555 0100",
		},
		IssuedAt: time.Date(2026, 3, 3, 14, 5, 0, 0, la),
		Scenes: []RiderScene{
			{
				Number:  "42A",
				Heading: "INT. HOTEL ROOM — NIGHT",
				Pages: ScriptPages{First: "34", Last: "35", Colour: "blue",
					RevisionDate: time.Date(2026, 3, 3, 0, 0, 0, 0, la)},
				PlanVersion:  "plan v3 (sha256 9f2c41aa)",
				Description:  "Mara and Tom kiss on the bed and simulate intercourse under a sheet, lit low.",
				FinalPicture: "Shot from the shoulders up except one wide; the sheet covers both below the waist.",
				Nudity: Nudity{Level: "partial", Areas: []ShownArea{
					{Area: "buttocks", Angles: []string{"rear", "side"}},
					{Area: "breasts/chest", Angles: []string{"side"}},
				}},
				Acts:          []string{"simulated intercourse, performer on top", "simulated orgasm"},
				Contact:       []string{"kissing: lips and neck", "partner's hands on waist and back"},
				Footage:       []string{"not in trailers or promotional material", "no re-use in other productions"},
				Stills:        []string{"no stills of the nudity", "stills need the performer's written approval"},
				BodyDouble:    "a body double may be used for the wide shot, limited to what this rider allows",
				DigitalDouble: "no digital replica or digitally altered nudity",
				Garments:      []string{"strapless thong", "skin-tone nipple covers"},
				Barriers:      []string{"barrier cushion between the performers' pelvises"},
				Conditions:    []string{"closed set, monitors masked", "robe person between takes"},
				Beyond:        []string{"contact: partner's hands on waist and back — beyond the recorded boundary: no touch on back"},
			},
			{
				Number:       "57",
				Heading:      "EXT. BEACH — DAWN",
				Pages:        ScriptPages{First: "61", Colour: "pink"},
				Description:  "Mara walks into the sea.",
				FinalPicture: "Silhouette against the sunrise.",
				Nudity:       Nudity{Level: "implied"},
				Conditions:   []string{"heated tent on the beach"},
			},
		},
	}
}

func fullSignature(t testing.TB, r Rider) Signature {
	return Signature{
		TypedName:      "Zoë Ødegård",
		UserID:         314,
		UserEmail:      "zoe@example.test",
		SignedAt:       time.Date(2026, 3, 4, 9, 30, 15, 0, zone(t, "America/Los_Angeles")),
		IP:             "203.0.113.9",
		UserAgent:      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148",
		DocumentDigest: Digest(r),
		Agreed:         true,
	}
}

func fullSummary(t testing.TB) Summary {
	lon := zone(t, "Europe/London")
	return Summary{
		Production: "Harbor Lights",
		Policy:     "equity_uk",
		PreparedAt: time.Date(2026, 3, 5, 10, 0, 0, 0, lon),
		Scenes: []SummaryScene{
			{
				Number:      "42A",
				Heading:     "INT. HOTEL ROOM — NIGHT",
				Pages:       ScriptPages{First: "34", Last: "35", Colour: "blue", RevisionDate: time.Date(2026, 3, 3, 0, 0, 0, 0, lon)},
				WhatHappens: "Mara and Tom kiss and simulate intercourse under a sheet.",
				People: []SummaryPerson{
					{Name: "Zoë Ødegård", Characters: []string{"Mara"}},
					{Name: "Nguyễn Thị Lan", Characters: []string{"Дарья"}},
				},
				Costume:   []string{"strapless thong", "robes for both performers"},
				Props:     []string{"barrier cushion", "knee pads"},
				HMU:       []string{"body makeup on the back"},
				Camera:    []string{"monitors masked; two cameras, no handheld"},
				Stunts:    []string{"the fall onto the bed, rehearsed with mats"},
				ClosedSet: true,
				CallTime:  time.Date(2026, 3, 9, 7, 30, 0, 0, lon),
			},
			{
				Number:      "57",
				Heading:     "EXT. BEACH — DAWN",
				Pages:       ScriptPages{First: "61"},
				WhatHappens: "Mara walks into the sea, seen from behind.",
				People:      []SummaryPerson{{Name: "Дарья Соколова"}},
				Costume:     []string{"flesh-tone swimsuit"},
			},
		},
	}
}

// longRider has n scenes with long texts, some with words too long for a line.
func longRider(t testing.TB, n int) Rider {
	r := fullRider(t)
	base := r.Scenes[0]
	r.Scenes = nil
	for i := 1; i <= n; i++ {
		s := base
		s.Number = fmt.Sprintf("%d", 100+i)
		s.Description = fmt.Sprintf("scene%03d-start ", i) + strings.Repeat("The performers move slowly and the count is eight. ", 40) +
			strings.Repeat("x", 260) + fmt.Sprintf(" scene%03d-end", i)
		s.Acts = []string{fmt.Sprintf("act-%03d ", i) + strings.Repeat("simulated movement, clinical and counted; ", 12)}
		s.Conditions = []string{fmt.Sprintf("condition-%03d", i), strings.Repeat("no personal recording devices on set. ", 15)}
		r.Scenes = append(r.Scenes, s)
	}
	return r
}
