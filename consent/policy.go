package consent

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"closedset/production"
)

// Policy is a production's rules for consent: a policy pack as published by
// a union or guild, possibly tightened by the production (see Tighten).
// The minors prohibitions (no nudity, simulated sex or sexual violence
// under 18) are law and hold under every policy, so they are not fields.
type Policy struct {
	// Name is the pack's name, one of PolicyNames: the vocabulary the
	// API, the pages and the store accept.
	Name string
	// Title is how pages and documents name the pack ("SAG-AFTRA").
	Title string
	// TimeZone is the IANA zone a production under the pack usually keeps
	// its call times in: a new production's zone when none is given.
	TimeZone string
	// NoticePeriod is how long before the call time a performer's rider
	// must be delivered.
	NoticePeriod time.Duration
	// BarriersForSimulatedSex requires at least one barrier in the plan of
	// any scene with simulated sex: genital contact without a barrier is
	// actual sex.
	BarriersForSimulatedSex bool
	// StudioTeacherUnder is the age under which a minor on a flagged scene
	// needs a named studio teacher; 0 when the policy requires none.
	StudioTeacherUnder int
	// GuardianForMinors requires a named parent or guardian for a minor in
	// any flagged scene.
	GuardianForMinors bool
	// PauseWord stops a scene when anyone says it; takes log it.
	PauseWord string
	// Source says where the pack's values come from, for the pages.
	Source string
}

// DefaultPolicyName is the pack a new-production form offers first.
const DefaultPolicyName = "sag_aftra"

// DefaultPauseWord is the pause word when a production names none.
// [practice: DOMAIN.md, Time's Up UK guidance]
const DefaultPauseWord = "time out"

// Bounds on what a production may set, so that a typo (a notice of 4,800
// hours) is refused rather than blocking every scene.
const (
	MaxNoticePeriod = 30 * 24 * time.Hour
	MaxPauseWord    = 40
)

// packs are the policy packs, as data. custom is the floor every pack
// shares (TestEveryPackTightensTheFloor holds them to it): a production
// with no union agreement still gets 48 hours' notice, barriers, guardians
// and the pause word.
var packs = []Policy{
	{
		Name:     "custom",
		Title:    "Production policy",
		TimeZone: "UTC",
		// [ours] SAG-AFTRA's 48 hours as the floor everywhere.
		NoticePeriod: 48 * time.Hour,
		// [contract: SAG-AFTRA] genital contact without a barrier is actual
		// sex, prohibited; we hold every production to it. [ours]
		BarriersForSimulatedSex: true,
		// Studio teachers are a matter of local law; custom requires none.
		StudioTeacherUnder: 0,
		// [practice] the guardian takes part in the conversations.
		GuardianForMinors: true,
		PauseWord:         DefaultPauseWord,
		Source:            "closedset floor [ours]: 48 h notice, barriers for simulated sex, guardian for minors",
	},
	{
		Name:     "sag_aftra",
		Title:    "SAG-AFTRA",
		TimeZone: "America/Los_Angeles",
		// [contract: SAG-AFTRA] rider delivered at least 48 hours before
		// call time.
		NoticePeriod:            48 * time.Hour,
		BarriersForSimulatedSex: true,
		// [law: California] a studio teacher for minors under 16.
		StudioTeacherUnder: 16,
		GuardianForMinors:  true,
		PauseWord:          DefaultPauseWord,
		Source:             "SAG-AFTRA 2020 nudity and simulated sex rules; California studio-teacher law",
	},
	{
		Name:     "equity_uk",
		Title:    "Equity UK",
		TimeZone: "Europe/London",
		// [ours] Equity's nudity clauses vary across its agreements and
		// none sets an hours figure we could cite (equity.org.uk,
		// "Intimacy and nudity"); 48 hours, as SAG-AFTRA.
		NoticePeriod:            48 * time.Hour,
		BarriersForSimulatedSex: true,
		// [law: UK child performance licensing] tutoring and a licensed
		// chaperone for children of compulsory school age (under 16).
		StudioTeacherUnder: 16,
		GuardianForMinors:  true,
		PauseWord:          DefaultPauseWord,
		Source:             "Equity UK and Directors UK guidance; UK child performance licensing; 48 h notice [ours]",
	},
	{
		Name:     "actra",
		Title:    "ACTRA",
		TimeZone: "America/Toronto",
		// [ours] ACTRA's IPA requires nudity to be disclosed in advance but
		// names no hours; 48 hours, as SAG-AFTRA.
		NoticePeriod:            48 * time.Hour,
		BarriersForSimulatedSex: true,
		// [ours] provincial law on tutors varies; under 16 as in the US and UK.
		StudioTeacherUnder: 16,
		GuardianForMinors:  true,
		PauseWord:          DefaultPauseWord,
		Source:             "ACTRA IPA nudity provisions; 48 h notice and studio teacher under 16 [ours]",
	},
}

// PolicyNames lists the packs' names, the floor (custom) first.
func PolicyNames() []string {
	out := make([]string, len(packs))
	for i, p := range packs {
		out[i] = p.Name
	}
	return out
}

// Policies lists the packs, the floor (custom) first.
func Policies() []Policy { return slices.Clone(packs) }

// PolicyByName returns the named pack.
func PolicyByName(name string) (Policy, error) {
	for _, p := range packs {
		if p.Name == name {
			return p, nil
		}
	}
	return Policy{}, invalid("policy", "unknown policy %q (want one of %s)", name, strings.Join(PolicyNames(), ", "))
}

// Tighten applies a production's override to a base pack: the result has
// the override's values, which may be stricter than the base (a longer
// notice, a requirement switched on, an older studio-teacher age) or merely
// different (the pause word), but never looser. Loosening any field is a
// closedset.RuleViolation (RulePolicyFloor) naming the field; an
// out-of-range value is closedset.Invalid. The override's Name must be empty or the base's; Title,
// TimeZone and Source are the base's; an empty pause word keeps the base's.
func Tighten(base, override Policy) (Policy, error) {
	if override.Name != "" && override.Name != base.Name {
		return Policy{}, invalid("name", "an override of %s cannot rename it to %q", base.Name, override.Name)
	}
	floor := func(field, msg string) error {
		return violation(RulePolicyFloor, 0, field, "%s: %s (the %s floor)", field, msg, base.Name)
	}
	switch {
	case override.NoticePeriod > MaxNoticePeriod:
		return Policy{}, invalid("notice_period", "%s is longer than %s", override.NoticePeriod, MaxNoticePeriod)
	case override.NoticePeriod < base.NoticePeriod:
		return Policy{}, floor("notice_period", fmt.Sprintf("%s is shorter than %s", override.NoticePeriod, base.NoticePeriod))
	case base.BarriersForSimulatedSex && !override.BarriersForSimulatedSex:
		return Policy{}, floor("barriers_for_simulated_sex", "cannot be switched off")
	case override.StudioTeacherUnder > production.AdultAge:
		return Policy{}, invalid("studio_teacher_under", "%d is above %d", override.StudioTeacherUnder, production.AdultAge)
	case override.StudioTeacherUnder < base.StudioTeacherUnder:
		return Policy{}, floor("studio_teacher_under", fmt.Sprintf("%d is younger than %d", override.StudioTeacherUnder, base.StudioTeacherUnder))
	case base.GuardianForMinors && !override.GuardianForMinors:
		return Policy{}, floor("guardian_for_minors", "cannot be switched off")
	}
	if override.PauseWord == "" {
		override.PauseWord = base.PauseWord
	}
	if err := checkText("pause_word", override.PauseWord, MaxPauseWord, true, true); err != nil {
		return Policy{}, err
	}
	word := normLine(override.PauseWord)
	out := override
	out.Name, out.Title, out.TimeZone, out.Source, out.PauseWord = base.Name, base.Title, base.TimeZone, base.Source, word
	return out, nil
}

// policyJSON is how a Policy travels in JSON: the notice in whole hours,
// because that is how productions and unions state it.
type policyJSON struct {
	Name                    string `json:"name"`
	NoticeHours             int64  `json:"notice_hours"`
	BarriersForSimulatedSex bool   `json:"barriers_for_simulated_sex"`
	StudioTeacherUnder      int    `json:"studio_teacher_under"`
	GuardianForMinors       bool   `json:"guardian_for_minors"`
	PauseWord               string `json:"pause_word"`
	Source                  string `json:"source,omitempty"`
}

// MarshalJSON writes the policy with its notice in hours.
func (p Policy) MarshalJSON() ([]byte, error) {
	return json.Marshal(policyJSON{p.Name, int64(p.NoticePeriod / time.Hour), p.BarriersForSimulatedSex,
		p.StudioTeacherUnder, p.GuardianForMinors, p.PauseWord, p.Source})
}

// UnmarshalJSON reads what MarshalJSON writes, with the named pack's Title
// and TimeZone; Tighten then checks it against its pack.
func (p *Policy) UnmarshalJSON(b []byte) error {
	var v policyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.NoticeHours < 0 || v.NoticeHours > int64(MaxNoticePeriod/time.Hour) {
		return invalid("notice_hours", "%d is outside 0..%d", v.NoticeHours, int64(MaxNoticePeriod/time.Hour))
	}
	*p = Policy{Name: v.Name, NoticePeriod: time.Duration(v.NoticeHours) * time.Hour, BarriersForSimulatedSex: v.BarriersForSimulatedSex,
		StudioTeacherUnder: v.StudioTeacherUnder, GuardianForMinors: v.GuardianForMinors, PauseWord: v.PauseWord, Source: v.Source}
	// Title and time zone are the pack's, never stored with a production's
	// policy, so that renaming a pack renames it everywhere.
	if pack, err := PolicyByName(v.Name); err == nil {
		p.Title, p.TimeZone = pack.Title, pack.TimeZone
	}
	return nil
}
