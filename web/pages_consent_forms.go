package web

import (
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
			return nil, errorf(codeBadRequest, "beat line %d: write at least %q", i+1, "order | performers | action")
		}
		for len(cols) < 9 {
			cols = append(cols, "")
		}
		order, err := strconv.Atoi(cols[0])
		if err != nil || order < 1 {
			return nil, errorf(codeBadRequest, "beat line %d: the order %q is not a number from 1", i+1, cols[0])
		}
		b := consent.Beat{Order: order, Action: cols[2], Count: cols[4], Timing: cols[5], Breath: cols[6], Eyeline: cols[7], Camera: cols[8]}
		for _, who := range commaList(cols[1]) {
			id, ok := findPerformer(who, cast)
			if !ok {
				return nil, errorf(codeBadRequest, "beat line %d: %q is none of this scene's performers (%s)", i+1, who, castNames(cast))
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
}

type exposureRow struct {
	Area   string
	Rule   string // "", "allowed", "refused"
	Angles []string
	Index  int
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
		for _, t := range b.Touch {
			if t.Area == area {
				f.Touch = append(f.Touch, touchRow{Area: area, Rule: ruleOf(t.Allowed), By: t.By, Index: len(f.Touch)})
			}
		}
		f.Touch = append(f.Touch, touchRow{Area: area, By: consent.ByScenePartner, Index: len(f.Touch), NewRule: true})
		seen := false
		for _, e := range b.Exposure {
			if e.Area == area {
				f.Exposure = append(f.Exposure, exposureRow{Area: area, Rule: ruleOf(e.Allowed), Angles: e.Angles, Index: len(f.Exposure)})
				seen = true
			}
		}
		if !seen {
			f.Exposure = append(f.Exposure, exposureRow{Area: area, Index: len(f.Exposure)})
		}
	}
	return f
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
			return consent.Boundaries{}, errorf(codeBadRequest, "touch rule for %s is %q: choose allowed or not allowed", areaLabel(firstOf(area)), rule)
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
			return consent.Boundaries{}, errorf(codeBadRequest, "exposure rule for %s is %q: choose may be seen or may not be seen", areaLabel(firstOf(area)), rule)
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
