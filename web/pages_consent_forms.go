package web

import (
	"closedset"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"closedset/consent"
	"closedset/ops"
	"closedset/production"
	"closedset/textfield"
)

// The consent pages' forms as HTML sends them, and back: the intimacy
// plan editor and the agreement of touch. A form shows a stored value and
// reads it back unchanged, so saving an untouched plan keeps its hash and
// no consent goes stale for nothing.

// maxFormRows bounds the repeated rows a form may send (touch and
// exposure rules, performers of a plan).
const maxFormRows = 400

// commaList splits "a, b ,c" into its non-empty items.
func commaList(s string) []string { return textfield.Items(s, ",") }

// areaName reads a body area as typed ("inner thighs") as the vocabulary
// writes it ("inner_thighs").
func areaName(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "_")
}

// areaLabel writes a body area for people: "inner thighs".
func areaLabel(s string) string { return strings.ReplaceAll(s, "_", " ") }

// planForm is the plan editor: the plan, the performers it may name, and
// the beats as the one-per-line text the IC types.
type planForm struct {
	Plan       consent.Plan
	Performers []planPerformerForm
	Beats      string
}

// planPerformerForm is one performer's fieldset of the editor.
type planPerformerForm struct {
	production.Performer
	In   bool // in the plan
	Plan consent.PerformerPlan
}

// newPlanForm fills the editor from a plan; cast are the performers the
// plan may name (the scene's, and any the plan names who is no longer cast).
func newPlanForm(p consent.Plan, cast []production.Performer) planForm {
	f := planForm{Plan: p}
	for _, c := range cast {
		pp, in := p.For(c.ID)
		if !in {
			pp = consent.PerformerPlan{PerformerID: c.ID, Nudity: consent.Nudity{Level: "none"}}
		}
		f.Performers = append(f.Performers, planPerformerForm{Performer: c, In: in, Plan: pp})
	}
	f.Beats = beatLines(p.Beats, cast)
	return f
}

// parsePlanForm reads the editor's form into a plan. It checks only what
// the form's own syntax needs (the beats' lines); the plan's content is
// validated by the operation that stores it.
func parsePlanForm(form url.Values, cast []production.Performer) (planForm, error) {
	p := consent.Plan{
		Description:    form.Get("description"),
		FinalPicture:   form.Get("final_picture"),
		Barriers:       ops.Lines(form.Get("barriers")),
		Camera:         form.Get("camera"),
		Coverage:       form.Get("coverage"),
		FootageLimits:  form.Get("footage_limits"),
		StillsLimits:   form.Get("stills_limits"),
		Double:         form.Get("double"),
		Intent:         form.Get("intent"),
		DirectorIntent: form.Get("director_intent"),
		ProducerIntent: form.Get("producer_intent"),
		Conditions:     form.Get("conditions"),
	}
	f := planForm{Beats: form.Get("beats")}
	for _, c := range cast {
		k := fmt.Sprintf("p%d-", c.ID)
		pp := consent.PerformerPlan{
			PerformerID: c.ID,
			Nudity:      consent.Nudity{Level: form.Get(k + "level"), Areas: form[k+"areas"], Angles: form[k+"angles"]},
			Acts:        ops.Lines(form.Get(k + "acts")),
			Content:     form[k+"content"],
			Contact:     ops.Lines(form.Get(k + "contact")),
			Garments:    ops.Lines(form.Get(k + "garments")),
			Barriers:    ops.Lines(form.Get(k + "barriers")),
			Double:      strings.TrimSpace(form.Get(k + "double")),
		}
		in := form.Get(k+"in") == "on"
		if in {
			p.Performers = append(p.Performers, pp)
		}
		f.Performers = append(f.Performers, planPerformerForm{Performer: c, In: in, Plan: pp})
	}
	beats, err := parseBeats(f.Beats, cast)
	f.Plan = p
	f.Plan.Beats = beats
	return f, err
}

// parseBeats reads one beat per line: "order | performers | action |
// contact areas | count", then optionally "| timing | breath | eyeline |
// camera". Performers are named by name or character (or id), separated
// by commas; contact areas likewise.
func parseBeats(text string, cast []production.Performer) ([]consent.Beat, error) {
	var out []consent.Beat
	for i, l := range ops.Lines(text) {
		cols := strings.SplitN(l, "|", 9)
		for j := range cols {
			cols[j] = strings.TrimSpace(cols[j])
		}
		if len(cols) < 3 {
			return nil, closedset.FieldErrorf(closedset.Invalid, fmt.Sprintf("beats[%d]", i), "write at least “order | performers | action”")
		}
		for len(cols) < 9 {
			cols = append(cols, "")
		}
		order, err := strconv.Atoi(cols[0])
		if err != nil || order < 1 {
			return nil, closedset.FieldErrorf(closedset.Invalid, fmt.Sprintf("beats[%d].order", i), "begin the line with its order, a number from 1 (not “%s”)", cols[0])
		}
		b := consent.Beat{Order: order, Action: cols[2], Count: cols[4], Timing: cols[5], Breath: cols[6], Eyeline: cols[7], Camera: cols[8]}
		for _, who := range commaList(cols[1]) {
			id, ok := findPerformer(who, cast)
			if !ok {
				return nil, closedset.FieldErrorf(closedset.Invalid, fmt.Sprintf("beats[%d].performers", i), "“%s” is none of this scene's performers (%s)", who, castNames(cast))
			}
			b.Performers = append(b.Performers, id)
		}
		for _, a := range commaList(cols[3]) {
			b.ContactAreas = append(b.ContactAreas, areaName(a))
		}
		out = append(out, b)
	}
	return out, nil
}

// findPerformer finds a performer of the cast by name, character or id,
// ignoring case.
func findPerformer(who string, cast []production.Performer) (int64, bool) {
	for _, c := range cast {
		if strings.EqualFold(c.Name, who) || strconv.FormatInt(c.ID, 10) == who {
			return c.ID, true
		}
		for _, ch := range c.Characters {
			if strings.EqualFold(ch, who) {
				return c.ID, true
			}
		}
	}
	return 0, false
}

func castNames(cast []production.Performer) string {
	var names []string
	for _, c := range cast {
		names = append(names, c.Name)
	}
	if len(names) == 0 {
		return "none cast yet"
	}
	return strings.Join(names, ", ")
}

// beatLines writes beats as the editor's lines, the optional columns only
// when a beat has them. A performer whose name would not read back (it
// holds a comma or a bar) is written by id.
func beatLines(beats []consent.Beat, cast []production.Performer) string {
	names := map[int64]string{}
	for _, c := range cast {
		if !strings.ContainsAny(c.Name, ",|") {
			names[c.ID] = c.Name
		}
	}
	var b strings.Builder
	for _, bt := range beats {
		var who []string
		for _, id := range bt.Performers {
			if n, ok := names[id]; ok {
				who = append(who, n)
			} else {
				who = append(who, strconv.FormatInt(id, 10))
			}
		}
		cols := []string{strconv.Itoa(bt.Order), strings.Join(who, ", "), bt.Action, strings.Join(bt.ContactAreas, ", "), bt.Count}
		if extra := []string{bt.Timing, bt.Breath, bt.Eyeline, bt.Camera}; strings.Join(extra, "") != "" {
			cols = append(cols, extra...)
		}
		b.WriteString(strings.Join(cols, " | "))
		b.WriteByte('\n')
	}
	return b.String()
}

// boundariesForm is the agreement of touch as its form shows it: one row
// per touch rule (and a blank one per area to add a rule), one per
// exposure rule, the no-touch areas, garments and notes.
type boundariesForm struct {
	Touch    []touchRow
	Exposure []exposureRow
	NoTouch  []string
	Garments string
	Notes    string
	// By are the choices of who may touch: a scene partner, nobody, or a
	// performer of the production by name.
	By []option
}

type touchRow struct {
	Area    string
	Rule    string // "", "allowed", "refused"
	By      string
	Index   int
	NewRule bool // the blank row of an area
	Of      int  // the rule's index in Boundaries.Touch; -1 for a blank row
}

type exposureRow struct {
	Area   string
	Rule   string // "", "allowed", "refused"
	Angles []string
	Index  int
	Of     int // the rule's index in Boundaries.Exposure; -1 for a blank row
}

// HasAngle reports whether the row names the angle, for checkboxes.
func (r exposureRow) HasAngle(a string) bool { return contains(r.Angles, a) }

// IsNoTouch reports whether nobody may touch the area, for checkboxes.
func (f boundariesForm) IsNoTouch(area string) bool { return contains(f.NoTouch, area) }

func ruleOf(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "refused"
}

// newBoundariesForm lays out b area by area, in the vocabulary's order;
// cast are the production's performers, whom a rule may name.
func newBoundariesForm(b consent.Boundaries, cast []production.Performer, self int64) boundariesForm {
	f := boundariesForm{NoTouch: b.NoTouch, Garments: strings.Join(b.Garments, "\n"), Notes: b.Notes}
	f.By = []option{{consent.ByScenePartner, "a scene partner"}, {consent.ByNobody, "nobody"}}
	named := map[string]bool{consent.ByScenePartner: true, consent.ByNobody: true}
	for _, c := range cast {
		if c.ID != self {
			f.By = append(f.By, option{consent.ByPerformer(c.ID), c.Name})
			named[consent.ByPerformer(c.ID)] = true
		}
	}
	for _, t := range b.Touch {
		if !named[t.By] { // someone since removed from the production: keep the rule
			f.By = append(f.By, option{t.By, t.By})
			named[t.By] = true
		}
	}
	for _, area := range consent.BodyAreas() {
		for i, t := range b.Touch {
			if t.Area == area {
				f.Touch = append(f.Touch, touchRow{Area: area, Rule: ruleOf(t.Allowed), By: t.By, Index: len(f.Touch), Of: i})
			}
		}
		f.Touch = append(f.Touch, touchRow{Area: area, By: consent.ByScenePartner, Index: len(f.Touch), NewRule: true, Of: -1})
		seen := false
		for i, e := range b.Exposure {
			if e.Area == area {
				f.Exposure = append(f.Exposure, exposureRow{Area: area, Rule: ruleOf(e.Allowed), Angles: e.Angles, Index: len(f.Exposure), Of: i})
				seen = true
			}
		}
		if !seen {
			f.Exposure = append(f.Exposure, exposureRow{Area: area, Index: len(f.Exposure), Of: -1})
		}
	}
	return f
}

// fields finds the row of the form laid out from b that an error about b
// names: "touch[2].by" is the touch rule b.Touch[2]'s "by whom".
func (f boundariesForm) fields(b consent.Boundaries) fieldMap {
	return func(e *closedset.Error) (formField, bool) {
		i := fieldIndex(e.Field)
		switch {
		case strings.HasPrefix(e.Field, "touch["):
			for _, row := range f.Touch {
				if row.Of == i && i >= 0 {
					ff := formField{Input: fmt.Sprintf("t%d-rule", row.Index), Label: "Touch on " + areaLabel(row.Area)}
					if strings.HasSuffix(e.Field, ".by") {
						ff.Input, ff.Hint = fmt.Sprintf("t%d-by", row.Index), "say who may touch"
					}
					return ff, true
				}
			}
		case strings.HasPrefix(e.Field, "exposure["):
			for _, row := range f.Exposure {
				if row.Of == i && i >= 0 {
					ff := formField{Input: fmt.Sprintf("e%d-rule", row.Index), Label: "Exposure of " + areaLabel(row.Area)}
					if strings.Contains(e.Field, ".angles") {
						ff.Input, ff.Hint = fmt.Sprintf("e%d-angles", row.Index), "tick front, rear or side, or none for every angle"
					}
					return ff, true
				}
			}
		case strings.HasPrefix(e.Field, "no_touch[") && i >= 0 && i < len(b.NoTouch):
			return formField{Input: "notouch-" + b.NoTouch[i], Label: "No touch on " + areaLabel(b.NoTouch[i])}, true
		case e.Field == "garments" || strings.HasPrefix(e.Field, "garments["):
			return formField{Input: "garments", Label: "Garments"}, true
		case e.Field == "notes":
			return formField{Input: "notes", Label: "Notes"}, true
		}
		return formField{}, false
	}
}

// parseBoundariesForm reads the form back; rows left at "not discussed"
// are no rule. The boundaries are validated by the operation that stores
// them.
func parseBoundariesForm(form url.Values) (consent.Boundaries, error) {
	b := consent.Boundaries{
		NoTouch:  form["notouch"],
		Garments: ops.Lines(form.Get("garments")),
		Notes:    strings.TrimSpace(strings.ReplaceAll(form.Get("notes"), "\r\n", "\n")),
	}
	for i := 0; i < maxFormRows; i++ {
		k := fmt.Sprintf("t%d-", i)
		area, ok := form[k+"area"]
		if !ok {
			break
		}
		switch rule := form.Get(k + "rule"); rule {
		case "":
		case "allowed", "refused":
			b.Touch = append(b.Touch, consent.TouchRule{Area: firstOf(area), By: form.Get(k + "by"), Allowed: rule == "allowed"})
		default:
			return consent.Boundaries{}, errorf(codeBadRequest, "Touch on %s: choose allowed or not allowed", areaLabel(firstOf(area)))
		}
	}
	for i := 0; i < maxFormRows; i++ {
		k := fmt.Sprintf("e%d-", i)
		area, ok := form[k+"area"]
		if !ok {
			break
		}
		switch rule := form.Get(k + "rule"); rule {
		case "":
		case "allowed", "refused":
			b.Exposure = append(b.Exposure, consent.ExposureRule{Area: firstOf(area), Angles: form[k+"angles"], Allowed: rule == "allowed"})
		default:
			return consent.Boundaries{}, errorf(codeBadRequest, "Exposure of %s: choose may be seen or may not be seen", areaLabel(firstOf(area)))
		}
	}
	return b, nil
}

func firstOf(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// planTextFields are the plan editor's inputs of the plan as a whole, by
// the plan's fields; their ids are the fields' names.
var planTextFields = map[string]string{
	"description": "Description", "final_picture": "In the final picture", "barriers": "Barriers for the scene",
	"camera": "Camera", "coverage": "Coverage and monitors", "footage_limits": "Footage limits", "stills_limits": "Stills limits",
	"double": "Double terms", "intent": "Agreed intent", "director_intent": "Director's intent",
	"producer_intent": "Producer's intent", "conditions": "Conditions",
}

// planPerformerFields are a performer's inputs in the plan editor, by the
// field of their part of the plan: the input's id after "p{id}-", and
// what the form calls it before "for {name}".
var planPerformerFields = []struct{ field, input, label string }{
	{"nudity.level", "level", "Nudity"}, {"nudity.areas", "areas", "Areas seen"}, {"nudity.angles", "angles", "Angles"},
	{"acts", "acts", "Simulated acts"}, {"contact", "contact", "Contact"}, {"garments", "garments", "Garments"},
	{"barriers", "barriers", "Barriers"}, {"double", "double", "Double terms"}, {"content", "content", "Content"},
	{"performer_id", "in", "In the intimate action"},
}

// fields finds the plan editor's input an error about f.Plan names: a
// performer's part by its index in the plan ("performers[0].acts") or, for
// a rule a performer's part breaks, by the performer (PerformerID); a
// beat's by its line.
func (f planForm) fields() fieldMap {
	return func(e *closedset.Error) (formField, bool) {
		if label, ok := planTextFields[e.Field]; ok {
			return formField{Input: e.Field, Label: label}, true
		}
		if strings.HasPrefix(e.Field, "beats") {
			ff := formField{Input: "beats", Label: "Beats"}
			if i := fieldIndex(e.Field); i >= 0 {
				ff.Label = fmt.Sprintf("Beat line %d", i+1)
			}
			return ff, true
		}
		id, field := e.PerformerID, e.Field
		if rest, ok := strings.CutPrefix(e.Field, "performers["); ok {
			i := fieldIndex(e.Field)
			if i < 0 || i >= len(f.Plan.Performers) {
				return formField{}, false
			}
			id = f.Plan.Performers[i].PerformerID
			_, field, _ = strings.Cut(rest, "].")
		}
		var name string
		for _, p := range f.Performers {
			if p.ID == id {
				name = p.Name
			}
		}
		if id == 0 || name == "" {
			return formField{}, false
		}
		field = indexes.ReplaceAllString(field, "")
		for _, pf := range planPerformerFields {
			if field == pf.field || strings.HasPrefix(field, pf.field+".") {
				return formField{Input: fmt.Sprintf("p%d-%s", id, pf.input), Label: pf.label + " for " + name}, true
			}
		}
		return formField{Input: fmt.Sprintf("p%d-in", id), Label: name}, true
	}
}
