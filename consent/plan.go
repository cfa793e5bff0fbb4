package consent

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"closedset/breakdown"
	"closedset/production"
)

// Plan is one version of a scene's intimacy plan: what will be filmed, by
// whom, with which garments, barriers and limits. Its identity is Hash, a
// hash of its canonical content; a consent names that hash. The JSON shape
// is the body of PUT /api/v1/scenes/{id}/plan (DESIGN.md), extended.
type Plan struct {
	// Description is the clinical description of what is filmed.
	Description string `json:"description"`
	// FinalPicture is how the intimacy will appear in the final picture.
	FinalPicture string          `json:"final_picture"`
	Performers   []PerformerPlan `json:"performers"`
	// Barriers for the whole scene (barrier cushion); each performer's own
	// are in PerformerPlan.Barriers.
	Barriers []string `json:"barriers"`
	Beats    []Beat   `json:"beats"`
	// Camera is the camera and coverage plan, including the monitor plan.
	Camera   string `json:"camera"`
	Coverage string `json:"coverage"`
	// FootageLimits limits the use of footage (not in trailers...).
	FootageLimits string `json:"footage_limits"`
	// StillsLimits limits stills: who may take them, what may be used.
	StillsLimits string `json:"stills_limits"`
	// Double is the body or digital double terms for the scene; each
	// performer's own are in PerformerPlan.Double.
	Double string `json:"double"`
	// Intent is the agreed creative intent; DirectorIntent and
	// ProducerIntent are the notes from each meeting.
	Intent         string `json:"intent"`
	DirectorIntent string `json:"director_intent"`
	ProducerIntent string `json:"producer_intent"`
	// Conditions are any other conditions of the rider.
	Conditions string `json:"conditions"`
}

// PerformerPlan is what one performer does and shows in the scene.
type PerformerPlan struct {
	PerformerID int64  `json:"performer_id"`
	Nudity      Nudity `json:"nudity"`
	// Acts are the simulated acts in plain clinical words
	// ("simulated intercourse").
	Acts []string `json:"acts"`
	// Content is the categories of intimate content this performer takes
	// part in, from ContentCategories. Acts whose words name simulated sex or sexual
	// violence count as such even when Content does not say so.
	Content []string `json:"content"`
	// Contact is the physical contact ("kissing: lips, neck").
	Contact  []string `json:"contact"`
	Garments []string `json:"garments"`
	Barriers []string `json:"barriers"`
	// Double is this performer's body or digital double terms.
	Double string `json:"double"`
	// Stills is the performer's consent to stills of the scene (within
	// the plan's StillsLimits): without every performer's, a closed-set
	// list may not allow a stills photographer (CheckStills). It is left
	// out of the canonical encoding when false, so every plan written
	// before the field existed keeps its bytes and its hash, and no
	// consent went stale by its coming.
	Stills bool `json:"stills,omitempty"`
}

// Nudity is how much of a performer is seen.
type Nudity struct {
	Level  string   `json:"level"`  // none, implied, partial, full
	Areas  []string `json:"areas"`  // body areas seen
	Angles []string `json:"angles"` // front, rear, side
}

// The nudity levels, least first.
var nudityLevels = []string{"none", "implied", "partial", "full"}

// NudityLevels lists the levels, least first.
func NudityLevels() []string { return slices.Clone(nudityLevels) }

// nudityRank is a level's place in nudityLevels; "" counts as none.
func nudityRank(level string) int {
	if level == "" {
		return 0
	}
	return slices.Index(nudityLevels, level)
}

// contentCategories are the content categories a performer's plan may
// name: the breakdown's, less nudity, which Nudity says, and minor, which
// ages say.
var contentCategories = func() []string {
	var out []string
	for _, c := range breakdown.Categories {
		if c != breakdown.Nudity && c != breakdown.Minor {
			out = append(out, string(c))
		}
	}
	return out
}()

// ContentCategories lists the categories a performer's plan may name in
// PerformerPlan.Content, in the breakdown's order.
func ContentCategories() []string { return slices.Clone(contentCategories) }

// Beat is one step of the choreography.
type Beat struct {
	Order        int      `json:"order"`
	Performers   []int64  `json:"performers"`
	Action       string   `json:"action"`
	ContactAreas []string `json:"contact_areas"`
	// Count is the timing in counts ("8") or seconds.
	Count   string `json:"count"`
	Timing  string `json:"timing"`
	Breath  string `json:"breath"`
	Eyeline string `json:"eyeline"`
	Camera  string `json:"camera"` // camera and coverage for this beat
}

// Limits on a plan.
const (
	MaxPlanBytes      = 256 << 10
	MaxPlanText       = 8000 // description and other long texts
	MaxPlanPerformers = 40
	MaxPlanBeats      = 200
	MaxPlanItems      = 40 // acts, contact, garments, barriers per list
	MaxBeatText       = 2000
)

// DecodePlan decodes a plan body strictly: at most MaxPlanBytes, one JSON
// object, no unknown or repeated fields. It does not validate: see
// Validate.
func DecodePlan(r io.Reader) (Plan, error) {
	var p Plan
	if err := decodeStrict(r, MaxPlanBytes, "plan", &p); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// Validate checks the plan's shape (a closedset.Invalid error naming the
// field) and then the rules (a closedset.RuleViolation naming the rule): every performer is known, levels, areas and angles
// come from their vocabularies; no performer under 18 on shootDay is
// planned with nudity, simulated sex or sexual violence; under a policy
// that asks for it, simulated sex has at least one barrier.
//
// shootDay is the scene's shoot day in the production's time zone
// (production.ShootDay). With no call time yet, pass today there: ages
// only grow, so a plan refused today may pass once an 18th birthday falls
// before the shoot, and readiness checks the rules again on the real day.
func (p Plan) Validate(policy Policy, performers map[int64]production.Performer, shootDay production.Date) error {
	if err := p.validateShape(performers); err != nil {
		return err
	}
	if !shootDay.Valid() {
		return invalid("shoot_day", "a shoot day (or today) is needed to know who is a minor")
	}
	for _, pp := range p.sortedPerformers() {
		if err := minorRules(pp, performers[pp.PerformerID], shootDay); err != nil {
			return err
		}
	}
	return p.barrierRule(policy)
}

func (p Plan) validateShape(performers map[int64]production.Performer) error {
	texts := []struct {
		field, value string
		required     bool
	}{
		{"description", p.Description, true}, {"final_picture", p.FinalPicture, false},
		{"camera", p.Camera, false}, {"coverage", p.Coverage, false},
		{"footage_limits", p.FootageLimits, false}, {"stills_limits", p.StillsLimits, false},
		{"double", p.Double, false}, {"intent", p.Intent, false},
		{"director_intent", p.DirectorIntent, false}, {"producer_intent", p.ProducerIntent, false},
		{"conditions", p.Conditions, false},
	}
	for _, t := range texts {
		if err := checkText(t.field, t.value, MaxPlanText, false, t.required); err != nil {
			return err
		}
	}
	if len(p.Performers) == 0 {
		return invalid("performers", "a plan names at least one performer")
	}
	if len(p.Performers) > MaxPlanPerformers {
		return invalid("performers", "%d performers, at most %d", len(p.Performers), MaxPlanPerformers)
	}
	seen := map[int64]bool{}
	for i, pp := range p.Performers {
		f := fmt.Sprintf("performers[%d]", i)
		if _, ok := performers[pp.PerformerID]; !ok {
			return invalid(f+".performer_id", "%d is not a performer of this production", pp.PerformerID)
		}
		if seen[pp.PerformerID] {
			return invalid(f+".performer_id", "%d is listed twice", pp.PerformerID)
		}
		seen[pp.PerformerID] = true
		if err := pp.validate(f); err != nil {
			return err
		}
	}
	if err := checkList("barriers", p.Barriers, MaxPlanItems, MaxItemLen); err != nil {
		return err
	}
	if len(p.Beats) > MaxPlanBeats {
		return invalid("beats", "%d beats, at most %d", len(p.Beats), MaxPlanBeats)
	}
	orders := map[int]bool{}
	for i, b := range p.Beats {
		f := fmt.Sprintf("beats[%d]", i)
		if b.Order < 1 || b.Order > MaxPlanBeats*10 {
			return invalid(f+".order", "%d is outside 1..%d", b.Order, MaxPlanBeats*10)
		}
		if orders[b.Order] {
			return invalid(f+".order", "%d is used by another beat", b.Order)
		}
		orders[b.Order] = true
		if err := b.validate(f, seen); err != nil {
			return err
		}
	}
	return nil
}

func (pp PerformerPlan) validate(f string) error {
	if !slices.Contains(nudityLevels, pp.Nudity.Level) && pp.Nudity.Level != "" {
		return invalid(f+".nudity.level", "%q is not none, implied, partial or full", pp.Nudity.Level)
	}
	if nudityRank(pp.Nudity.Level) == 0 && (len(pp.Nudity.Areas) > 0 || len(pp.Nudity.Angles) > 0) {
		return invalid(f+".nudity.areas", "areas or angles given with nudity level none")
	}
	if len(pp.Nudity.Areas) > len(bodyAreas) {
		return invalid(f+".nudity.areas", "%d areas, at most %d", len(pp.Nudity.Areas), len(bodyAreas))
	}
	for j, a := range pp.Nudity.Areas {
		if !IsBodyArea(a) {
			return invalid(fmt.Sprintf("%s.nudity.areas[%d]", f, j), "unknown body area %q", a)
		}
	}
	if err := checkAngles(f+".nudity.angles", pp.Nudity.Angles); err != nil {
		return err
	}
	if len(pp.Content) > len(contentCategories) {
		return invalid(f+".content", "%d categories, at most %d", len(pp.Content), len(contentCategories))
	}
	for j, c := range pp.Content {
		if !slices.Contains(contentCategories, c) {
			return invalid(fmt.Sprintf("%s.content[%d]", f, j), "unknown category %q (want one of %s)", c, strings.Join(contentCategories, ", "))
		}
	}
	for _, l := range []struct {
		name  string
		items []string
	}{{"acts", pp.Acts}, {"contact", pp.Contact}, {"garments", pp.Garments}, {"barriers", pp.Barriers}} {
		if err := checkList(f+"."+l.name, l.items, MaxPlanItems, MaxItemLen); err != nil {
			return err
		}
	}
	return checkText(f+".double", pp.Double, MaxPlanText, false, false)
}

func (b Beat) validate(f string, inPlan map[int64]bool) error {
	if len(b.Performers) > MaxPlanPerformers {
		return invalid(f+".performers", "%d performers, at most %d", len(b.Performers), MaxPlanPerformers)
	}
	for j, id := range b.Performers {
		if !inPlan[id] {
			return invalid(fmt.Sprintf("%s.performers[%d]", f, j), "performer %d is not in the plan's performers", id)
		}
	}
	if err := checkText(f+".action", b.Action, MaxBeatText, false, true); err != nil {
		return err
	}
	if len(b.ContactAreas) > len(bodyAreas) {
		return invalid(f+".contact_areas", "%d areas, at most %d", len(b.ContactAreas), len(bodyAreas))
	}
	for j, a := range b.ContactAreas {
		if !IsBodyArea(a) {
			return invalid(fmt.Sprintf("%s.contact_areas[%d]", f, j), "unknown body area %q", a)
		}
	}
	for _, t := range []struct{ name, v string }{{"count", b.Count}, {"timing", b.Timing}, {"breath", b.Breath}, {"eyeline", b.Eyeline}, {"camera", b.Camera}} {
		if err := checkText(f+"."+t.name, t.v, MaxBeatText, false, false); err != nil {
			return err
		}
	}
	return nil
}

// sortedPerformers is the performers in id order, for deterministic errors.
func (p Plan) sortedPerformers() []PerformerPlan {
	out := slices.Clone(p.Performers)
	slices.SortFunc(out, func(a, b PerformerPlan) int { return cmpInt64(a.PerformerID, b.PerformerID) })
	return out
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Act words that name simulated sex or sexual violence: a minor's plan is
// refused on them even if the content categories leave them out, because
// minors are protected by rule, not by care. Matched on lower-case words
// and word prefixes.
var (
	sexWords      = []string{"sex", "intercourse", "coitus", "thrust", "oral", "fellatio", "cunnilingus", "masturbat", "orgasm", "penetrat", "humping"}
	violenceWords = []string{"rape", "raping", "sexual assault", "sexually assault", "molest", "forced sex", "non-consensual", "nonconsensual", "groping", "grope"}
)

// hasContent reports whether the performer's plan includes the category,
// by its Content or by the words of its acts.
func (pp PerformerPlan) hasContent(category string) bool {
	if slices.Contains(pp.Content, category) {
		return true
	}
	var words []string
	switch category {
	case string(breakdown.SimulatedSex):
		words = sexWords
	case string(breakdown.SexualViolence):
		words = violenceWords
	default:
		return false
	}
	for _, a := range pp.Acts {
		l := " " + strings.ToLower(normLine(a))
		for _, w := range words {
			if strings.Contains(l, " "+w) {
				return true
			}
		}
	}
	return false
}

// minorRules refuses nudity, simulated sex and sexual violence for a
// performer under 18 on the shoot day. [law: US and UK]
func minorRules(pp PerformerPlan, perf production.Performer, day production.Date) error {
	if !perf.MinorOn(day) {
		return nil
	}
	who := fmt.Sprintf("%s (performer %d) is %d on the shoot day %s", perf.Name, pp.PerformerID, perf.AgeOn(day), day)
	if !perf.DateOfBirth.Valid() {
		who = fmt.Sprintf("%s (performer %d) has no date of birth on record, so counts as under 18", perf.Name, pp.PerformerID)
	}
	switch {
	case nudityRank(pp.Nudity.Level) > 0:
		return violation(RuleMinorNoNudity, pp.PerformerID, "nudity.level",
			"%s: no nudity may be planned for a performer under 18", who)
	case pp.hasContent(string(breakdown.SimulatedSex)):
		return violation(RuleMinorNoSimulatedSex, pp.PerformerID, "acts",
			"%s: no simulated sex may be planned for a performer under 18", who)
	case pp.hasContent(string(breakdown.SexualViolence)):
		return violation(RuleMinorNoSexualViolence, pp.PerformerID, "acts",
			"%s: no sexual violence may be planned for a performer under 18", who)
	}
	return nil
}

// barrierRule: under a policy that asks for it, every performer in
// simulated sex has a barrier, their own or the scene's.
func (p Plan) barrierRule(policy Policy) error {
	if !policy.BarriersForSimulatedSex {
		return nil
	}
	for _, pp := range p.sortedPerformers() {
		if pp.hasContent(string(breakdown.SimulatedSex)) && len(pp.Barriers) == 0 && len(p.Barriers) == 0 {
			return violation(RuleBarriers, pp.PerformerID, "barriers",
				"performer %d has simulated sex planned and no barrier: %s requires at least one", pp.PerformerID, policy.Name)
		}
	}
	return nil
}

// SimulatedSex reports whether any performer of the plan has simulated sex.
func (p Plan) SimulatedSex() bool {
	return slices.ContainsFunc(p.Performers, func(pp PerformerPlan) bool { return pp.hasContent(string(breakdown.SimulatedSex)) })
}

// Nudity reports whether any performer of the plan has nudity planned,
// implied included: they are unclothed on set (as for garments in
// Conflicts).
func (p Plan) Nudity() bool {
	return slices.ContainsFunc(p.Performers, func(pp PerformerPlan) bool { return nudityRank(pp.Nudity.Level) > 0 })
}

// For returns the plan of one performer, and whether they are in it.
func (p Plan) For(performerID int64) (PerformerPlan, bool) {
	i := slices.IndexFunc(p.Performers, func(pp PerformerPlan) bool { return pp.PerformerID == performerID })
	if i < 0 {
		return PerformerPlan{}, false
	}
	return p.Performers[i], true
}
