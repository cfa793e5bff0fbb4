package consent

import (
	"closedset"
	"reflect"
	"strings"
	"testing"
)

func goodBoundaries() Boundaries {
	return Boundaries{
		Touch: []TouchRule{
			{Area: "neck", By: ByScenePartner, Allowed: true},
			{Area: "back", By: ByPerformer(8), Allowed: true},
			{Area: "thighs", By: ByScenePartner, Allowed: false},
		},
		NoTouch:  []string{"buttocks", "inner_thighs"},
		Exposure: []ExposureRule{{Area: "breasts", Angles: []string{"side"}, Allowed: true}, {Area: "genitals", Allowed: false}},
		Garments: []string{"nipple covers"},
		Notes:    "Prefers the scene partner to say before a hand moves.\nNo surprises.",
	}
}

func TestBoundariesRoundTrip(t *testing.T) {
	b := goodBoundaries()
	data, err := MarshalBoundaries(b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalBoundaries(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, b) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, b)
	}
}

func TestBadBoundariesNameTheField(t *testing.T) {
	tests := []struct {
		field string
		edit  func(*Boundaries)
	}{
		{"touch[0].area", func(b *Boundaries) { b.Touch[0].Area = "elbow-ish" }},
		{"touch[0].by", func(b *Boundaries) { b.Touch[0].By = "anyone" }},
		{"touch[1].by", func(b *Boundaries) { b.Touch[1].By = "performer:07" }},
		{"touch[0]", func(b *Boundaries) { b.Touch[0].By = ByNobody }},
		{"touch[3]", func(b *Boundaries) { b.Touch = append(b.Touch, TouchRule{Area: "neck", By: ByScenePartner}) }},
		{"touch", func(b *Boundaries) { b.Touch = make([]TouchRule, MaxTouchRules+1) }},
		{"no_touch[0]", func(b *Boundaries) { b.NoTouch[0] = "soul" }},
		{"no_touch[2]", func(b *Boundaries) { b.NoTouch = append(b.NoTouch, "neck") }},
		{"exposure[0].angles[0]", func(b *Boundaries) { b.Exposure[0].Angles = []string{"above"} }},
		{"exposure[1].area", func(b *Boundaries) { b.Exposure[1].Area = "" }},
		{"garments[0]", func(b *Boundaries) { b.Garments[0] = " " }},
		{"notes", func(b *Boundaries) { b.Notes = strings.Repeat("n", MaxNotes+1) }},
		{"notes", func(b *Boundaries) { b.Notes = "bell\a" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			b := goodBoundaries()
			tt.edit(&b)
			_, err := MarshalBoundaries(b)
			if !closedset.Is(err, closedset.Invalid) || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("err = %v, want one naming %s", err, tt.field)
			}
		})
	}
}

func TestBoundariesDecoderIsStrict(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"unknown field", `{"touch":[],"reason":"x"}`, "unknown field"},
		{"field twice", `{"notes":"a","notes":"b"}`, "appears twice"},
		{"field in another case", `{"Notes":"a"}`, "lower case"},
		{"nested field in another case", `{"touch":[{"AREA":"neck","by":"nobody"}]}`, "lower case"},
		{"trailing data", `{"notes":"a"} {}`, "after the JSON object"},
		{"not an object", `["neck"]`, "want a JSON object"},
		{"wrong type", `{"touch":"neck"}`, "touch"},
		{"too large", `{"notes":"` + strings.Repeat("a", MaxBoundariesBytes) + `"}`, "larger than"},
		{"empty", ``, "object"},
		{"truncated", `{"notes":`, "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := UnmarshalBoundaries([]byte(tt.body))
			if !closedset.Is(err, closedset.Invalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want invalid mentioning %q", err, tt.want)
			}
		})
	}
}

func TestBodyAreaVocabulary(t *testing.T) {
	for _, a := range []string{"breasts", "chest", "buttocks", "genitals", "pubic_area", "back", "thighs", "neck", "lips", "face", "hands", "feet", "torso", "legs", "arms", "shoulders", "hair"} {
		if !IsBodyArea(a) {
			t.Errorf("%s is not in the vocabulary", a)
		}
	}
	if IsBodyArea("Neck") {
		t.Error("IsBodyArea is not case-sensitive")
	}
}
