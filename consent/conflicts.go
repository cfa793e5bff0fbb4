package consent

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"closedset/breakdown"
)

// Conflict is one line of a performer's part of a plan that goes beyond
// the boundaries they recorded (issue 11, item 3), in plain words: the
// plan line and the boundary it goes beyond. A conflict names body areas,
// so it is as private as the boundaries it comes from: only the performer
// and the production's ICs may read it. Readiness learns only which
// performers have one (Facts.BoundaryConflicts).
type Conflict struct {
	PerformerID int64 `json:"performer_id"`
	// Line is the plan's line, as the plan says it ("contact: hands:
	// breasts", "nudity: partial, buttocks seen from front").
	Line string `json:"line"`
	// Boundary is what the performer recorded that the line goes beyond
	// ("no touch on breasts", "buttocks may be seen only from rear").
	Boundary string `json:"boundary"`
}

// String is the conflict in one sentence.
func (c Conflict) String() string { return c.Line + " — beyond the recorded boundary: " + c.Boundary }

// Conflicts compares the performer's part of the plan with their
// boundaries and returns every line that goes beyond them, in the plan's
// order (contact, beats, nudity, garments); none when the performer is
// not in the plan. Only what is recorded is compared: an area or angle
// "not discussed" is no conflict, and so no boundaries at all give none.
//
// The rules, conservative where the plan does not say who:
//
//   - Touch. A contact line names the performer's areas touched after its
//     colon ("hands: breasts", "kissing: lips, neck"; the whole line when
//     it has no colon); a beat the performer is in names its contact areas
//     (taken as possibly theirs). The toucher is any other performer of
//     the plan (of the beat, for a beat); each counts as a scene partner.
//     A touch goes beyond a no-touch area, a refusal by nobody, a refusal
//     by that performer or by a scene partner, or an area allowed only
//     to others. A rule for the area itself comes before one for the
//     whole body, and a rule naming the performer before one for scene
//     partners; a no-touch area (or the whole body) holds whatever else
//     is allowed.
//   - Exposure. Partial nudity shows its areas, full nudity every area,
//     from the plan's angles (none given: every angle). It goes beyond an
//     area (or the whole body) that may not be seen from one of those
//     angles, or an area that may be seen only from other angles.
//   - Garments. With nudity planned (or simulated sex), each garment the
//     performer needs must be among their plan's garments (case and
//     spacing aside, one naming the other).
func Conflicts(p Plan, performerID int64, b Boundaries) []Conflict {
	pp, in := p.For(performerID)
	if !in {
		return nil
	}
	var out []Conflict
	add := func(line, boundary string) {
		c := Conflict{PerformerID: performerID, Line: line, Boundary: boundary}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	var partners []int64
	for _, o := range p.Performers {
		if o.PerformerID != performerID {
			partners = append(partners, o.PerformerID)
		}
	}
	for _, line := range pp.Contact {
		touched := line
		if _, after, ok := strings.Cut(line, ":"); ok {
			touched = after
		}
		for _, area := range AreasIn(touched) {
			for _, why := range b.touchBeyond(area, partners) {
				add("contact: "+normLine(line), why)
			}
		}
	}
	for _, bt := range p.Beats {
		if !slices.Contains(bt.Performers, performerID) {
			continue
		}
		var others []int64
		for _, id := range bt.Performers {
			if id != performerID {
				others = append(others, id)
			}
		}
		for _, area := range bt.ContactAreas {
			for _, why := range b.touchBeyond(area, others) {
				add(fmt.Sprintf("beat %d: contact on %s", bt.Order, areaWords(area)), why)
			}
		}
	}
	for _, c := range b.exposureBeyond(pp.Nudity) {
		add(c[0], c[1])
	}
	if nudityRank(pp.Nudity.Level) > 0 || pp.hasContent(string(breakdown.SimulatedSex)) {
		for _, g := range b.Garments {
			if !slices.ContainsFunc(pp.Garments, func(pg string) bool { return sameGarment(pg, g) }) {
				add("garments: "+orNone(pp.Garments), "needs "+normLine(g))
			}
		}
	}
	return out
}

// PlanConflicts is Conflicts for every performer of the plan whose
// boundaries are given, in the plan's order of performers.
func PlanConflicts(p Plan, boundaries map[int64]Boundaries) []Conflict {
	var out []Conflict
	for _, pp := range p.Performers {
		if b, ok := boundaries[pp.PerformerID]; ok {
			out = append(out, Conflicts(p, pp.PerformerID, b)...)
		}
	}
	return out
}

const wholeBody = "whole_body"

// touchBeyond says which recorded rules a touch of area by any of the
// touchers (performer ids; none: someone unnamed, a scene partner) goes
// beyond, in words; none when it is within them.
func (b Boundaries) touchBeyond(area string, touchers []int64) []string {
	for _, a := range []string{area, wholeBody} {
		if slices.Contains(b.NoTouch, a) {
			return []string{"no touch on " + areaWords(a)}
		}
	}
	if len(touchers) == 0 {
		touchers = []int64{0}
	}
	var out []string
	for _, who := range touchers {
		for _, a := range []string{area, wholeBody} {
			why, decided := b.touchRule(a, who)
			if why != "" && !slices.Contains(out, why) {
				out = append(out, why)
			}
			if decided {
				break
			}
		}
	}
	return out
}

// touchRule applies the touch rules of one area (or the whole body) to a
// touch by who (0: an unnamed scene partner): the boundary gone beyond,
// and whether the area's rules decided it (a rule for the whole body is
// asked only when they did not).
func (b Boundaries) touchRule(area string, who int64) (beyond string, decided bool) {
	for _, t := range b.Touch {
		if t.Area == area && t.By == ByNobody {
			return "no touch on " + areaWords(area), true
		}
	}
	var allowedBy []string
	byPartner := -1 // -1 no rule, 0 refused, 1 allowed
	for _, t := range b.Touch {
		if t.Area != area {
			continue
		}
		switch {
		case who != 0 && t.By == ByPerformer(who):
			if t.Allowed {
				return "", true
			}
			return fmt.Sprintf("no touch on %s by performer %d", areaWords(area), who), true
		case t.By == ByScenePartner:
			byPartner = 0
			if t.Allowed {
				byPartner = 1
			}
		}
		if t.Allowed {
			allowedBy = append(allowedBy, byWords(t.By))
		}
	}
	switch {
	case byPartner == 1:
		return "", true
	case byPartner == 0:
		return "no touch on " + areaWords(area) + " by a scene partner", true
	case len(allowedBy) > 0 && who != 0:
		return fmt.Sprintf("touch on %s only by %s", areaWords(area), strings.Join(allowedBy, ", ")), true
	}
	return "", false
}

// exposureBeyond compares a performer's nudity with the exposure rules:
// pairs of the plan line and the boundary it goes beyond.
func (b Boundaries) exposureBeyond(n Nudity) [][2]string {
	rank := nudityRank(n.Level)
	if rank < nudityRank("partial") {
		return nil
	}
	full := rank >= nudityRank("full")
	planAngles := n.Angles
	if len(planAngles) == 0 {
		planAngles = angles
	}
	var out [][2]string
	for _, e := range b.Exposure {
		seen := full || e.Area == wholeBody || slices.Contains(n.Areas, e.Area)
		if !seen {
			continue
		}
		line := "nudity: " + n.Level
		if !full && e.Area != wholeBody {
			line += ", " + areaWords(e.Area) + " seen"
		}
		if len(n.Angles) > 0 {
			line += " from " + strings.Join(n.Angles, ", ")
		}
		ruleAngles := e.Angles
		if len(ruleAngles) == 0 {
			ruleAngles = angles
		}
		switch {
		case !e.Allowed:
			var both []string
			for _, a := range planAngles {
				if slices.Contains(ruleAngles, a) {
					both = append(both, a)
				}
			}
			if len(both) == 0 {
				continue
			}
			why := areaWords(e.Area) + " may not be seen"
			if len(e.Angles) > 0 {
				why += " from " + strings.Join(both, ", ")
			}
			out = append(out, [2]string{line, why})
		case len(e.Angles) > 0:
			if slices.ContainsFunc(planAngles, func(a string) bool { return !slices.Contains(e.Angles, a) }) {
				out = append(out, [2]string{line, areaWords(e.Area) + " may be seen only from " + strings.Join(e.Angles, ", ")})
			}
		}
	}
	return out
}

// AreasIn finds the body areas a line of plain words names, in the order
// they appear, each once: "hands on her inner thighs and breast" names
// inner_thighs and breasts. Singulars and a few common words count
// ("bottom" is buttocks).
func AreasIn(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
	var out []string
	for i := 0; i < len(words); i++ {
		var area string
		if i+1 < len(words) {
			if two := areaOf(words[i] + "_" + words[i+1]); two != "" {
				area, i = two, i+1
			}
		}
		if area == "" {
			area = areaOf(words[i])
		}
		if area != "" && !slices.Contains(out, area) {
			out = append(out, area)
		}
	}
	return out
}

// areaSynonyms are words for body areas besides the vocabulary's own and
// its singulars.
var areaSynonyms = map[string]string{
	"foot": "feet", "bottom": "buttocks", "bum": "buttocks", "butt": "buttocks", "crotch": "groin",
	"belly": "stomach", "abdomen": "stomach", "genital": "genitals", "breast": "breasts",
}

func areaOf(w string) string {
	switch {
	case IsBodyArea(w):
		return w
	case IsBodyArea(w + "s"):
		return w + "s"
	}
	return areaSynonyms[w]
}

// areaWords is an area as people write it: "inner thighs".
func areaWords(a string) string { return strings.ReplaceAll(a, "_", " ") }

func byWords(by string) string {
	if id, ok := strings.CutPrefix(by, byPerformer); ok {
		return "performer " + id
	}
	return "a " + by
}

func orNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}

// sameGarment compares a planned garment with a needed one: case and
// spacing aside, one naming the other ("nipple covers" and "silicone
// nipple covers").
func sameGarment(planned, needed string) bool {
	p, n := strings.ToLower(normLine(planned)), strings.ToLower(normLine(needed))
	return p != "" && n != "" && (strings.Contains(p, n) || strings.Contains(n, p))
}
