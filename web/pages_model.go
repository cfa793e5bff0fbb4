package web

import (
	"net/url"
	"strconv"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/credentials"
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
	// Expiring are the user's own credentials coming to an end within
	// 60 days (issue 16): their certification, its review, their MHFA.
	Expiring []credentials.Expiry
}

// productionForm is the new-production form as typed, kept to re-render it
// with its error.
type productionForm struct {
	Title, Policy, TimeZone string
	Role                    string // the creator's own: ic or producer
}

type productionPage struct {
	Production production.Production
	// ICOfRecord is the production's lead IC of record (issue 16).
	ICOfRecord icOfRecordPart
	Roles      auth.Roles
	Zone       *time.Location

	Filters                          []filterLink
	Scenes                           []sceneView // the page's, of those the filter keeps
	Total, Shown, NeedIC, Unreviewed int         // Shown: all the filter keeps, on every page
	Flagged                          int
	Pages                            pager

	Scripts     []scriptView
	CanUpload   bool
	UploadError formErrors

	Members      []production.Member
	CanAddMember bool
	MemberForm   memberForm
	MemberError  formErrors
	RoleChoices  []option

	// The people parts (people.go): members' roles, invitations, the
	// cast's edits.
	UserID              int64 // the viewer: nobody edits their own roles upward
	CanEditMembers      bool
	MembersError        string
	Invitations         []invitationOut // pending
	Invited             *invitedView    // the link of an invitation just made, shown once
	CanEditPerformers   bool
	CanRemovePerformers bool
	PerformerEditError  string

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
	Page      int    // and its page
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
	// CanShoot links the scene's requests and closed-set list.
	CanShoot bool
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
	Text         []production.Passage // the changed lines, word by word
}

type errorPage struct {
	Heading string
	Message string
}

// filterLink is one choice of the scene filter.
type filterLink struct {
	Value, Label, URL string
	Current           bool
}

// The scene filters of the production page, by query value. A script
// of 137 scenes has a dozen flagged ones: those are what an IC opens the
// page for, so they are the default (showFlagged).
const (
	showFlagged    = "flagged"
	showAll        = "all"
	showNeedsIC    = "ic"
	showUnreviewed = "unreviewed"
)

var sceneFilters = []option{
	{showFlagged, "Flagged"},
	{showNeedsIC, "Needs IC"},
	{showUnreviewed, "Unreviewed"},
	{showAll, "All scenes"},
}

// parseFilter reads the show= query value; none, or anything unknown,
// shows the flagged scenes.
func parseFilter(s string) string {
	for _, f := range sceneFilters {
		if f.Value == s {
			return s
		}
	}
	return showFlagged
}

// scenesPerPage is how many scenes the production page shows at once.
const scenesPerPage = 50

// pager is one page of a list split into pages, with links to the others
// that work without JavaScript.
type pager struct {
	Page, Count int // this page (from 1) and how many there are
	First, Last int // the items shown, from 1; Last 0 when none
	Total       int
	Prev, Next  string // the links to the page before and after, "" at the ends
	Links       []pageLink
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

// newPager places page (from 1; anything out of range is the nearest
// page) of total items, perPage at a time; link makes a page's URL.
func newPager(page, total, perPage int, link func(n int) string) pager {
	count := max(1, (total+perPage-1)/perPage)
	page = min(max(page, 1), count)
	p := pager{Page: page, Count: count, Total: total, First: (page-1)*perPage + 1, Last: min(page*perPage, total)}
	if total == 0 {
		p.First = 0
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < count {
		p.Next = link(page + 1)
	}
	for n := 1; n <= count; n++ {
		p.Links = append(p.Links, pageLink{N: n, URL: link(n), Current: n == page})
	}
	return p
}

// sceneListURL is the production page's scene list with a filter, on a
// page (1: no page= at all).
func sceneListURL(filter string, page int) string {
	q := url.Values{}
	if filter != showFlagged {
		q.Set("show", filter)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return "?#scenes"
	}
	return "?" + q.Encode() + "#scenes"
}

func filterLinks(current string) []filterLink {
	out := make([]filterLink, len(sceneFilters))
	for i, f := range sceneFilters {
		out[i] = filterLink{Value: f.Value, Label: f.Label, Current: f.Value == current, URL: sceneListURL(f.Value, 1)}
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
	case showFlagged:
		return len(sc.Flagged()) > 0
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
	Page      int
	Return    string
	Zone      *time.Location
}

func newSceneView(sc production.Scene, fc flagContext) sceneView {
	v := sceneView{Scene: sc, Flags: make([]flagView, len(sc.Flags))}
	for i, f := range sc.Flags {
		v.Flags[i] = flagView{Flag: f, CanReview: fc.CanReview, CSRF: fc.CSRF, Filter: fc.Filter, Page: fc.Page, Return: fc.Return, Zone: fc.Zone}
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
