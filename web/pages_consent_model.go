package web

import (
	"closedset"
	"errors"
	"strconv"
	"strings"
	"time"

	"closedset/consent"
	"closedset/docs"
	"closedset/ops"
	"closedset/production"
)

// The data of the consent pages, as their templates read it. None of
// these types has a field for a withdrawal reason, and only the
// boundaries page's (shown to ICs and the performer alone) holds
// boundaries: the grid and the scene page cannot show what they do not
// hold.

// productionConsent is the production page's cast and its links to the
// consent pages.
type productionConsent struct {
	Performers       []production.Performer
	CanList          bool
	CanAdd           bool
	Form             performerForm
	Error            formErrors
	CanSeeGrid       bool
	CanIssue         bool                  // the riders board
	CanSeeRequests   bool                  // department requests (a department head: theirs)
	CanSeeDays       bool                  // the shoot days and their boards
	Me               *production.Performer // the viewer's own performer record
	CanSeeBoundaries bool                  // the viewer is an IC: boundaries links
}

// performerForm is the add-performer form as typed.
type performerForm struct {
	Name, Email, DateOfBirth, Characters, Phone, Representative string
}

func (f performerForm) in() performerIn {
	return performerIn{
		Name: strings.TrimSpace(f.Name), Email: strings.TrimSpace(f.Email), DateOfBirth: strings.TrimSpace(f.DateOfBirth),
		Characters: commaList(f.Characters), Phone: strings.TrimSpace(f.Phone), Representative: strings.TrimSpace(f.Representative),
	}
}

// stateMeanings say what each consent state means, in the words a
// performer and a crew read next to it (a colour alone is never enough).
var stateMeanings = map[consent.State]string{
	consent.Current:   "consent given for this version of the plan and script",
	consent.Stale:     "the plan or the script changed; a new rider or re-confirmation is needed",
	consent.Withdrawn: "consent withdrawn: the scene is not ready to shoot",
	consent.None:      "no consent given yet",
}

// mePage is a performer's own view of a production.
type mePage struct {
	Production  production.Production
	Performer   production.Performer
	Zone        *time.Location
	Scenes      []myScene
	OtherScenes int // scenes they are in with no intimate content
	Riders      []riderLink
	Error       formErrors
	// Reason is the withdrawal reason typed into the form of scene
	// ReasonScene that failed, kept for the form again.
	ReasonScene int64
	Reason      string
	// Readers are who can read the performer's boundaries now.
	Readers []ops.BoundaryReader
}

// myScene is one scene with intimate content the performer is in.
type myScene struct {
	Scene        production.Scene
	HasPlan      bool
	PlanSays     []string // what the plan asks of them, in plain words
	CallTime     *time.Time
	State        consent.State
	Meaning      string
	CanReconfirm bool             // stale after a change that only reduces their part
	NeedsRider   bool             // stale after a change that adds to it
	Changed      ops.SinceConsent // what changed since they consented, when stale
}

// riderLink is one of a performer's riders, as a link.
type riderLink struct {
	ID        int64
	Delivered time.Time
	Scenes    int
	Signed    *time.Time
}

// planSays writes what a performer's part of a plan asks of them, one line
// per kind, leaving out what the plan does not ask.
func planSays(pp consent.PerformerPlan) []string {
	var out []string
	n := pp.Nudity
	switch {
	case n.Level == "" || n.Level == "none":
		out = append(out, "Nudity: none.")
	default:
		s := "Nudity: " + n.Level
		if len(n.Areas) > 0 {
			s += " — " + strings.Join(mapStrings(n.Areas, areaLabel), ", ")
		}
		if len(n.Angles) > 0 {
			s += " (seen from " + strings.Join(n.Angles, ", ") + ")"
		}
		out = append(out, s+".")
	}
	add := func(label string, items []string) {
		if len(items) > 0 {
			out = append(out, label+": "+strings.Join(items, "; ")+".")
		}
	}
	add("Simulated acts", pp.Acts)
	add("Contact", pp.Contact)
	add("Garments", pp.Garments)
	add("Barriers", pp.Barriers)
	if pp.Double != "" {
		out = append(out, "Double: "+pp.Double+".")
	}
	return out
}

func mapStrings(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

// riderPage shows one rider, with the sign form for its performer.
type riderPage struct {
	Production production.Production
	Rider      consent.Rider
	Doc        docs.Rider
	Signature  *docs.Signature
	Rights     []string
	CanSign    bool
	TypedName  string
	Agree      bool
	Error      formErrors
}

// boundariesPage is the agreement of touch of one performer.
type boundariesPage struct {
	Production production.Production
	Performer  production.Performer
	Own        bool // the viewer is the performer
	Version    int  // 0: none recorded yet
	Form       boundariesForm
	Error      formErrors
	Saved      bool
	// Readers are who can read these boundaries now, each since when.
	Readers []ops.BoundaryReader
	Zone    *time.Location
}

// consentsPage is the consent grid: flagged scenes by performers.
type consentsPage struct {
	Production production.Production
	Zone       *time.Location
	Performers []production.Performer // the columns shown
	All        []production.Performer // every performer, for the filter
	Rows       []gridRow
	Show       string // "all" or "not-ready"
	Performer  int64  // the performer filter, 0 for everyone
	Total      int    // flagged scenes before filtering
	NotReady   int
}

// gridRow is one scene of the grid.
type gridRow struct {
	Scene    production.Scene
	CallTime *time.Time
	Ready    bool
	Gates    []string // the blocking gates, each once, in order
	Cells    []gridCellView
}

// gridCellView is one performer's consent state on one scene; In is
// false when they are not in it.
type gridCellView struct {
	Performer production.Performer
	In        bool // present in the scene
	InAction  bool // in its intimate action: State is theirs
	State     consent.State
}

// gateLabels name the readiness gates on chips.
var gateLabels = map[string]string{
	consent.GatePlan:       "plan",
	consent.GateConsent:    "consent",
	consent.GateNotice:     "notice",
	consent.GateMinors:     "minors",
	consent.GateBarriers:   "barriers",
	consent.GateBoundaries: "boundaries",
	consent.GateRequests:   "requests",
	consent.GateClosedSet:  "closed set",
	consent.GatePaused:     "paused",
}

func gateLabel(g string) string {
	if l, ok := gateLabels[g]; ok {
		return l
	}
	return strings.ReplaceAll(g, "_", " ")
}

// blockingGates lists the gates of a readiness result's blockers, each
// once, in the order reported.
func blockingGates(res consent.Result) []string {
	var out []string
	for _, b := range res.Blockers {
		if !contains(out, b.Gate) {
			out = append(out, b.Gate)
		}
	}
	return out
}

// sceneConsent is the scene page's consent section: readiness, cast and
// their consent states, call time, safeguards, the plan and its editor.
type sceneConsent struct {
	SceneID int64
	Zone    *time.Location

	CanReadiness bool
	Readiness    consent.Result

	Cast        []castRow
	CanCast     bool                   // an IC: put performers in or out by hand
	NotInScene  []production.Performer // the production's other performers, to put in
	CanIssue    bool
	CanWithdraw bool // an IC, on a performer's word
	CastError   formErrors
	ShowStates  bool

	CallTime      *time.Time
	CanSchedule   bool
	CallTimeValue string // for the datetime-local field
	ScheduleError formErrors

	Minors         []minorRow
	StudioTeacher  string
	CanSafeguard   bool
	SafeguardError formErrors

	CanReadPlan bool
	HasPlan     bool
	Plan        planView
	// Conflicts are the plan's lines beyond its performers' recorded
	// boundaries: filled for the ICs only (boundaries.read).
	Conflicts    []consent.Conflict
	Version      consent.PlanVersion
	Older        []olderPlan
	CanWritePlan bool
	Form         planForm
	PlanError    formErrors
	PlanRule     string // the rule a refused plan broke
	Levels       []string
	Areas        []string
	Angles       []string
	Contents     []string
}

// castRow is one performer of the scene.
type castRow struct {
	Performer production.Performer
	State     consent.State
	Reason    string // why they withdrew, if they said: for the ICs only
	InAction  bool   // named by the plan; without a plan, everyone is
}

// minorRow is a performer under 18 on the shoot day, with their guardian.
type minorRow struct {
	Performer production.Performer
	Age       int
	Guardian  string
}

// planView is a plan with the names of the performers it names.
type planView struct {
	consent.Plan
	Names map[int64]string
}

// Name is a performer's name, or their id when not on the cast list.
func (v planView) Name(id int64) string {
	if n, ok := v.Names[id]; ok {
		return n
	}
	return "performer " + strconv.FormatInt(id, 10)
}

// Says is what the plan asks of one performer, in plain words.
func (v planView) Says(pp consent.PerformerPlan) []string { return planSays(pp) }

// olderPlan is a past version of the plan, read-only.
type olderPlan struct {
	Version consent.PlanVersion
	Plan    planView
}

// isMinor reports whether a performer is a minor on day (no date of
// birth on record counts as a minor), with their age when known.
func isMinor(p production.Performer, day production.Date) (bool, int) {
	if !p.DateOfBirth.Valid() {
		return true, -1
	}
	return p.MinorOn(day), p.AgeOn(day)
}

// fillGrid lays the grid out for the page: the columns the performer
// filter keeps, the rows the show filter keeps, one cell per column.
func fillGrid(page *consentsPage, g ops.Grid, calls map[int64]time.Time) {
	page.All = g.Performers
	keepCol := make([]bool, len(g.Performers))
	for i, p := range g.Performers {
		if keepCol[i] = page.Performer == 0 || p.ID == page.Performer; keepCol[i] {
			page.Performers = append(page.Performers, p)
		}
	}
	for _, gs := range g.Scenes {
		page.Total++
		if !gs.Readiness.Ready {
			page.NotReady++
		}
		row := gridRow{Scene: gs.Scene, Ready: gs.Readiness.Ready, Gates: blockingGates(gs.Readiness)}
		if ct, ok := calls[gs.Scene.ID]; ok {
			row.CallTime = &ct
		}
		inScene := false
		for i, c := range gs.Cells {
			if i >= len(g.Performers) || !keepCol[i] {
				continue
			}
			inScene = inScene || c.InScene
			row.Cells = append(row.Cells, gridCellView{Performer: g.Performers[i], In: c.InScene, InAction: c.InAction, State: c.State})
		}
		if page.Show == showNotReady && row.Ready || page.Performer != 0 && !inScene {
			continue
		}
		page.Rows = append(page.Rows, row)
	}
}

// asRuleError finds the rule a refused plan broke.
func asRuleError(err error) (*closedset.Error, bool) {
	var re *closedset.Error
	ok := errors.As(err, &re) && re.Kind == closedset.RuleViolation
	return re, ok
}
