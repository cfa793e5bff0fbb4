package web

import (
	"strconv"
	"time"

	"closedset/consent"
	"closedset/docs"
	"closedset/ops"
	"closedset/production"
)

// The consent ledger's JSON shapes. Nothing here has a field for a
// boundary or a withdrawal's reason except boundariesOut, which only
// boundaries.read answers.

// performerOut is a performer. The cast list shows everyone name and
// characters; the record's private fields (date of birth, contact,
// representative) only to performer.read.
type performerOut struct {
	ID             int64     `json:"id"`
	ProductionID   int64     `json:"production_id"`
	Name           string    `json:"name"`
	Characters     []string  `json:"characters"`
	UserID         int64     `json:"user_id,omitempty"`
	DateOfBirth    string    `json:"date_of_birth,omitempty"`
	Email          string    `json:"email,omitempty"`
	Phone          string    `json:"phone,omitempty"`
	Representative string    `json:"representative,omitempty"`
	Created        time.Time `json:"created"`
}

func performerJSON(p production.Performer, full bool) performerOut {
	out := performerOut{ID: p.ID, ProductionID: p.ProductionID, Name: p.Name, Characters: nonNil(p.Characters), Created: p.Created}
	if full {
		out.UserID, out.DateOfBirth, out.Email, out.Phone, out.Representative = p.UserID, p.DateOfBirth.String(), p.Email, p.Phone, p.Representative
	}
	return out
}

// boundariesOut is a performer's boundaries: private (boundaries.read).
type boundariesOut struct {
	PerformerID int64 `json:"performer_id"`
	Version     int   `json:"version"` // 0: none recorded yet
	consent.Boundaries
}

func boundariesJSON(performerID int64, b consent.Boundaries, version int) boundariesOut {
	if b.Touch == nil {
		b.Touch = []consent.TouchRule{}
	}
	if b.Exposure == nil {
		b.Exposure = []consent.ExposureRule{}
	}
	b.NoTouch, b.Garments = nonNil(b.NoTouch), nonNil(b.Garments)
	return boundariesOut{PerformerID: performerID, Version: version, Boundaries: b}
}

// planOut is one version of a scene's plan.
type planOut struct {
	SceneID     int64         `json:"scene_id"`
	Version     int           `json:"version"`
	Hash        string        `json:"hash"`
	By          int64         `json:"by"`
	At          time.Time     `json:"at"`
	CarriedFrom int64         `json:"carried_from_scene,omitempty"`
	Plan        *consent.Plan `json:"plan,omitempty"` // left out of version lists
	// Conflicts are the current plan's lines beyond its performers'
	// recorded boundaries: for the production's ICs only, left out when
	// there are none.
	Conflicts []consent.Conflict `json:"conflicts,omitempty"`
}

func planJSON(pv consent.PlanVersion, p *consent.Plan) planOut {
	return planOut{SceneID: pv.SceneID, Version: pv.Version, Hash: pv.Hash, By: pv.By, At: pv.At, CarriedFrom: pv.CarriedFrom, Plan: p}
}

// riderOut is an issued rider: what it covers, its digest, its signature
// once signed, its document and where to read it as HTML and PDF.
type riderOut struct {
	ID           int64           `json:"id"`
	ProductionID int64           `json:"production_id"`
	PerformerID  int64           `json:"performer_id"`
	Digest       string          `json:"digest"`
	IssuedBy     int64           `json:"issued_by"`
	Delivered    time.Time       `json:"delivered"`
	Scenes       []riderSceneOut `json:"scenes"`
	Signed       bool            `json:"signed"`
	Signature    *signatureOut   `json:"signature"` // null until signed
	Document     *riderDocOut    `json:"document,omitempty"`
	HTML         string          `json:"html"`
	PDF          string          `json:"pdf"`
}

type riderSceneOut struct {
	SceneID       int64  `json:"scene_id"`
	PlanVersion   int    `json:"plan_version"`
	PlanHash      string `json:"plan_hash"`
	SceneTextHash string `json:"scene_text_hash"`
}

type signatureOut struct {
	UserID    int64     `json:"user_id"`
	TypedName string    `json:"typed_name"`
	Digest    string    `json:"digest"`
	At        time.Time `json:"at"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
}

func riderJSON(r consent.Rider, doc *docs.Rider) riderOut {
	base := "/api/v1/riders/" + strconv.FormatInt(r.ID, 10)
	out := riderOut{ID: r.ID, ProductionID: r.ProductionID, PerformerID: r.PerformerID, Digest: r.Digest, IssuedBy: r.IssuedBy,
		Delivered: r.DeliveredAt, Scenes: make([]riderSceneOut, len(r.Scenes)), Signed: r.Signature != nil, HTML: base + ".html", PDF: base + ".pdf"}
	for i, rs := range r.Scenes {
		out.Scenes[i] = riderSceneOut{SceneID: rs.SceneID, PlanVersion: rs.PlanVersion, PlanHash: rs.PlanHash, SceneTextHash: rs.SceneTextHash}
	}
	if sg := r.Signature; sg != nil {
		out.Signature = &signatureOut{UserID: sg.UserID, TypedName: sg.TypedName, Digest: sg.Digest, At: sg.At, IP: sg.IP, UserAgent: sg.UserAgent}
	}
	if doc != nil {
		d := riderDocJSON(*doc)
		out.Document = &d
	}
	return out
}

// riderDocOut is the rider's document, as the performer reads it.
type riderDocOut struct {
	Number     string             `json:"number"`
	Version    int                `json:"version"`
	Production string             `json:"production"`
	Policy     string             `json:"policy"`
	Performer  string             `json:"performer"`
	Characters []string           `json:"characters"`
	IssuedAt   time.Time          `json:"issued_at"`
	Scenes     []riderDocSceneOut `json:"scenes"`
	Rights     []string           `json:"rights"`
}

type riderDocSceneOut struct {
	Number        string     `json:"number"`
	Heading       string     `json:"heading"`
	Pages         pagesOut   `json:"pages"`
	PlanVersion   string     `json:"plan_version"`
	Description   string     `json:"description"`
	FinalPicture  string     `json:"final_picture"`
	NudityLevel   string     `json:"nudity_level"`
	NudityAreas   []shownOut `json:"nudity_areas"`
	Acts          []string   `json:"acts"`
	Contact       []string   `json:"contact"`
	Footage       []string   `json:"footage_limits"`
	Stills        []string   `json:"stills_limits"`
	BodyDouble    string     `json:"body_double"`
	DigitalDouble string     `json:"digital_double"`
	Garments      []string   `json:"garments"`
	Barriers      []string   `json:"barriers"`
	Conditions    []string   `json:"conditions"`
	// Beyond are the lines beyond the performer's recorded boundaries at
	// issue: for the performer and the ICs; for anyone else withheld,
	// with BeyondWithheld saying some were.
	Beyond         []string `json:"beyond_boundaries"`
	BeyondWithheld bool     `json:"beyond_boundaries_withheld,omitempty"`
}

type shownOut struct {
	Area   string   `json:"area"`
	Angles []string `json:"angles"`
}

type pagesOut struct {
	First        string `json:"first"`
	Last         string `json:"last"`
	Colour       string `json:"colour"`
	RevisionDate string `json:"revision_date"` // YYYY-MM-DD, "" if unknown
}

func pagesJSON(p docs.ScriptPages) pagesOut {
	out := pagesOut{First: p.First, Last: p.Last, Colour: p.Colour}
	if !p.RevisionDate.IsZero() {
		out.RevisionDate = p.RevisionDate.Format(time.DateOnly)
	}
	return out
}

func riderDocJSON(d docs.Rider) riderDocOut {
	out := riderDocOut{Number: d.ID, Version: d.Version, Production: d.Production, Policy: d.Policy, Performer: d.Performer.Name,
		Characters: nonNil(d.Performer.Characters), IssuedAt: d.IssuedAt, Scenes: make([]riderDocSceneOut, len(d.Scenes)), Rights: docs.Rights()}
	for i, s := range d.Scenes {
		sc := riderDocSceneOut{Number: s.Number, Heading: s.Heading, Pages: pagesJSON(s.Pages), PlanVersion: s.PlanVersion,
			Description: s.Description, FinalPicture: s.FinalPicture, NudityLevel: s.Nudity.Level, NudityAreas: []shownOut{},
			Acts: nonNil(s.Acts), Contact: nonNil(s.Contact), Footage: nonNil(s.Footage), Stills: nonNil(s.Stills),
			BodyDouble: s.BodyDouble, DigitalDouble: s.DigitalDouble, Garments: nonNil(s.Garments), Barriers: nonNil(s.Barriers),
			Conditions: nonNil(s.Conditions), Beyond: nonNil(s.Beyond), BeyondWithheld: s.Withheld()}
		for _, a := range s.Nudity.Areas {
			sc.NudityAreas = append(sc.NudityAreas, shownOut{Area: a.Area, Angles: nonNil(a.Angles)})
		}
		out.Scenes[i] = sc
	}
	return out
}

// consentOut is one cast performer's consent state on a scene: the state,
// never a reason.
type consentOut struct {
	PerformerID   int64         `json:"performer_id"`
	PerformerName string        `json:"performer_name"`
	State         consent.State `json:"state"`
	ConsentID     int64         `json:"consent_id,omitempty"`
	RiderID       int64         `json:"rider_id,omitempty"`
	Given         *time.Time    `json:"given,omitempty"`
	Withdrawn     *time.Time    `json:"withdrawn,omitempty"`
	// Reason is the performer's reason for withdrawing, if they gave one:
	// only for the production's ICs and that performer.
	Reason string `json:"reason,omitempty"`
}

// readinessOut is a scene's readiness.
type readinessOut struct {
	SceneID  int64             `json:"scene_id"`
	Ready    bool              `json:"ready"`
	Blockers []consent.Blocker `json:"blockers"`
}

func readinessJSON(sceneID int64, r consent.Result) readinessOut {
	if r.Blockers == nil {
		r.Blockers = []consent.Blocker{}
	}
	return readinessOut{SceneID: sceneID, Ready: r.Ready, Blockers: r.Blockers}
}

// safeguardsOut are the people a scene with a minor requires.
type safeguardsOut struct {
	SceneID       int64         `json:"scene_id"`
	Guardians     []guardianOut `json:"guardians"`
	StudioTeacher string        `json:"studio_teacher"`
}

type guardianOut struct {
	PerformerID int64  `json:"performer_id"`
	Name        string `json:"name"`
}

func safeguardsJSON(sceneID int64, sg consent.Safeguards) safeguardsOut {
	out := safeguardsOut{SceneID: sceneID, Guardians: []guardianOut{}, StudioTeacher: sg.StudioTeacher}
	for _, g := range sg.Guardians {
		out.Guardians = append(out.Guardians, guardianOut{PerformerID: g.PerformerID, Name: g.Name})
	}
	return out
}

// summarySceneOut is a scene's top-line summary.
type summarySceneOut struct {
	ID          int64       `json:"id"` // the scene's
	Production  string      `json:"production"`
	Policy      string      `json:"policy"`
	PreparedAt  time.Time   `json:"prepared_at"`
	Number      string      `json:"number"`
	Heading     string      `json:"heading"`
	Pages       pagesOut    `json:"pages"`
	WhatHappens string      `json:"what_happens"`
	People      []personOut `json:"people"`
	Costume     []string    `json:"costume"`
	Props       []string    `json:"props"`
	HMU         []string    `json:"hmu"`
	Camera      []string    `json:"camera"`
	Stunts      []string    `json:"stunts"`
	ClosedSet   bool        `json:"closed_set"`
	CallTime    *time.Time  `json:"call_time"` // null when not scheduled
	HTML        string      `json:"html"`
	PDF         string      `json:"pdf"`
}

type personOut struct {
	Name       string   `json:"name"`
	Characters []string `json:"characters"`
}

func summaryDocJSON(sceneID int64, s docs.Summary) summarySceneOut {
	base := "/api/v1/scenes/" + strconv.FormatInt(sceneID, 10) + "/summary"
	out := summarySceneOut{ID: sceneID, Production: s.Production, Policy: s.Policy, PreparedAt: s.PreparedAt, People: []personOut{},
		HTML: base + ".html", PDF: base + ".pdf"}
	if len(s.Scenes) == 0 {
		return out
	}
	sc := s.Scenes[0]
	out.Number, out.Heading, out.Pages, out.WhatHappens = sc.Number, sc.Heading, pagesJSON(sc.Pages), sc.WhatHappens
	out.Costume, out.Props, out.HMU, out.Camera, out.Stunts = nonNil(sc.Costume), nonNil(sc.Props), nonNil(sc.HMU), nonNil(sc.Camera), nonNil(sc.Stunts)
	out.ClosedSet = sc.ClosedSet
	if !sc.CallTime.IsZero() {
		t := sc.CallTime
		out.CallTime = &t
	}
	for _, p := range sc.People {
		out.People = append(out.People, personOut{Name: p.Name, Characters: nonNil(p.Characters)})
	}
	return out
}

// gridOut is the consent board of a production.
type gridOut struct {
	Performers []performerOut `json:"performers"`
	Scenes     []gridSceneOut `json:"scenes"`
}

type gridSceneOut struct {
	ID       int64             `json:"id"`
	Number   string            `json:"number"`
	Heading  string            `json:"heading"`
	Ready    bool              `json:"ready"`
	Blockers []consent.Blocker `json:"blockers"`
	Cells    []gridCellOut     `json:"cells"`
}

type gridCellOut struct {
	PerformerID int64         `json:"performer_id"`
	InScene     bool          `json:"in_scene"`
	InAction    bool          `json:"in_action"` // named by the plan: the one who consents
	State       consent.State `json:"state"`
}

func gridJSON(g ops.Grid) gridOut {
	out := gridOut{Performers: make([]performerOut, len(g.Performers)), Scenes: make([]gridSceneOut, len(g.Scenes))}
	for i, p := range g.Performers {
		out.Performers[i] = performerJSON(p, false)
	}
	for i, gs := range g.Scenes {
		r := readinessJSON(gs.Scene.ID, gs.Readiness)
		row := gridSceneOut{ID: gs.Scene.ID, Number: gs.Scene.Number, Heading: gs.Scene.Heading, Ready: r.Ready, Blockers: r.Blockers,
			Cells: make([]gridCellOut, len(gs.Cells))}
		for j, c := range gs.Cells {
			row.Cells[j] = gridCellOut(c)
		}
		out.Scenes[i] = row
	}
	return out
}
