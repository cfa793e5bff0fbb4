package ops

import (
	"bytes"
	"closedset"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"closedset/alert"
	"closedset/auth"
	"closedset/consent"
	"closedset/docs"
	"closedset/production"
	"closedset/seal"
	"closedset/textfield"
)

// Riders and top-line summaries: the documents of the consent ledger.
//
// A rider is issued for the current plans of a performer's flagged
// scenes. Its content (docs.Rider, stored as riderContent) is fixed at
// issue, and its docs.Digest is what the performer's signature binds to:
// re-rendering it later gives the same document, whatever the plans have
// become since.

// riderFormat names the encoding of a rider's stored content.
const riderFormat = "closedset-rider-v1"

// riderContent is a rider's stored content. JSON keeps a time's offset
// but not its zone's name, which the digest covers, so the zone is kept
// beside the document and every time is read back in it.
type riderContent struct {
	Format   string     `json:"format"`
	TimeZone string     `json:"time_zone"`
	Rider    docs.Rider `json:"rider"`
}

// DocSceneNumber is how documents number a scene: its printed number, else
// its place in the script.
func DocSceneNumber(sc production.Scene) string {
	if sc.Number != "" {
		return sc.Number
	}
	return "#" + strconv.Itoa(sc.Index)
}

// scriptPages are a scene's pages and its draft's colour and upload day.
func (o *Ops) scriptPages(ctx context.Context, sc production.Scene, tz *time.Location) (docs.ScriptPages, error) {
	rev, err := o.store.Revision(ctx, sc.RevisionID)
	if err != nil {
		return docs.ScriptPages{}, err
	}
	y, m, d := rev.Uploaded.In(tz).Date()
	pages := docs.ScriptPages{Colour: rev.Colour, RevisionDate: time.Date(y, m, d, 0, 0, 0, 0, tz)}
	if sc.Page > 0 {
		pages.First = strconv.Itoa(sc.Page)
	}
	return pages, nil
}

// IssueRider issues (delivers) a rider to the performer for the current
// plans of every flagged scene of the current drafts they are cast in. A
// scene without a plan yet is refused by name: a rider offers only what is
// planned. When the performer's latest rider is unsigned and offers exactly
// these plans and scene texts, that rider is returned and nothing is issued
// (created is false): issuing twice makes no second rider.
func (o *Ops) IssueRider(ctx context.Context, c Caller, performerID int64) (r consent.Rider, created bool, err error) {
	if err := c.check(auth.RiderIssue, false); err != nil {
		return consent.Rider{}, false, err
	}
	// One transaction from the read of the performer's riders to the new
	// one's insert: two issues at once get two numbers, or one rider.
	err = o.store.Tx(ctx, func(tx Store) error {
		r, created, err = o.in(tx).issueRider(ctx, c, performerID)
		return err
	})
	return r, created, err
}

func (o *Ops) issueRider(ctx context.Context, c Caller, performerID int64) (consent.Rider, bool, error) {
	p, err := o.castPerformer(ctx, c, performerID)
	if err != nil {
		return consent.Rider{}, false, err
	}
	prod, tz, err := o.ProductionZone(ctx, c.ProductionID)
	if err != nil {
		return consent.Rider{}, false, err
	}
	scenes, err := o.store.CurrentScenes(ctx, c.ProductionID)
	if err != nil {
		return consent.Rider{}, false, err
	}
	previous, err := o.store.RidersOf(ctx, performerID)
	if err != nil {
		return consent.Rider{}, false, err
	}
	version := len(previous) + 1
	doc := docs.Rider{
		ID:         fmt.Sprintf("P%d-R%d", performerID, version),
		Version:    version,
		Production: prod.Title,
		Policy:     policyTitle(prod.Policy),
		Performer:  docs.Performer{Name: p.Name, Characters: p.Characters, Representative: p.Representative},
		IssuedAt:   o.now().In(tz).Truncate(time.Second),
	}
	// The lines beyond the performer's boundaries are fixed at issue, from
	// the boundaries recorded then, like the rest of the rider.
	bounds, _, err := o.openBoundaries(ctx, performerID)
	if err != nil {
		return consent.Rider{}, false, err
	}
	var rscenes []consent.RiderScene
	var unplanned []string
	for _, sc := range scenes {
		if len(sc.Flagged()) == 0 {
			continue
		}
		if in, err := o.InScene(ctx, p, sc); err != nil {
			return consent.Rider{}, false, err
		} else if !in {
			continue
		}
		plan, pv, ok, err := o.CurrentPlan(ctx, sc.ID)
		if err != nil {
			return consent.Rider{}, false, err
		}
		if !ok {
			unplanned = append(unplanned, DocSceneNumber(sc))
			continue
		}
		if _, inAction := plan.For(performerID); !inAction {
			continue // present, not in the intimate action: no rider for it
		}
		pages, err := o.scriptPages(ctx, sc, tz)
		if err != nil {
			return consent.Rider{}, false, err
		}
		rs := riderScene(sc, pages, plan, pv, performerID)
		for _, c := range consent.Conflicts(plan, performerID, bounds) {
			rs.Beyond = append(rs.Beyond, c.String())
		}
		// What changed since the rider she signed for this scene, if any.
		facts, err := o.SceneFacts(ctx, sc)
		if err != nil {
			return consent.Rider{}, false, err
		}
		since, err := o.ChangesSinceConsent(ctx, facts, performerID)
		if err != nil {
			return consent.Rider{}, false, err
		}
		rs.Changed = since.Lines()
		doc.Scenes = append(doc.Scenes, rs)
		rscenes = append(rscenes, consent.RiderScene{SceneID: sc.ID, PlanVersion: pv.Version, PlanHash: pv.Hash, SceneTextHash: sc.TextHash})
	}
	switch {
	case len(unplanned) > 0:
		return consent.Rider{}, false, closedset.Errorf(closedset.Unprocessable, "%s is in scene(s) %s with no intimacy plan yet: write their plans before issuing a rider",
			p.Name, strings.Join(unplanned, ", "))
	case len(rscenes) == 0:
		return consent.Rider{}, false, closedset.Errorf(closedset.Unprocessable, "%s is in the intimate action of no scene of the current drafts (no plan names them): there is nothing for a rider to cover", p.Name)
	}
	for _, sc := range doc.Scenes {
		if len(sc.Beyond) > 0 {
			salt := make([]byte, 16)
			if _, err := rand.Read(salt); err != nil {
				return consent.Rider{}, false, fmt.Errorf("rider salt: %w", err)
			}
			doc.Salt = hex.EncodeToString(salt)
			break
		}
	}
	if n := len(previous); n > 0 && o.offersTheSame(previous[n-1], rscenes, doc) {
		return previous[n-1], false, nil
	}
	if err := doc.Validate(); err != nil {
		return consent.Rider{}, false, fmt.Errorf("rider for performer %d: %w", performerID, err)
	}
	plain, err := json.Marshal(riderContent{Format: riderFormat, TimeZone: tz.String(), Rider: doc})
	if err != nil {
		return consent.Rider{}, false, fmt.Errorf("encode rider: %w", err)
	}
	// The rider's lines beyond the performer's boundaries say what the
	// boundaries are: the content reaches the store sealed, like them.
	sealed, err := seal.Seal(o.sealKey, plain, RiderAAD(c.ProductionID, performerID))
	if err != nil {
		return consent.Rider{}, false, fmt.Errorf("seal rider: %w", err)
	}
	content := append([]byte(sealedRiderTag), sealed...)
	r, err := o.store.IssueRider(ctx, c.Actor(), consent.NewRider{ProductionID: c.ProductionID, PerformerID: performerID,
		Scenes: rscenes, Digest: docs.Digest(doc), Content: content})
	if err != nil {
		return consent.Rider{}, false, err
	}
	n := alert.New(alert.NewRider, "", prod.Title, alert.Link(o.publicURL, "/riders/"+strconv.FormatInt(r.ID, 10)))
	return r, true, o.notifyUsers(ctx, []int64{p.UserID}, n)
}

// riderScene is what the rider says of one scene, from the performer's
// part of its plan.
func riderScene(sc production.Scene, pages docs.ScriptPages, plan consent.Plan, pv consent.PlanVersion, performerID int64) docs.RiderScene {
	pp, _ := plan.For(performerID)
	rs := docs.RiderScene{
		Number:       DocSceneNumber(sc),
		Heading:      sc.Heading,
		Pages:        pages,
		PlanVersion:  fmt.Sprintf("version %d (%s)", pv.Version, pv.Hash),
		Description:  plan.Description,
		FinalPicture: plan.FinalPicture,
		Nudity:       docs.Nudity{Level: pp.Nudity.Level},
		Acts:         pp.Acts,
		Contact:      pp.Contact,
		Footage:      Lines(plan.FootageLimits),
		Stills:       Lines(plan.StillsLimits),
		BodyDouble:   pp.Double,
		Garments:     pp.Garments,
		Conditions:   Lines(plan.Conditions),
	}
	if pp.Stills {
		// The consent a closed-set list's stills need: on the rider, so
		// the performer signs it.
		rs.Stills = append([]string{"You consent to stills of this scene, within these limits."}, rs.Stills...)
	}
	if rs.Nudity.Level == "" {
		rs.Nudity.Level = "none"
	}
	if rs.BodyDouble == "" {
		rs.BodyDouble = plan.Double
	}
	for _, a := range pp.Nudity.Areas {
		rs.Nudity.Areas = append(rs.Nudity.Areas, docs.ShownArea{Area: a, Angles: pp.Nudity.Angles})
	}
	rs.Barriers = append(slices.Clone(pp.Barriers), plan.Barriers...)
	return rs
}

// Lines splits a plan's text into the items a document lists: one per
// line; none for an empty text.
func Lines(s string) []string { return textfield.Items(s, "\n") }

// sealedRiderTag starts a rider's stored content when it is sealed (every
// rider issued since the content was first sealed; older ones are plain
// JSON).
const sealedRiderTag = "closedset-rider-sealed-v1\n"

// DecodeRider reads a stored rider's document back, in its zone, and
// checks it is the document its digest names.
func (o *Ops) DecodeRider(r consent.Rider) (docs.Rider, *time.Location, error) {
	content := r.Content
	if sealed, ok := bytes.CutPrefix(content, []byte(sealedRiderTag)); ok {
		plain, err := seal.Open(o.sealKey, sealed, RiderAAD(r.ProductionID, r.PerformerID))
		if err != nil {
			return docs.Rider{}, nil, fmt.Errorf("rider %d: open its content (key %s): %w", r.ID, o.sealKey.ID(), err)
		}
		content = plain
	}
	var c riderContent
	if err := json.Unmarshal(content, &c); err != nil || c.Format != riderFormat {
		return docs.Rider{}, nil, fmt.Errorf("rider %d: stored content is not a %s document", r.ID, riderFormat)
	}
	tz, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return docs.Rider{}, nil, fmt.Errorf("rider %d: time zone %q: %w", r.ID, c.TimeZone, err)
	}
	doc := c.Rider
	doc.IssuedAt = doc.IssuedAt.In(tz)
	for i := range doc.Scenes {
		if d := doc.Scenes[i].Pages.RevisionDate; !d.IsZero() {
			doc.Scenes[i].Pages.RevisionDate = d.In(tz)
		}
	}
	if got := docs.Digest(doc); got != r.Digest {
		return docs.Rider{}, nil, fmt.Errorf("rider %d: stored content has digest %s, not the issued %s", r.ID, got, r.Digest)
	}
	return doc, tz, nil
}

// RiderDoc is the rider's document as the caller may read it and, once
// signed, its signature. Its lines beyond the performer's boundaries say
// what the boundaries are: a caller who may not read the performer's
// boundaries (a producer, legal: invariant 5) gets the document with
// them withheld (docs.Rider.WithholdPrivate), its digest still the
// issued one.
func (o *Ops) RiderDoc(ctx context.Context, c Caller, riderID int64) (docs.Rider, *docs.Signature, error) {
	r, err := o.store.Rider(ctx, riderID)
	if err != nil {
		return docs.Rider{}, nil, err
	}
	doc, tz, err := o.DecodeRider(r)
	if err != nil {
		return docs.Rider{}, nil, err
	}
	p, err := o.store.Performer(ctx, r.PerformerID)
	if err != nil {
		return docs.Rider{}, nil, err
	}
	if !c.Can(auth.BoundariesRead, c.Owns(p)) {
		doc = doc.WithholdPrivate()
	}
	if r.Signature == nil {
		return doc, nil, nil
	}
	sig := r.Signature
	u, err := o.store.User(ctx, sig.UserID)
	if err != nil {
		return docs.Rider{}, nil, err
	}
	return doc, &docs.Signature{TypedName: sig.TypedName, UserID: sig.UserID, UserEmail: u.Email, SignedAt: sig.At.In(tz),
		IP: sig.IP, UserAgent: sig.UserAgent, DocumentDigest: sig.Digest, Agreed: true}, nil
}

// sameName compares a typed name with the rider's: case aside, and any
// run of spaces as one.
func sameName(typed, name string) bool {
	norm := func(s string) string { return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ") }
	return strings.EqualFold(norm(typed), norm(name))
}

// SignRider records the performer's electronic signature of their rider,
// which gives consent to each of its scenes at the plan versions it was
// issued with. Only the performer signs; nobody signs for them.
func (o *Ops) SignRider(ctx context.Context, c Caller, riderID int64, typedName string, agree bool, ip, userAgent string) (consent.Rider, error) {
	rider, err := o.store.Rider(ctx, riderID)
	if closedset.Is(err, closedset.NotFound) || err == nil && rider.ProductionID != c.ProductionID {
		return consent.Rider{}, closedset.Errorf(closedset.NotFound, "no rider %d in this production", riderID)
	} else if err != nil {
		return consent.Rider{}, err
	}
	p, err := o.store.Performer(ctx, rider.PerformerID)
	if err != nil {
		return consent.Rider{}, err
	}
	if !auth.Can(c.Principal(), auth.RiderSign, c.Owns(p)) {
		return consent.Rider{}, closedset.Errorf(closedset.Forbidden, "only %s may sign their rider", p.Name)
	}
	if rider.Signature != nil {
		return consent.Rider{}, closedset.Errorf(closedset.Conflict, "rider %d is already signed", riderID)
	}
	if !agree {
		return consent.Rider{}, closedset.FieldErrorf(closedset.Unprocessable, "agree", "tick that you agree to sign electronically")
	}
	if !sameName(typedName, p.Name) {
		return consent.Rider{}, closedset.FieldErrorf(closedset.Unprocessable, "typed_name", "type your full name as it appears on the rider: %s", p.Name)
	}
	signed, _, err := o.store.SignRider(ctx, c.User.Actor(), riderID, consent.Signature{UserID: c.User.ID,
		TypedName: strings.Join(strings.Fields(typedName), " "), IP: ip, UserAgent: userAgent, Digest: rider.Digest})
	return signed, err
}

// SummaryDoc is the top-line summary of one scene, for everyone in the
// production: what happens, who, what each department prepares, the
// call and the closed set. docs.Summary has no field for a boundary or a
// reason; only the plan's shared texts and items reach it.
func (o *Ops) SummaryDoc(ctx context.Context, sceneID int64) (docs.Summary, error) {
	sc, err := o.store.Scene(ctx, sceneID)
	if err != nil {
		return docs.Summary{}, err
	}
	prod, tz, err := o.ProductionZone(ctx, sc.ProductionID)
	if err != nil {
		return docs.Summary{}, err
	}
	pages, err := o.scriptPages(ctx, sc, tz)
	if err != nil {
		return docs.Summary{}, err
	}
	ss := docs.SummaryScene{Number: DocSceneNumber(sc), Heading: sc.Heading, Pages: pages}
	cast, err := o.store.ScenePerformers(ctx, sceneID)
	if err != nil {
		return docs.Summary{}, err
	}
	if at, ok, err := o.store.CallTime(ctx, sceneID); err != nil {
		return docs.Summary{}, err
	} else if ok {
		ss.CallTime = at.In(tz)
	}
	plan, _, ok, err := o.CurrentPlan(ctx, sceneID)
	if err != nil {
		return docs.Summary{}, err
	}
	for _, p := range cast {
		_, inAction := plan.For(p.ID)
		ss.People = append(ss.People, docs.SummaryPerson{Name: p.Name, Characters: p.Characters, Bystander: ok && !inAction})
	}
	ss.ClosedSet = ok || len(sc.Flagged()) > 0
	if ok {
		ss.WhatHappens = plan.Description
		ss.Props = slices.Clone(plan.Barriers)
		for _, pp := range plan.Performers {
			ss.Costume = appendNew(ss.Costume, pp.Garments...)
			ss.Props = appendNew(ss.Props, pp.Barriers...)
			if pp.Nudity.Level != "" && pp.Nudity.Level != "none" {
				ss.HMU = appendNew(ss.HMU, "body makeup: ask the IC for the plan")
			}
		}
		ss.Camera = append(Lines(plan.Camera), Lines(plan.Coverage)...)
		if slices.ContainsFunc(plan.Performers, func(pp consent.PerformerPlan) bool { return slices.Contains(pp.Content, "sexual_violence") }) {
			ss.Stunts = []string{"overlapping physical action: coordinate with the IC"}
		}
	}
	// The department requests raised for the scene, with where each
	// stands: what each department prepares, in the IC's words.
	reqs, err := o.store.SceneRequests(ctx, sceneID)
	if err != nil {
		return docs.Summary{}, err
	}
	for _, r := range reqs {
		line := "request: " + r.Text + " (" + r.State.Label() + ")"
		switch r.Department {
		case auth.Costume:
			ss.Costume = append(ss.Costume, line)
		case auth.Props:
			ss.Props = append(ss.Props, line)
		case auth.HMU:
			ss.HMU = append(ss.HMU, line)
		case auth.Camera:
			ss.Camera = append(ss.Camera, line)
		case auth.Stunts:
			ss.Stunts = append(ss.Stunts, line)
		}
	}
	return docs.Summary{Production: prod.Title, Policy: policyTitle(prod.Policy), PreparedAt: o.now().In(tz).Truncate(time.Second),
		Scenes: []docs.SummaryScene{ss}}, nil
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

// policyTitle is a policy pack's name as documents print it.
func policyTitle(name string) string {
	if p, err := consent.PolicyByName(name); err == nil {
		return p.Title
	}
	return name
}

// offersTheSame reports whether an issued rider is unsigned and offers what
// a new one would: the same plan versions and scene texts, and the same
// lines beyond the performer's boundaries. Issuing it again would only
// duplicate it.
func (o *Ops) offersTheSame(r consent.Rider, scenes []consent.RiderScene, doc docs.Rider) bool {
	if r.Signature != nil || !slices.Equal(r.Scenes, scenes) {
		return false
	}
	old, _, err := o.DecodeRider(r)
	if err != nil || len(old.Scenes) != len(doc.Scenes) {
		return false
	}
	for i := range doc.Scenes {
		if !slices.Equal(old.Scenes[i].Beyond, doc.Scenes[i].Beyond) {
			return false
		}
	}
	return true
}
