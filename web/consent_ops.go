package web

import (
	"bytes"
	"closedset"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"closedset/auth"
	"closedset/consent"
	"closedset/production"
	"closedset/seal"
	"closedset/store"
	"closedset/textfield"
)

// The consent ledger's operations (issue 5), shared by the API and the
// pages: performers, their sealed boundaries, call times, plans,
// consents, withdrawals, safeguards and readiness. Riders are in
// consent_riders.go.
//
// Boundaries and withdrawal reasons are sealed here, before they reach
// the store, and opened here only for the callers the permission table
// lets read them; nothing private goes into an error message or a log.

// performerIn is a performer to add (POST /api/v1/productions/{id}/performers).
type performerIn struct {
	Name           string   `json:"name"`
	Email          string   `json:"email"`
	DateOfBirth    string   `json:"date_of_birth"` // YYYY-MM-DD
	Characters     []string `json:"characters"`
	Phone          string   `json:"phone"`
	Representative string   `json:"representative"`
}

// performerOf is the signed-in user's performer record in rq's production;
// false when they play no one in it.
func (s *Server) performerOf(ctx context.Context, rq *request) (production.Performer, bool, error) {
	if rq.User.ID == 0 || rq.ProductionID == 0 {
		return production.Performer{}, false, nil
	}
	p, err := s.store.PerformerByUser(ctx, rq.ProductionID, rq.User.ID)
	if closedset.KindOf(err) == closedset.NotFound {
		return production.Performer{}, false, nil
	}
	if err != nil {
		return production.Performer{}, false, err
	}
	return p, true, nil
}

// createPerformer adds a performer to rq's production. When a user has
// the performer's email, the record is linked to that account and the user
// becomes a member as performer: two writes, the performer first (adding
// a role already held records nothing), so a failure of the second leaves
// a performer an IC can see and a membership a producer can add.
func (s *Server) createPerformer(ctx context.Context, rq *request, in performerIn) (production.Performer, error) {
	dob, err := production.ParseDate(strings.TrimSpace(in.DateOfBirth))
	if err != nil {
		return production.Performer{}, errorf(codeBadRequest, "date_of_birth: %v", err)
	}
	dp := production.Performer{Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email), Phone: strings.TrimSpace(in.Phone),
		DateOfBirth: dob, Characters: in.Characters, Representative: strings.TrimSpace(in.Representative)}
	if err := dp.Validate(); err != nil {
		return production.Performer{}, errorf(codeBadRequest, "%v", err)
	}
	var userID int64
	if dp.Email != "" {
		u, err := s.store.UserByEmail(ctx, dp.Email)
		switch {
		case err == nil:
			userID = u.ID
		case closedset.KindOf(err) != closedset.NotFound:
			return production.Performer{}, err
		}
	}
	p, err := s.store.CreatePerformer(ctx, rq.User.Actor(), production.NewPerformer{ProductionID: rq.ProductionID, UserID: userID,
		Name: dp.Name, Email: dp.Email, Phone: dp.Phone, DateOfBirth: dob, Characters: dp.Characters, Representative: dp.Representative})
	if err != nil {
		return production.Performer{}, err
	}
	if userID != 0 {
		if _, err := s.store.AddMember(ctx, rq.User.Actor(), rq.ProductionID, userID, auth.Performer); err != nil {
			return production.Performer{}, fmt.Errorf("make performer %d a member: %w", p.ID, err)
		}
	}
	return p, nil
}

// performerIn loads a performer of rq's production: not_found for one of
// another production, so that ids do not leak across productions.
func (s *Server) performerInProduction(ctx context.Context, rq *request, performerID int64) (production.Performer, error) {
	p, err := s.store.Performer(ctx, performerID)
	if closedset.KindOf(err) == closedset.NotFound || err == nil && p.ProductionID != rq.ProductionID {
		return production.Performer{}, errorf(codeNotFound, "no performer %d in this production", performerID)
	}
	return p, err
}

// putBoundaries seals the performer's boundaries and stores them as a new
// version.
func (s *Server) putBoundaries(ctx context.Context, rq *request, performerID int64, b consent.Boundaries) (int, error) {
	if _, err := s.performerInProduction(ctx, rq, performerID); err != nil {
		return 0, err
	}
	plain, err := consent.MarshalBoundaries(b)
	if err != nil {
		return 0, err
	}
	sealed, err := seal.Seal(s.sealKey, plain, store.BoundariesAAD(performerID))
	if err != nil {
		return 0, fmt.Errorf("seal boundaries of performer %d: %w", performerID, err)
	}
	return s.store.PutBoundaries(ctx, rq.User.Actor(), performerID, sealed)
}

// boundaries opens the performer's latest boundaries; empty boundaries
// and version 0 when none were recorded.
func (s *Server) boundaries(ctx context.Context, rq *request, performerID int64) (consent.Boundaries, int, error) {
	if _, err := s.performerInProduction(ctx, rq, performerID); err != nil {
		return consent.Boundaries{}, 0, err
	}
	sealed, version, err := s.store.Boundaries(ctx, performerID)
	if closedset.KindOf(err) == closedset.NotFound {
		return consent.Boundaries{}, 0, nil
	}
	if err != nil {
		return consent.Boundaries{}, 0, err
	}
	plain, err := seal.Open(s.sealKey, sealed, store.BoundariesAAD(performerID))
	if err != nil {
		// The wrong key, or damaged bytes: the operator's problem, said
		// in the log by its kind (never the bytes).
		return consent.Boundaries{}, 0, fmt.Errorf("open boundaries of performer %d (key %s): %w", performerID, s.sealKey.ID(), err)
	}
	b, err := consent.UnmarshalBoundaries(plain)
	if err != nil {
		return consent.Boundaries{}, 0, fmt.Errorf("decode boundaries of performer %d: stored bytes are not valid boundaries", performerID)
	}
	return b, version, nil
}

// sceneInProduction loads a scene of rq's production.
func (s *Server) sceneInProduction(ctx context.Context, rq *request, sceneID int64) (production.Scene, error) {
	sc, err := s.store.Scene(ctx, sceneID)
	if closedset.KindOf(err) == closedset.NotFound || err == nil && sc.ProductionID != rq.ProductionID {
		return production.Scene{}, errorf(codeNotFound, "no scene %d in this production", sceneID)
	}
	return sc, err
}

// setCallTime schedules the scene.
func (s *Server) setCallTime(ctx context.Context, rq *request, sceneID int64, t time.Time) error {
	if _, err := s.sceneInProduction(ctx, rq, sceneID); err != nil {
		return err
	}
	return s.store.SetCallTime(ctx, rq.User.Actor(), sceneID, t)
}

// callTimeLayouts are the forms of a call time without an offset, read in
// the production's zone: the API's and the pages' datetime-local input.
var callTimeLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// parseCallTime reads a call time: RFC 3339, or a local date and time in
// tz (the production's zone).
func parseCallTime(v string, tz *time.Location) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, l := range callTimeLayouts {
		if t, err := time.ParseInLocation(l, v, tz); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errorf(codeBadRequest, "call_time %q is not a time like 2026-03-05T07:30:00+00:00 (RFC 3339), or 2026-03-05T07:30 in the production's time zone", clipText(v, 60))
}

// productionZone is the production and its time zone.
func (s *Server) productionZone(ctx context.Context, productionID int64) (production.Production, *time.Location, error) {
	p, err := s.store.Production(ctx, productionID)
	if err != nil {
		return production.Production{}, nil, err
	}
	tz, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return production.Production{}, nil, fmt.Errorf("production %d's time zone %q: %w", p.ID, p.TimeZone, err)
	}
	return p, tz, nil
}

// policyOf is the production's policy in force: its pack, tightened by
// what the production has set (PUT /productions/{id}/policy). The stored
// tightening is checked against the pack again, so a pack whose floor
// rose since still wins.
func (s *Server) policyOf(ctx context.Context, p production.Production) (consent.Policy, error) {
	pack, err := consent.PolicyByName(p.Policy)
	if err != nil {
		return consent.Policy{}, fmt.Errorf("production %d's policy: %w", p.ID, err)
	}
	content, ok, err := s.store.PolicyOf(ctx, p.ID)
	if err != nil || !ok {
		return pack, err
	}
	var set consent.Policy
	if err := json.Unmarshal(content, &set); err != nil {
		return consent.Policy{}, fmt.Errorf("production %d's stored policy: %w", p.ID, err)
	}
	pol, err := consent.Tighten(pack, set)
	if err != nil {
		s.log.WarnContext(ctx, "a production's policy is below its pack's floor; the pack applies", "production", p.ID, "err", err)
		return pack, nil
	}
	return pol, nil
}

// setPolicy tightens the production's pack: refused (rule_violation)
// when any field would loosen the pack's floor.
func (s *Server) setPolicy(ctx context.Context, rq *request, want consent.Policy) (consent.Policy, error) {
	prod, err := s.store.Production(ctx, rq.ProductionID)
	if err != nil {
		return consent.Policy{}, err
	}
	pack, err := consent.PolicyByName(prod.Policy)
	if err != nil {
		return consent.Policy{}, fmt.Errorf("production %d's policy: %w", prod.ID, err)
	}
	pol, err := consent.Tighten(pack, want)
	if err != nil {
		return consent.Policy{}, err
	}
	content, err := json.Marshal(pol)
	if err != nil {
		return consent.Policy{}, err
	}
	if err := s.store.SetPolicy(ctx, rq.User.Actor(), prod.ID, content); err != nil {
		return consent.Policy{}, err
	}
	return pol, nil
}

// putPlan validates the plan against the production's policy and the ages
// of its performers on the scene's shoot day (today when no call time is
// set) and stores it as the scene's next version, unless it is the
// current one.
func (s *Server) putPlan(ctx context.Context, rq *request, sceneID int64, p consent.Plan) (consent.PlanVersion, error) {
	if _, err := s.sceneInProduction(ctx, rq, sceneID); err != nil {
		return consent.PlanVersion{}, err
	}
	prod, tz, err := s.productionZone(ctx, rq.ProductionID)
	if err != nil {
		return consent.PlanVersion{}, err
	}
	policy, err := s.policyOf(ctx, prod)
	if err != nil {
		return consent.PlanVersion{}, err
	}
	all, err := s.store.Performers(ctx, rq.ProductionID)
	if err != nil {
		return consent.PlanVersion{}, err
	}
	performers := make(map[int64]production.Performer, len(all))
	for _, sp := range all {
		performers[sp.ID] = sp
	}
	day := production.ShootDay(s.now(), tz)
	if at, ok, err := s.store.CallTime(ctx, sceneID); err != nil {
		return consent.PlanVersion{}, err
	} else if ok {
		day = production.ShootDay(at, tz)
	}
	if err := p.Validate(policy, performers, day); err != nil {
		return consent.PlanVersion{}, err
	}
	return s.store.PutPlan(ctx, rq.User.Actor(), sceneID, p.Canonical(), p.Hash())
}

// plan is the scene's current plan; false when none is written.
func (s *Server) plan(ctx context.Context, sceneID int64) (consent.Plan, consent.PlanVersion, bool, error) {
	pv, err := s.store.Plan(ctx, sceneID)
	if closedset.KindOf(err) == closedset.NotFound {
		return consent.Plan{}, consent.PlanVersion{}, false, nil
	}
	if err != nil {
		return consent.Plan{}, consent.PlanVersion{}, false, err
	}
	p, err := decodeStoredPlan(pv)
	return p, pv, err == nil, err
}

// decodeStoredPlan reads a stored plan version's canonical content.
func decodeStoredPlan(pv consent.PlanVersion) (consent.Plan, error) {
	p, err := consent.DecodePlan(bytes.NewReader(pv.Content))
	if err != nil {
		return consent.Plan{}, fmt.Errorf("plan of scene %d version %d: stored content does not decode: %w", pv.SceneID, pv.Version, err)
	}
	return p, nil
}

// carryPlans keeps the plans of a script's scenes across a new draft: each
// scene of the previous draft with a plan passes it to its match in the
// new one (production.MatchScenes), so that the new scene's consents are
// judged against its own text: a changed scene's consents go stale at
// once (invariant 1), an unchanged one's stay current.
func (s *Server) carryPlans(ctx context.Context, rq *request, oldRevision, newRevision int64) error {
	old, err := s.store.Scenes(ctx, oldRevision)
	if err != nil {
		return err
	}
	cur, err := s.store.Scenes(ctx, newRevision)
	if err != nil {
		return err
	}
	for _, p := range production.MatchScenes(revisionScenes(old), revisionScenes(cur)) {
		if p.Old < 0 || p.New < 0 {
			continue
		}
		_, err := s.store.CarryPlan(ctx, rq.User.Actor(), old[p.Old].ID, cur[p.New].ID)
		if err != nil && closedset.KindOf(err) != closedset.NotFound {
			return fmt.Errorf("carry the plan of scene %d to scene %d: %w", old[p.Old].ID, cur[p.New].ID, err)
		}
	}
	return nil
}

// withdraw records the withdrawal of a performer's consent to a scene,
// effective at once: by the performer themself (auth.ConsentWithdraw), or
// by an IC on their word (auth.ConsentWithdrawFor). The reason, when
// given, is sealed; only those the table lets read it
// (auth.WithdrawalReasonRead) ever see it opened.
func (s *Server) withdraw(ctx context.Context, rq *request, sceneID, performerID int64, reason string) error {
	if _, err := s.sceneInProduction(ctx, rq, sceneID); err != nil {
		return err
	}
	p, err := s.performerInProduction(ctx, rq, performerID)
	if err != nil {
		return err
	}
	self := ownedBy(p, rq)
	if a := withdrawAction(self); !auth.Can(rq.Principal(), a, self) {
		return errorf(codeForbidden, "only the performer, or an IC on their word, may withdraw their consent (%s)", a)
	}
	if reason, err = badText(textfield.Para("reason", reason, textfield.MaxReason, false)); err != nil {
		return err
	}
	var sealed []byte
	if reason != "" {
		if sealed, err = seal.Seal(s.sealKey, []byte(reason), store.WithdrawalAAD(sceneID, performerID)); err != nil {
			return fmt.Errorf("seal the reason of a withdrawal from scene %d: %w", sceneID, err)
		}
	}
	err = s.store.WithdrawConsent(ctx, rq.User.Actor(), sceneID, performerID, sealed, !self)
	if closedset.KindOf(err) == closedset.NotFound {
		return errorf(codeNotFound, "%s has given no consent to scene %d: there is nothing to withdraw", p.Name, sceneID)
	}
	return err
}

// withdrawAction is what withdrawing a performer's consent asks of the
// table: their own (self), or on their word.
func withdrawAction(self bool) auth.Action {
	if self {
		return auth.ConsentWithdraw
	}
	return auth.ConsentWithdrawFor
}

// ownedBy reports whether the performer record is the user's own: the own
// of the table's actions on a performer's consent, rider or withdrawal.
func ownedBy(p production.Performer, rq *request) bool {
	return p.UserID != 0 && p.UserID == rq.User.ID
}

// withdrawalReason opens the reason of a withdrawal, "" when none was
// given. The caller has asked the table (auth.WithdrawalReasonRead).
func (s *Server) withdrawalReason(ctx context.Context, w *consent.Withdrawal) (string, error) {
	if w == nil || !w.HasReason {
		return "", nil
	}
	sealed, err := s.store.WithdrawalReason(ctx, w.ID)
	if closedset.KindOf(err) == closedset.NotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	plain, err := seal.Open(s.sealKey, sealed, store.WithdrawalAAD(w.SceneID, w.PerformerID))
	if err != nil {
		return "", fmt.Errorf("open the reason of withdrawal %d (key %s): %w", w.ID, s.sealKey.ID(), err)
	}
	return string(plain), nil
}

// reconfirm records the performer's consent to the scene's current plan
// on the rider they signed, allowed only when the new plan reduces (or
// keeps) what they do and show and the scene's text is unchanged; an
// addition needs a new rider, delivered with the policy's notice.
func (s *Server) reconfirm(ctx context.Context, rq *request, sceneID, performerID int64) error {
	sc, err := s.sceneInProduction(ctx, rq, sceneID)
	if err != nil {
		return err
	}
	p, err := s.performerInProduction(ctx, rq, performerID)
	if err != nil {
		return err
	}
	if !auth.Can(rq.Principal(), auth.ConsentReconfirm, ownedBy(p, rq)) {
		return errorf(codeForbidden, "only %s may re-confirm their consent", p.Name)
	}
	cur, pv, ok, err := s.plan(ctx, sceneID)
	if err != nil {
		return err
	}
	if !ok {
		return errorf(codeConflict, "scene %d has no plan to consent to", sceneID)
	}
	consents, err := s.store.Consents(ctx, sceneID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(consents, func(c consent.Consent) bool { return c.PerformerID == performerID })
	if i < 0 {
		return errorf(codeConflict, "you have not consented to scene %d: sign a rider for it", sceneID)
	}
	c := consents[i]
	switch {
	case c.Withdrawal != nil:
		return errorf(codeConflict, "you withdrew your consent to scene %d: consenting again needs a new rider", sceneID)
	case c.PlanHash == pv.Hash && c.SceneTextHash == sc.TextHash:
		return nil // already current
	case c.SceneTextHash != sc.TextHash:
		return errorf(codeConflict, "the script's text of scene %d changed since you signed: a new rider is needed", sceneID)
	}
	old, err := s.store.PlanByHash(ctx, c.SceneID, c.PlanHash)
	if err != nil {
		return fmt.Errorf("the plan consented to: %w", err)
	}
	oldPlan, err := decodeStoredPlan(old)
	if err != nil {
		return err
	}
	if ch := cur.Compare(oldPlan).For(performerID); ch.NeedsNewRider() {
		return errorf(codeConflict, "the new plan of scene %d adds to what you agreed to (%s): a new rider is needed, not a re-confirmation",
			sceneID, strings.Join(ch.Added, "; "))
	}
	_, err = s.store.ReconfirmConsent(ctx, rq.User.Actor(), sceneID, performerID, pv.Hash, sc.TextHash)
	return err
}

// nameSafeguards names the guardians of minor performers in a scene
// (by performer id) and its studio teacher ("" leaves it as it is). Every
// named performer must be in the scene; nothing is written unless all are.
func (s *Server) nameSafeguards(ctx context.Context, rq *request, sceneID int64, guardians map[int64]string, teacher string) error {
	if _, err := s.sceneInProduction(ctx, rq, sceneID); err != nil {
		return err
	}
	cast, err := s.store.ScenePerformers(ctx, sceneID)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(guardians))
	for id, name := range guardians {
		if !slices.ContainsFunc(cast, func(p production.Performer) bool { return p.ID == id }) {
			return errorf(codeBadRequest, "performer %d is not in scene %d", id, sceneID)
		}
		if _, err := cleanText("guardian name", name, textfield.MaxName); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	teacher = strings.TrimSpace(teacher)
	if teacher != "" {
		if _, err := cleanText("studio_teacher", teacher, textfield.MaxName); err != nil {
			return err
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := s.store.NameGuardian(ctx, rq.User.Actor(), sceneID, id, strings.TrimSpace(guardians[id])); err != nil {
			return err
		}
	}
	if teacher != "" {
		return s.store.NameStudioTeacher(ctx, rq.User.Actor(), sceneID, teacher)
	}
	return nil
}

// sceneFacts gathers what readiness looks at for one scene, from the
// store, now. Consents and riders given on the drafts the scene's plan
// was carried from count as given on this scene: their hashes say whether
// they still hold.
func (s *Server) sceneFacts(ctx context.Context, sc production.Scene) (consent.Facts, error) {
	prod, tz, err := s.productionZone(ctx, sc.ProductionID)
	if err != nil {
		return consent.Facts{}, err
	}
	f := consent.Facts{
		Scene:    consent.Scene{ID: sc.ID, Number: sc.Number, Flagged: flaggedCategories(sc), TextHash: sc.TextHash},
		TimeZone: tz,
		Now:      s.now(),
	}
	if f.Policy, err = s.policyOf(ctx, prod); err != nil {
		return consent.Facts{}, err
	}
	if at, ok, err := s.store.CallTime(ctx, sc.ID); err != nil {
		return consent.Facts{}, err
	} else if ok {
		f.CallTime = &at
	}
	p, pv, ok, err := s.plan(ctx, sc.ID)
	if err != nil {
		return consent.Facts{}, err
	}
	if ok {
		f.Plan, f.PlanHash = &p, pv.Hash
	}
	lineage, err := s.store.SceneLineage(ctx, sc.ID)
	if err != nil {
		return consent.Facts{}, err
	}
	here := func(id int64) int64 {
		if slices.Contains(lineage, id) {
			return sc.ID
		}
		return id
	}
	cast, err := s.store.ScenePerformers(ctx, sc.ID)
	if err != nil {
		return consent.Facts{}, err
	}
	for _, sp := range cast {
		f.Performers = append(f.Performers, sp)
		riders, err := s.store.RidersOf(ctx, sp.ID)
		if err != nil {
			return consent.Facts{}, err
		}
		for _, r := range riders {
			r.Scenes = slices.Clone(r.Scenes)
			for i := range r.Scenes {
				r.Scenes[i].SceneID = here(r.Scenes[i].SceneID)
			}
			f.Riders = append(f.Riders, r)
		}
	}
	consents, err := s.store.Consents(ctx, sc.ID)
	if err != nil {
		return consent.Facts{}, err
	}
	for _, c := range consents {
		c.SceneID = here(c.SceneID)
		f.Consents = append(f.Consents, c)
	}
	sg, err := s.store.SceneSafeguards(ctx, sc.ID)
	if err != nil {
		return consent.Facts{}, err
	}
	f.StudioTeacher = sg.StudioTeacher
	f.Guardians = make(map[int64]string, len(sg.Guardians))
	for _, g := range sg.Guardians {
		f.Guardians[g.PerformerID] = g.Name
	}
	return f, nil
}

// flaggedCategories are the scene's flag categories an IC confirmed or has
// not reviewed yet.
func flaggedCategories(sc production.Scene) []string {
	var out []string
	for _, fl := range sc.Flags {
		if fl.Review != nil && fl.Review.Decision == production.Dismissed {
			continue
		}
		if c := string(fl.Category); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// readiness computes whether the scene may be shot now, and what blocks
// it: from the store on every call, never cached.
func (s *Server) readiness(ctx context.Context, sceneID int64) (consent.Result, error) {
	sc, err := s.store.Scene(ctx, sceneID)
	if err != nil {
		return consent.Result{}, err
	}
	f, err := s.sceneFacts(ctx, sc)
	if err != nil {
		return consent.Result{}, err
	}
	return consent.Readiness(f, consent.DefaultGates()), nil
}

// consentStates is each cast performer's consent state on the scene.
func consentStates(f consent.Facts) map[int64]consent.State {
	out := make(map[int64]consent.State, len(f.Performers))
	for _, p := range f.Performers {
		out[p.ID] = consent.StateOf(consent.Latest(f.Consents, p.ID, f.Scene.ID), f.PlanHash, f.Scene.TextHash)
	}
	return out
}

// grid is a production's consent board: its performers against its
// current scenes with intimate content, the state of each performer's
// consent and each scene's readiness. Status only: never a boundary or
// a reason.
type grid struct {
	Performers []production.Performer
	Scenes     []gridScene
}

// gridScene is one row of the board.
type gridScene struct {
	Scene     production.Scene
	Readiness consent.Result
	// Cells has one entry per grid performer, in their order.
	Cells []gridCell
}

// gridCell is one performer's state on one scene.
type gridCell struct {
	PerformerID int64
	InScene     bool          // cast in the scene; State is none otherwise
	State       consent.State // none, current, stale, withdrawn
}

// consentGrid builds the board of rq's production.
func (s *Server) consentGrid(ctx context.Context, rq *request) (grid, error) {
	var g grid
	var err error
	if g.Performers, err = s.store.Performers(ctx, rq.ProductionID); err != nil {
		return grid{}, err
	}
	scenes, err := s.store.CurrentScenes(ctx, rq.ProductionID)
	if err != nil {
		return grid{}, err
	}
	for _, sc := range scenes {
		if len(flaggedCategories(sc)) == 0 {
			continue
		}
		f, err := s.sceneFacts(ctx, sc)
		if err != nil {
			return grid{}, err
		}
		states := consentStates(f)
		row := gridScene{Scene: sc, Readiness: consent.Readiness(f, consent.DefaultGates()), Cells: make([]gridCell, len(g.Performers))}
		for i, p := range g.Performers {
			st, in := states[p.ID]
			if !in {
				st = consent.None
			}
			row.Cells[i] = gridCell{PerformerID: p.ID, InScene: in, State: st}
		}
		g.Scenes = append(g.Scenes, row)
	}
	return g, nil
}

// clipText shortens what a client sent before it is quoted in an error.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// errNoSealKey is New's error for a Config without a seal key.
var errNoSealKey = errors.New("web: no seal key (Config.SealKey): performer-private data cannot be kept")
