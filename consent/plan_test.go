package consent

import (
	"closedset"
	"errors"
	"slices"
	"strings"
	"testing"

	"closedset/breakdown"
	"closedset/production"
)

func TestBedroomPlanIsValid(t *testing.T) {
	if err := bedroom(t).Validate(sag(t), cast(), date("2026-06-15")); err != nil {
		t.Fatal(err)
	}
}

func TestBadPlanNamesTheField(t *testing.T) {
	tests := []struct {
		field string
		edit  func(*Plan)
	}{
		{"description", func(p *Plan) { p.Description = " \n " }},
		{"description", func(p *Plan) { p.Description = strings.Repeat("d", MaxPlanText+1) }},
		{"performers", func(p *Plan) { p.Performers = nil }},
		{"performers[1].performer_id", func(p *Plan) { p.Performers[1].PerformerID = 99 }},
		{"performers[1].performer_id", func(p *Plan) { p.Performers[1].PerformerID = 7 }},
		{"performers[0].nudity.level", func(p *Plan) { p.Performers[0].Nudity.Level = "some" }},
		{"performers[0].nudity.areas", func(p *Plan) { p.Performers[0].Nudity.Level = "none" }},
		{"performers[0].nudity.areas[1]", func(p *Plan) { p.Performers[0].Nudity.Areas[1] = "soul" }},
		{"performers[0].nudity.angles[0]", func(p *Plan) { p.Performers[0].Nudity.Angles[0] = "above" }},
		{"performers[0].content[0]", func(p *Plan) { p.Performers[0].Content[0] = "nudity" }},
		{"performers[0].acts[0]", func(p *Plan) { p.Performers[0].Acts[0] = "" }},
		{"performers[0].garments", func(p *Plan) { p.Performers[0].Garments = make([]string, MaxPlanItems+1) }},
		{"barriers[0]", func(p *Plan) { p.Barriers[0] = "two\nlines" }},
		{"beats[1].order", func(p *Plan) { p.Beats[1].Order = 1 }},
		{"beats[0].order", func(p *Plan) { p.Beats[0].Order = 0 }},
		{"beats[0].performers[1]", func(p *Plan) { p.Beats[0].Performers[1] = 9 }},
		{"beats[0].action", func(p *Plan) { p.Beats[0].Action = "" }},
		{"beats[0].contact_areas[0]", func(p *Plan) { p.Beats[0].ContactAreas[0] = "LIPS" }},
		{"beats[1].breath", func(p *Plan) { p.Beats[1].Breath = "\x00" }},
		{"footage_limits", func(p *Plan) { p.FootageLimits = "\xff" }},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			p := bedroom(t)
			tt.edit(&p)
			err := p.Validate(sag(t), cast(), date("2026-06-15"))
			if !closedset.Is(err, closedset.Invalid) || !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("err = %v, want invalid naming %s", err, tt.field)
			}
		})
	}
}

// minorCast makes Nora born on dob.
func minorCast(dob string) map[int64]production.Performer {
	c := cast()
	n := c[7]
	n.DateOfBirth = date(dob)
	c[7] = n
	return c
}

func TestMinorsRulesOnTheShootDate(t *testing.T) {
	kiss := func(p *Plan) {
		p.Performers[0].Nudity = Nudity{Level: "none"}
		p.Performers[0].Acts = []string{"a first kiss"}
		p.Performers[0].Content = []string{"kissing"}
	}
	tests := []struct {
		name, dob, day string
		edit           func(*Plan)
		rule           string // "" when the plan passes
	}{
		{"17 years 364 days: nudity refused", "2008-06-16", "2026-06-15", nil, RuleMinorNoNudity},
		{"18 on the shoot date: allowed", "2008-06-15", "2026-06-15", nil, ""},
		{"turned 18 after casting, before the shoot", "2008-06-01", "2026-06-15", nil, ""},
		{"born 29 Feb, shoot on 28 Feb of a common year", "2008-02-29", "2026-02-28", nil, RuleMinorNoNudity},
		{"born 29 Feb, shoot on 1 March of a common year", "2008-02-29", "2026-03-01", nil, ""},
		{"implied nudity is nudity", "2010-01-01", "2026-06-15", func(p *Plan) {
			p.Performers[0].Nudity = Nudity{Level: "implied"}
		}, RuleMinorNoNudity},
		{"simulated sex by category", "2010-01-01", "2026-06-15", func(p *Plan) {
			p.Performers[0].Nudity = Nudity{Level: "none"}
			p.Performers[0].Acts = nil
		}, RuleMinorNoSimulatedSex},
		{"simulated sex by the act's words alone", "2010-01-01", "2026-06-15", func(p *Plan) {
			p.Performers[0].Nudity = Nudity{Level: "none"}
			p.Performers[0].Content = []string{"kissing"}
			p.Performers[0].Acts = []string{"Simulated  Intercourse, missionary"}
		}, RuleMinorNoSimulatedSex},
		{"sexual violence by category", "2010-01-01", "2026-06-15", func(p *Plan) {
			kiss(p)
			p.Performers[0].Content = []string{"sexual_violence"}
		}, RuleMinorNoSexualViolence},
		{"sexual violence by the act's words", "2010-01-01", "2026-06-15", func(p *Plan) {
			kiss(p)
			p.Performers[0].Acts = []string{"is groped against a wall"}
		}, RuleMinorNoSexualViolence},
		{"a minor's first kiss is allowed", "2010-01-01", "2026-06-15", kiss, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bedroom(t)
			if tt.edit != nil {
				tt.edit(&p)
			}
			err := p.Validate(sag(t), minorCast(tt.dob), date(tt.day))
			if tt.rule == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			var re *closedset.Error
			if !errors.As(err, &re) || re.Kind != closedset.RuleViolation || re.Rule != tt.rule || re.PerformerID != 7 {
				t.Fatalf("err = %v, want rule %s for performer 7", err, tt.rule)
			}
			if !strings.Contains(re.Msg, "Nora Vale") || !strings.Contains(re.Msg, tt.day) {
				t.Errorf("message %q does not name the performer and the shoot day", re.Msg)
			}
		})
	}
}

// TestMinorNudityIsARuleViolation: a minor's nudity is not malformed
// input but a rule of the profession broken: a closedset.RuleViolation
// that names its rule, the performer it protects and the field, and whose
// message leads with the rule.
func TestMinorNudityIsARuleViolation(t *testing.T) {
	err := bedroom(t).Validate(sag(t), minorCast("2010-01-01"), date("2026-06-15"))
	var e *closedset.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want a *closedset.Error", err, err)
	}
	if e.Kind != closedset.RuleViolation || !closedset.Is(err, closedset.RuleViolation) {
		t.Errorf("kind %q, want %q", e.Kind, closedset.RuleViolation)
	}
	if e.Rule != RuleMinorNoNudity || e.PerformerID != 7 || e.Field != "nudity.level" {
		t.Errorf("rule %q, performer %d, field %q; want %q, 7, nudity.level", e.Rule, e.PerformerID, e.Field, RuleMinorNoNudity)
	}
	if want := RuleMinorNoNudity + ": Nora Vale (performer 7) is 16 on the shoot day 2026-06-15: no nudity may be planned for a performer under 18"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestValidateNeedsAShootDay(t *testing.T) {
	if err := bedroom(t).Validate(sag(t), cast(), production.Date{}); !closedset.Is(err, closedset.Invalid) || !strings.Contains(err.Error(), "shoot_day") {
		t.Errorf("err = %v", err)
	}
}

func TestSimulatedSexNeedsABarrierUnderSAGAFTRA(t *testing.T) {
	p := bedroom(t)
	p.Barriers = nil
	p.Performers[0].Barriers = nil // Theo (8) has none either
	err := p.Validate(sag(t), cast(), date("2026-06-15"))
	var re *closedset.Error
	if !errors.As(err, &re) || re.Kind != closedset.RuleViolation || re.Rule != RuleBarriers || re.PerformerID != 7 {
		t.Fatalf("err = %v, want %s for performer 7", err, RuleBarriers)
	}
	p.Performers[1].Barriers = []string{"modesty pouch with barrier"}
	if err := p.Validate(sag(t), cast(), date("2026-06-15")); err == nil {
		t.Error("Nora still has no barrier, yet the plan passed")
	}
	p.Barriers = []string{"barrier cushion"}
	if err := p.Validate(sag(t), cast(), date("2026-06-15")); err != nil {
		t.Errorf("a scene barrier covers both: %v", err)
	}
}

func TestPlanHashIgnoresFieldOrderWhitespaceAndSetOrder(t *testing.T) {
	base := bedroom(t)
	reordered, err := DecodePlan(strings.NewReader(`{
		"conditions": "Closed set;   robes between takes.",
		"producer_intent": "Rated 15.", "director_intent": "The sheet tells the rhythm.",
		"intent": "Tender, not explicit:\tthe first time they trust each other.  ",
		"double": "A body double may be used for the overhead only, within this rider.",
		"stills_limits": "No stills on the set.", "footage_limits": "Not in trailers or promotional material.",
		"coverage": "Wide and two singles.", "camera": "Two cameras, closed monitors;\r\noverhead on beat 2.",
		"beats": [
		  {"camera": "overhead, no genitals in frame", "eyeline": "Theo to the ceiling", "count": "16",
		   "contact_areas": ["hips", "back"], "action": "They lie back under the sheet; rhythm suggested by the sheet only.",
		   "performers": [8, 7], "order": 2},
		  {"order": 1, "performers": [8, 7, 7], "action": "Nora pulls Theo close; they kiss.", "contact_areas": ["neck", "lips"],
		   "count": "8", "timing": "slow", "breath": "together on 5", "eyeline": "each other", "camera": "two-shot,  wide"}],
		"barriers": ["barrier cushion"],
		"performers": [
		  {"performer_id": 8, "nudity": {"level": "implied"}, "acts": ["simulated intercourse"],
		   "content": ["simulated_sex", "kissing"], "contact": ["kissing: lips, neck"], "garments": ["modesty pouch"]},
		  {"performer_id": 7, "double": "no body double", "barriers": ["silicone barrier"],
		   "garments": ["nipple covers", "strapless thong"], "contact": ["hands on back", "kissing: lips, neck"],
		   "content": ["simulated_sex", "kissing"], "acts": ["simulated intercourse"],
		   "nudity": {"angles": ["side"], "areas": ["back", "breasts"], "level": "partial"}}],
		"final_picture": "Shoulders and backs above the sheet; Nora's breasts seen from the side for two seconds.",
		"description": "Nora and Theo undress each other and lie down;\n      implied intercourse under a sheet, cut before the climax."}`))
	if err != nil {
		t.Fatal(err)
	}
	if base.Hash() != reordered.Hash() {
		t.Fatalf("same content, different hashes:\n%s\n%s", base.Canonical(), reordered.Canonical())
	}
	if !strings.HasPrefix(string(base.Canonical()), `{"barriers":["barrier cushion"],"beats":[{"action":`) {
		t.Errorf("canonical keys not sorted: %.80s", base.Canonical())
	}
	if len(base.Hash()) != 64 {
		t.Errorf("hash %q", base.Hash())
	}
}

func TestAnyContentChangeChangesTheHash(t *testing.T) {
	edits := map[string]func(*Plan){
		"description word":  func(p *Plan) { p.Description += " Slowly." },
		"paragraph break":   func(p *Plan) { p.Conditions = "Closed set.\n\nRobes between takes." },
		"nudity level":      func(p *Plan) { p.Performers[0].Nudity.Level = "full" },
		"nudity area":       func(p *Plan) { p.Performers[0].Nudity.Areas = append(p.Performers[0].Nudity.Areas, "buttocks") },
		"angle":             func(p *Plan) { p.Performers[0].Nudity.Angles = []string{"front"} },
		"act":               func(p *Plan) { p.Performers[1].Acts = append(p.Performers[1].Acts, "simulated oral sex") },
		"contact":           func(p *Plan) { p.Performers[1].Contact = nil },
		"garment":           func(p *Plan) { p.Performers[1].Garments = []string{"modesty pouch", "robe"} },
		"performer barrier": func(p *Plan) { p.Performers[0].Barriers = nil },
		"scene barrier":     func(p *Plan) { p.Barriers = []string{"barrier cushion", "knee pads"} },
		"beat order":        func(p *Plan) { p.Beats[1].Order = 3 },
		"beat breath":       func(p *Plan) { p.Beats[0].Breath = "together on 4" },
		"beat performers":   func(p *Plan) { p.Beats[1].Performers = []int64{7} },
		"footage limits":    func(p *Plan) { p.FootageLimits = "" },
		"stills limits":     func(p *Plan) { p.StillsLimits = "Stills by the unit photographer only." },
		"performer double":  func(p *Plan) { p.Performers[1].Double = "digital double for the overhead" },
		"performer id":      func(p *Plan) { p.Performers[1].PerformerID = 9 },
		"director intent":   func(p *Plan) { p.DirectorIntent = "" },
		"case of a word":    func(p *Plan) { p.Camera = strings.ToUpper(p.Camera) },
		"content category":  func(p *Plan) { p.Performers[0].Content = []string{"simulated_sex"} },
	}
	base := bedroom(t).Hash()
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			p := bedroom(t)
			edit(&p)
			if p.Hash() == base {
				t.Errorf("%s did not change the hash", name)
			}
		})
	}
}

func TestCompareTellsAdditionsFromReductions(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(*Plan)
		nora, theo string // "add", "reduce" or "same"
	}{
		{"no change", func(p *Plan) {}, "same", "same"},
		{"higher nudity for Nora", func(p *Plan) { p.Performers[0].Nudity.Level = "full" }, "add", "same"},
		{"lower nudity for Nora", func(p *Plan) { p.Performers[0].Nudity.Level = "implied" }, "reduce", "same"},
		{"a new area seen", func(p *Plan) { p.Performers[0].Nudity.Areas = append(p.Performers[0].Nudity.Areas, "buttocks") }, "add", "same"},
		{"an area no longer seen", func(p *Plan) { p.Performers[0].Nudity.Areas = []string{"back"} }, "reduce", "same"},
		{"a new act for Theo", func(p *Plan) { p.Performers[1].Acts = append(p.Performers[1].Acts, "simulated oral sex") }, "same", "add"},
		{"an act removed", func(p *Plan) { p.Performers[1].Acts = nil }, "same", "reduce"},
		{"new contact", func(p *Plan) { p.Performers[1].Contact = append(p.Performers[1].Contact, "hand on thigh") }, "same", "add"},
		{"a garment removed is more exposure", func(p *Plan) { p.Performers[0].Garments = []string{"strapless thong"} }, "add", "same"},
		{"a garment added is less", func(p *Plan) { p.Performers[1].Garments = append(p.Performers[1].Garments, "robe") }, "same", "reduce"},
		{"a scene barrier removed", func(p *Plan) { p.Barriers = nil }, "add", "add"},
		{"the description reworded", func(p *Plan) { p.Description = "Something else." }, "add", "add"},
		{"whitespace only", func(p *Plan) { p.Description = "  " + p.Description + "\n" }, "same", "same"},
		{"a beat reworded", func(p *Plan) { p.Beats[1].Action = "They roll over." }, "add", "add"},
		{"a beat removed", func(p *Plan) { p.Beats = p.Beats[:1] }, "reduce", "reduce"},
		{"beats renumbered", func(p *Plan) { p.Beats[0].Order, p.Beats[1].Order = 10, 20 }, "same", "same"},
		{"Theo leaves the plan", func(p *Plan) {
			p.Performers = p.Performers[:1]
			p.Beats = nil
		}, "reduce", "reduce"},
		{"more and less at once", func(p *Plan) {
			p.Performers[0].Nudity.Level = "implied"
			p.Performers[0].Contact = append(p.Performers[0].Contact, "hand on thigh")
		}, "add", "same"},
	}
	kind := func(pc PerformerChange) string {
		switch {
		case pc.NeedsNewRider():
			return "add"
		case pc.Unchanged():
			return "same"
		}
		return "reduce"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, p := bedroom(t), bedroom(t)
			tt.edit(&p)
			c := p.Compare(old)
			if got := kind(c.For(7)); got != tt.nora {
				t.Errorf("Nora: %s (%+v), want %s", got, c.For(7), tt.nora)
			}
			if got := kind(c.For(8)); got != tt.theo {
				t.Errorf("Theo: %s (%+v), want %s", got, c.For(8), tt.theo)
			}
		})
	}
}

func TestANewPerformerJoinsAsAnAddition(t *testing.T) {
	old := bedroom(t)
	p := bedroom(t)
	p.Performers = append(p.Performers, PerformerPlan{PerformerID: 9, Nudity: Nudity{Level: "none"}})
	if c := p.Compare(old).For(9); !c.NeedsNewRider() {
		t.Errorf("performer 9: %+v", c)
	}
}

func TestAPerformerWithNoDateOfBirthIsProtectedAsAMinor(t *testing.T) {
	c := cast()
	n := c[7]
	n.DateOfBirth = production.Date{}
	c[7] = n
	err := bedroom(t).Validate(sag(t), c, date("2026-06-15"))
	var re *closedset.Error
	if !errors.As(err, &re) || re.Kind != closedset.RuleViolation || re.Rule != RuleMinorNoNudity || !strings.Contains(re.Msg, "no date of birth") {
		t.Errorf("err = %v", err)
	}
}

// TestContentCategoriesAreTheBreakdowns: a plan names content in the
// breakdown's own words, less nudity (the plan's Nudity says it) and minor
// (ages say it), so a flag and a plan compare word for word.
func TestContentCategoriesAreTheBreakdowns(t *testing.T) {
	var want []string
	for _, c := range breakdown.Categories {
		if c != breakdown.Nudity && c != breakdown.Minor {
			want = append(want, string(c))
		}
	}
	if got := ContentCategories(); !slices.Equal(got, want) {
		t.Errorf("ContentCategories() = %v, want %v", got, want)
	}
	for _, c := range ContentCategories() {
		p := bedroom(t)
		p.Performers[0].Content = []string{c}
		if err := p.validateShape(cast()); err != nil {
			t.Errorf("a plan naming %q: %v", c, err)
		}
	}
}
