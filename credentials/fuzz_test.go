package credentials

import (
	"testing"

	"closedset"
	"closedset/production"
)

// FuzzParseAreas: any bytes give areas or an Invalid or TooLarge error,
// never a panic; what parses has known kinds and unique keys.
func FuzzParseAreas(f *testing.F) {
	f.Add(defaultAreas)
	f.Add([]byte("consent\tarea\tConsent\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := ParseAreas(data)
		if err != nil {
			if k := closedset.KindOf(err); k != closedset.Invalid && k != closedset.TooLarge {
				t.Fatalf("error of kind %q: %v", k, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, a := range as {
			if seen[a.Key] || !validKey(a.Key) {
				t.Fatalf("key %q", a.Key)
			}
			seen[a.Key] = true
		}
	})
}

// FuzzParsePathway: any bytes give a pathway or an error; a pathway
// parsed gives progress for an empty record without a panic.
func FuzzParsePathway(f *testing.F) {
	f.Add(defaultPathway)
	f.Add([]byte("a\tmodule\tA\t-\nb\tcertification\tB\tall,after:a,set_days:2:1y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pw, err := ParsePathway(data)
		if err != nil {
			if k := closedset.KindOf(err); k != closedset.Invalid && k != closedset.TooLarge {
				t.Fatalf("error of kind %q: %v", k, err)
			}
			return
		}
		day := production.Date{Year: 2026, Month: 3, Day: 1}
		pw.Progress(Record{}, DefaultAreas(), day)
		for _, st := range pw.Stages {
			_ = pw.CheckSignOff(st.Key, Record{}, DefaultAreas(), day)
		}
	})
}

// FuzzProfile: any JSON body of a profile normalizes or is refused as
// Invalid; a normalized profile normalizes again to the same JSON.
func FuzzProfile(f *testing.F) {
	f.Add([]byte(`{"trainings":[{"area":"consent","provider":"IPA","completed_on":"2025-01-01","proof_file_id":3}],"mhfa":{"completed_on":"2025-01-01","expires_on":"2028-01-01"},"background_check":{"on":"2025-02-01","scope":"national"},"certification":{"body":"IPA","issued_on":"2025-03-01"}}`))
	f.Add([]byte(`{"set_days":[{"on":"2020-02-29","production":"Short","proof_file_id":1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := UnmarshalProfile(data)
		if err != nil {
			return
		}
		today := production.Date{Year: 2026, Month: 3, Day: 1}
		if err := p.Normalize(DefaultAreas(), today); err != nil {
			if k := closedset.KindOf(err); k != closedset.Invalid {
				t.Fatalf("error of kind %q: %v", k, err)
			}
			return
		}
		a, err := MarshalProfile(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := UnmarshalProfile(a)
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Normalize(DefaultAreas(), today); err != nil {
			t.Fatalf("normalized profile refused again: %v", err)
		}
		if b, _ := MarshalProfile(q); string(a) != string(b) {
			t.Fatalf("not stable:\n%s\n%s", a, b)
		}
	})
}
