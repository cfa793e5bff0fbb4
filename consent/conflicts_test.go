package consent

import (
	"reflect"
	"testing"
)

// twoHander is a plan of performers 7 and 8; each test edits 7's part.
func twoHander(edit func(pp *PerformerPlan)) Plan {
	p := Plan{
		Description: "They kiss.",
		Performers: []PerformerPlan{
			{PerformerID: 7, Nudity: Nudity{Level: "none"}, Contact: []string{"kissing: lips"}},
			{PerformerID: 8, Nudity: Nudity{Level: "none"}, Contact: []string{"kissing: lips"}},
		},
	}
	if edit != nil {
		edit(&p.Performers[0])
	}
	return p
}

func TestConflicts(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		b    Boundaries
		want []Conflict // of performer 7
	}{
		{
			name: "none when within",
			plan: twoHander(func(pp *PerformerPlan) {
				pp.Contact = []string{"kissing: lips, neck", "hands: back"}
				pp.Nudity = Nudity{Level: "partial", Areas: []string{"buttocks"}, Angles: []string{"rear"}}
				pp.Garments = []string{"Silicone nipple covers"}
			}),
			b: Boundaries{
				Touch:    []TouchRule{{Area: "neck", By: ByScenePartner, Allowed: true}, {Area: "back", By: ByPerformer(8), Allowed: true}},
				NoTouch:  []string{"genitals"},
				Exposure: []ExposureRule{{Area: "buttocks", Angles: []string{"rear", "side"}, Allowed: true}, {Area: "genitals"}},
				Garments: []string{"nipple covers"},
			},
		},
		{
			name: "none when nothing is recorded",
			plan: twoHander(func(pp *PerformerPlan) {
				pp.Contact = []string{"hands: breasts"}
				pp.Nudity = Nudity{Level: "full"}
			}),
		},
		{
			name: "none for a performer not in the plan",
			plan: Plan{Performers: []PerformerPlan{{PerformerID: 8, Contact: []string{"hands: breasts"}}}},
			b:    Boundaries{NoTouch: []string{"breasts"}},
		},
		{
			name: "touch on a no-touch area",
			plan: twoHander(func(pp *PerformerPlan) { pp.Contact = []string{"kissing: lips", "hands: breasts"} }),
			b:    Boundaries{NoTouch: []string{"breasts"}},
			want: []Conflict{{7, "contact: hands: breasts", "no touch on breasts"}},
		},
		{
			name: "touch on an area nobody may touch, written in words",
			plan: twoHander(func(pp *PerformerPlan) { pp.Contact = []string{"caress of the inner thigh"} }),
			b:    Boundaries{Touch: []TouchRule{{Area: "inner_thighs", By: ByNobody}}},
			want: []Conflict{{7, "contact: caress of the inner thigh", "no touch on inner thighs"}},
		},
		{
			name: "no touch on the whole body holds for every area",
			plan: twoHander(nil),
			b:    Boundaries{NoTouch: []string{"whole_body"}},
			want: []Conflict{{7, "contact: kissing: lips", "no touch on whole body"}},
		},
		{
			name: "touch by someone not allowed",
			plan: twoHander(func(pp *PerformerPlan) { pp.Contact = []string{"hands: lower back"} }),
			b:    Boundaries{Touch: []TouchRule{{Area: "lower_back", By: ByPerformer(9), Allowed: true}}},
			want: []Conflict{{7, "contact: hands: lower back", "touch on lower back only by performer 9"}},
		},
		{
			name: "touch refused to that performer",
			plan: twoHander(func(pp *PerformerPlan) { pp.Contact = []string{"hands: neck"} }),
			b:    Boundaries{Touch: []TouchRule{{Area: "neck", By: ByPerformer(8), Allowed: false}}},
			want: []Conflict{{7, "contact: hands: neck", "no touch on neck by performer 8"}},
		},
		{
			name: "touch refused to scene partners",
			plan: twoHander(func(pp *PerformerPlan) { pp.Contact = []string{"hands: thighs"} }),
			b:    Boundaries{Touch: []TouchRule{{Area: "thighs", By: ByScenePartner, Allowed: false}}},
			want: []Conflict{{7, "contact: hands: thighs", "no touch on thighs by a scene partner"}},
		},
		{
			name: "a rule naming the performer comes before the scene partners'",
			plan: twoHander(func(pp *PerformerPlan) { pp.Contact = []string{"hands: thighs"} }),
			b: Boundaries{Touch: []TouchRule{{Area: "thighs", By: ByScenePartner, Allowed: false},
				{Area: "thighs", By: ByPerformer(8), Allowed: true}}},
		},
		{
			name: "a rule for the area comes before the whole body's",
			plan: twoHander(nil),
			b: Boundaries{Touch: []TouchRule{{Area: "whole_body", By: ByScenePartner, Allowed: false},
				{Area: "lips", By: ByScenePartner, Allowed: true}}},
		},
		{
			name: "a beat's contact area",
			plan: func() Plan {
				p := twoHander(nil)
				p.Beats = []Beat{{Order: 3, Performers: []int64{7, 8}, Action: "He holds her.", ContactAreas: []string{"waist", "buttocks"}}}
				return p
			}(),
			b:    Boundaries{NoTouch: []string{"buttocks"}},
			want: []Conflict{{7, "beat 3: contact on buttocks", "no touch on buttocks"}},
		},
		{
			name: "exposure of an area kept covered",
			plan: twoHander(func(pp *PerformerPlan) {
				pp.Nudity = Nudity{Level: "partial", Areas: []string{"breasts"}, Angles: []string{"front"}}
			}),
			b:    Boundaries{Exposure: []ExposureRule{{Area: "breasts", Allowed: false}}},
			want: []Conflict{{7, "nudity: partial, breasts seen from front", "breasts may not be seen"}},
		},
		{
			name: "an angle refused",
			plan: twoHander(func(pp *PerformerPlan) {
				pp.Nudity = Nudity{Level: "partial", Areas: []string{"buttocks"}, Angles: []string{"front", "rear"}}
			}),
			b:    Boundaries{Exposure: []ExposureRule{{Area: "buttocks", Angles: []string{"rear"}, Allowed: true}}},
			want: []Conflict{{7, "nudity: partial, buttocks seen from front, rear", "buttocks may be seen only from rear"}},
		},
		{
			name: "an area refused from the angle planned",
			plan: twoHander(func(pp *PerformerPlan) {
				pp.Nudity = Nudity{Level: "partial", Areas: []string{"breasts"}, Angles: []string{"side"}}
			}),
			b:    Boundaries{Exposure: []ExposureRule{{Area: "breasts", Angles: []string{"front", "side"}, Allowed: false}}},
			want: []Conflict{{7, "nudity: partial, breasts seen from side", "breasts may not be seen from side"}},
		},
		{
			name: "no angle planned means every angle",
			plan: twoHander(func(pp *PerformerPlan) {
				pp.Nudity = Nudity{Level: "partial", Areas: []string{"breasts"}}
			}),
			b:    Boundaries{Exposure: []ExposureRule{{Area: "breasts", Angles: []string{"side"}, Allowed: true}}},
			want: []Conflict{{7, "nudity: partial, breasts seen", "breasts may be seen only from side"}},
		},
		{
			name: "full nudity beyond an area that may not be seen",
			plan: twoHander(func(pp *PerformerPlan) { pp.Nudity = Nudity{Level: "full", Angles: []string{"front"}} }),
			b:    Boundaries{Exposure: []ExposureRule{{Area: "breasts", Allowed: true}, {Area: "genitals", Allowed: false}}},
			want: []Conflict{{7, "nudity: full from front", "genitals may not be seen"}},
		},
		{
			name: "partial nudity when the whole body may not be seen",
			plan: twoHander(func(pp *PerformerPlan) { pp.Nudity = Nudity{Level: "partial", Areas: []string{"back"}} }),
			b:    Boundaries{Exposure: []ExposureRule{{Area: "whole_body", Allowed: false}}},
			want: []Conflict{{7, "nudity: partial", "whole body may not be seen"}},
		},
		{
			name: "implied nudity shows nothing",
			plan: twoHander(func(pp *PerformerPlan) { pp.Nudity = Nudity{Level: "implied"}; pp.Garments = []string{"robe"} }),
			b:    Boundaries{Exposure: []ExposureRule{{Area: "whole_body", Allowed: false}}},
		},
		{
			name: "a garment needed and not planned",
			plan: twoHander(func(pp *PerformerPlan) { pp.Nudity = Nudity{Level: "implied"}; pp.Garments = []string{"robe"} }),
			b:    Boundaries{Garments: []string{"robe", "modesty pouch"}},
			want: []Conflict{{7, "garments: robe", "needs modesty pouch"}},
		},
		{
			name: "garments are not asked of a kiss",
			plan: twoHander(nil),
			b:    Boundaries{Garments: []string{"modesty pouch"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.b.Validate(); err != nil {
				t.Fatalf("the test's boundaries: %v", err)
			}
			got := Conflicts(tt.plan, 7, tt.b)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Conflicts:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPlanConflictsNamesEachPerformer(t *testing.T) {
	p := twoHander(func(pp *PerformerPlan) { pp.Contact = []string{"hands: breasts"} })
	got := PlanConflicts(p, map[int64]Boundaries{
		7: {NoTouch: []string{"breasts"}},
		8: {NoTouch: []string{"lips"}},
	})
	want := []Conflict{{7, "contact: hands: breasts", "no touch on breasts"}, {8, "contact: kissing: lips", "no touch on lips"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PlanConflicts:\n got %q\nwant %q", got, want)
	}
}

func TestAreasIn(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"breasts", []string{"breasts"}},
		{" lips, neck ", []string{"lips", "neck"}},
		{"hand on her inner thigh, then her breast and Breasts", []string{"hands", "inner_thighs", "breasts"}},
		{"lower back and back", []string{"lower_back", "back"}},
		{"a kiss", nil},
	}
	for _, tt := range tests {
		if got := AreasIn(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AreasIn(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}
