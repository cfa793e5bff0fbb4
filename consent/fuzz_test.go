package consent

import (
	"bytes"
	"closedset"
	"os"
	"testing"
)

// FuzzPlanJSON decodes arbitrary plan bodies: decoding, validating and
// encoding never panic, and a decoded plan's canonical encoding is itself a
// plan body with the same canonical encoding.
func FuzzPlanJSON(f *testing.F) {
	if b, err := os.ReadFile("testdata/plan-bedroom.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"description":"x","performers":[{"performer_id":7}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := DecodePlan(bytes.NewReader(body))
		if err != nil {
			if !closedset.Is(err, closedset.Invalid) {
				t.Fatalf("decode error of kind %q: %v", closedset.KindOf(err), err)
			}
			return
		}
		_ = p.Validate(sag(t), cast(), date("2026-06-15"))
		_ = p.Compare(Plan{})
		c := p.Canonical()
		if len(c) > MaxPlanBytes {
			return // a body near the limit may grow by its escapes
		}
		q, err := DecodePlan(bytes.NewReader(c))
		if err != nil {
			t.Fatalf("canonical does not decode: %v\n%s", err, c)
		}
		if c2 := q.Canonical(); !bytes.Equal(c, c2) {
			t.Fatalf("canonical changed on a round trip:\n%s\n%s", c, c2)
		}
		if p.Hash() != q.Hash() {
			t.Fatal("hash changed on a round trip")
		}
	})
}

// FuzzBoundariesJSON: the boundaries decoder never panics, and what it
// accepts encodes and decodes to the same value.
func FuzzBoundariesJSON(f *testing.F) {
	f.Add([]byte(`{"touch":[{"area":"neck","by":"scene partner","allowed":true}],"no_touch":["genitals"],"exposure":[{"area":"back","angles":["rear"],"allowed":true}],"garments":["robe"],"notes":"n"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := UnmarshalBoundaries(body)
		if err != nil {
			return
		}
		data, err := MarshalBoundaries(b)
		if err != nil {
			t.Fatalf("accepted boundaries do not encode: %v", err)
		}
		if _, err := UnmarshalBoundaries(data); err != nil {
			t.Fatalf("encoded boundaries do not decode: %v\n%s", err, data)
		}
	})
}
