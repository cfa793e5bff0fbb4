package web

import (
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/production"
)

// The data of each page, as its template reads it.

type signinPage struct {
	Email  string
	Errors formErrors
	Next   string // the page asked for before signing in
}

type productionsPage struct {
	List     []production.Membership
	Form     productionForm
	Errors   formErrors
	Policies []consent.Policy
}

// productionForm is the new-production form as typed, kept to re-render it
// with its error.
type productionForm struct {
	Title, Policy, TimeZone string
}

type productionPage struct {
	Production production.Production
	Roles      auth.Roles
	Zone       *time.Location

	Filters                          []filterLink
	Scenes                           []sceneView
	Total, Shown, NeedIC, Unreviewed int

	Scripts     []scriptView
	CanUpload   bool
	UploadError formErrors

	Members      []production.Member
	CanAddMember bool
	MemberForm   memberForm
	MemberError  formErrors
	RoleChoices  []option

	Consent productionConsent // the cast, and links to the consent pages

	Policy       policyOut // in force, beside its pack
	CanSetPolicy bool
	PolicyError  formErrors
}

type memberForm struct{ Email, Role string }

type scriptView struct {
	production.Script
	Revisions []revisionView
}

type revisionView struct {
	production.Revision
	UploaderName string
}

// sceneView is a scene with its flags as the viewer may act on them.
type sceneView struct {
	production.Scene
	Flags []flagView
}

// flagView is a flag with what its template needs around it: whether the
// viewer may review it and where the review form sends them back.
type flagView struct {
	production.Flag
	CanReview bool
	CSRF      string
	Filter    string // the production page's filter, kept across a review
	Return    string // "scene" to come back to the scene's own page
	Zone      *time.Location
}

type scenePage struct {
	Production  production.Production
	Revision    production.Revision
	ScriptTitle string
	Current     bool // the scene belongs to its script's latest revision
	Scene       sceneView
	Consent     *sceneConsent // nil when the viewer may see none of it
}

type diffPage struct {
	Production  production.Production
	ScriptTitle string
	Old, New    production.Revision
	Entries     []diffEntryView
}

// diffEntryView is one scene of the intimacy diff: Scene is the scene in
// the new revision (the old one for a removed scene); OldScene is set for a
// changed scene whose number or heading changed too.
type diffEntryView struct {
	Change       production.Change
	Scene        *production.Scene
	OldScene     *production.Scene
	FlagsAdded   []string
	FlagsRemoved []string
	TextChanged  bool
}

type errorPage struct {
	Heading string
	Message string
}

// filterLink is one choice of the scene filter.
type filterLink struct {
	Value, Label string
	Current      bool
}

// The scene filters of the production page, by query value.
const (
	showAll        = "all"
	showNeedsIC    = "ic"
	showUnreviewed = "unreviewed"
)

var sceneFilters = []option{
	{showAll, "All scenes"},
	{showNeedsIC, "Needs IC"},
	{showUnreviewed, "Unreviewed"},
}

// parseFilter reads the show= query value; anything unknown shows all.
func parseFilter(s string) string {
	for _, f := range sceneFilters {
		if f.Value == s {
			return s
		}
	}
	return showAll
}

func filterLinks(current string) []filterLink {
	out := make([]filterLink, len(sceneFilters))
	for i, f := range sceneFilters {
		out[i] = filterLink{Value: f.Value, Label: f.Label, Current: f.Value == current}
	}
	return out
}

// unreviewed reports whether any flag of the scene awaits an IC's review.
func unreviewed(sc production.Scene) bool {
	for _, f := range sc.Flags {
		if f.Review == nil {
			return true
		}
	}
	return false
}

// keep reports whether the filter shows the scene.
func keep(filter string, sc production.Scene) bool {
	switch filter {
	case showNeedsIC:
		return sc.NeedsIC
	case showUnreviewed:
		return unreviewed(sc)
	}
	return true
}

// flagContext is what every flag of one page shares.
type flagContext struct {
	CanReview bool
	CSRF      string
	Filter    string
	Return    string
	Zone      *time.Location
}

func newSceneView(sc production.Scene, fc flagContext) sceneView {
	v := sceneView{Scene: sc, Flags: make([]flagView, len(sc.Flags))}
	for i, f := range sc.Flags {
		v.Flags[i] = flagView{Flag: f, CanReview: fc.CanReview, CSRF: fc.CSRF, Filter: fc.Filter, Return: fc.Return, Zone: fc.Zone}
	}
	return v
}

// loadZone is the production's time zone, UTC when its name is unknown to
// this machine's zone database.
func loadZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}
