package ops

import (
	"bytes"
	"closedset"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"closedset/alert"
	"closedset/auth"
	"closedset/consent"
	"closedset/production"
	"closedset/seal"
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

// PerformerOf is the signed-in user's performer record in rq's production;
// false when they play no one in it.
func (o *Ops) PerformerOf(ctx context.Context, c Caller) (production.Performer, bool, error) {
	if c.User.ID == 0 || c.ProductionID == 0 {
		return production.Performer{}, false, nil
	}
	p, err := o.store.PerformerByUser(ctx, c.ProductionID, c.User.ID)
	if closedset.Is(err, closedset.NotFound) {
		return production.Performer{}, false, nil
	}
	if err != nil {
		return production.Performer{}, false, err
	}
	return p, true, nil
}

// CreatePerformer adds a performer to the caller's production. When a
// user has the performer's email, the record is linked to that account and
// the user becomes a member as performer, in the same transaction.
func (o *Ops) CreatePerformer(ctx context.Context, c Caller, np production.NewPerformer) (production.Performer, error) {
	if err := c.check(auth.PerformerCreate, false); err != nil {
		return production.Performer{}, err
	}
	np.UserID = 0
	if err := o.checkPerformer(ctx, c, &np); err != nil {
		return production.Performer{}, err
	}
	var p production.Performer
	err := o.store.Tx(ctx, func(tx Store) error {
		if np.Email != "" {
			u, err := tx.UserByEmail(ctx, np.Email)
			switch {
			case err == nil:
				if err := notSelf(c, u.ID); err != nil {
					return err
				}
				np.UserID = u.ID
			case !closedset.Is(err, closedset.NotFound):
				return err
			}
		}
		var err error
		if p, err = tx.CreatePerformer(ctx, c.Actor(), np); err != nil {
			return err
		}
		if np.UserID != 0 {
			if _, err := tx.AddMember(ctx, c.Actor(), c.ProductionID, np.UserID, auth.Performer); err != nil {
				return wrap(err, "make performer %d a member", p.ID)
			}
		}
		return nil
	})
	return p, err
}

// performerIn loads a performer of rq's production: not_found for one of
// another production, so that ids do not leak across productions.
func (o *Ops) PerformerInProduction(ctx context.Context, c Caller, performerID int64) (production.Performer, error) {
	p, err := o.store.Performer(ctx, performerID)
	if closedset.Is(err, closedset.NotFound) || err == nil && p.ProductionID != c.ProductionID {
		return production.Performer{}, closedset.Errorf(closedset.NotFound, "no performer %d in this production", performerID)
	}
	return p, err
}

// PutBoundaries seals the performer's boundaries and stores them as a new
// version.
func (o *Ops) PutBoundaries(ctx context.Context, c Caller, performerID int64, b consent.Boundaries) (int, error) {
	p, err := o.castPerformer(ctx, c, performerID)
	if err != nil {
		return 0, err
	}
	if err := c.check(auth.BoundariesWrite, c.Owns(p)); err != nil {
		return 0, err
	}
	plain, err := consent.MarshalBoundaries(b)
	if err != nil {
		return 0, err
	}
	sealed, err := seal.Seal(o.sealKey, plain, BoundariesAAD(performerID))
	if err != nil {
		return 0, fmt.Errorf("seal boundaries of performer %d: %w", performerID, err)
	}
	return o.store.PutBoundaries(ctx, c.User.Actor(), performerID, sealed)
}

// Boundaries opens the performer's latest boundaries; empty boundaries
// and version 0 when none were recorded.
func (o *Ops) Boundaries(ctx context.Context, c Caller, performerID int64) (consent.Boundaries, int, error) {
	p, err := o.PerformerInProduction(ctx, c, performerID)
	if err != nil {
		return consent.Boundaries{}, 0, err
	}
	if err := c.check(auth.BoundariesRead, c.Owns(p)); err != nil {
		return consent.Boundaries{}, 0, err
	}
	return o.openBoundaries(ctx, performerID)
}

// BoundaryReader is someone who can read a performer's boundaries: an IC
// of the production, since the day they were made IC.
type BoundaryReader struct {
	Name, Email string
	Since       time.Time
}

// BoundaryReaders lists who can read the performer's boundaries now (the
// production's ICs, each with the time they got access), for the
// performer and the ICs: a new IC's access is shown to the performers it
// concerns. The admin and the other roles are never among them.
func (o *Ops) BoundaryReaders(ctx context.Context, c Caller, performerID int64) ([]BoundaryReader, error) {
	p, err := o.PerformerInProduction(ctx, c, performerID)
	if err != nil {
		return nil, err
	}
	if err := c.check(auth.BoundariesRead, c.Owns(p)); err != nil {
		return nil, err
	}
	ms, err := o.store.Members(ctx, p.ProductionID)
	if err != nil {
		return nil, err
	}
	var out []BoundaryReader
	for _, m := range ms {
		if m.Roles.Has(auth.IC) {
			out = append(out, BoundaryReader{Name: m.Name, Email: m.Email, Since: m.Since[auth.IC]})
		}
	}
	slices.SortFunc(out, func(a, b BoundaryReader) int { return a.Since.Compare(b.Since) })
	return out, nil
}

// openBoundaries opens the performer's latest boundaries for an operation
// that has checked who may learn what of them.
func (o *Ops) openBoundaries(ctx context.Context, performerID int64) (consent.Boundaries, int, error) {
	sealed, version, err := o.store.Boundaries(ctx, performerID)
	if closedset.Is(err, closedset.NotFound) {
		return consent.Boundaries{}, 0, nil
	}
	if err != nil {
		return consent.Boundaries{}, 0, err
	}
	b, err := o.openSealedBoundaries(performerID, sealed)
	return b, version, err
}

// openSealedBoundaries opens boundaries read sealed from the store.
func (o *Ops) openSealedBoundaries(performerID int64, sealed []byte) (consent.Boundaries, error) {
	plain, err := seal.Open(o.sealKey, sealed, BoundariesAAD(performerID))
	if err != nil {
		// The wrong key, or damaged bytes: the operator's problem, said
		// in the log by its kind (never the bytes).
		return consent.Boundaries{}, fmt.Errorf("open boundaries of performer %d (key %s): %w", performerID, o.sealKey.ID(), err)
	}
	b, err := consent.UnmarshalBoundaries(plain)
	if err != nil {
		return consent.Boundaries{}, fmt.Errorf("decode boundaries of performer %d: stored bytes are not valid boundaries", performerID)
	}
	return b, nil
}

// SceneInProduction loads a scene of rq's production.
func (o *Ops) SceneInProduction(ctx context.Context, c Caller, sceneID int64) (production.Scene, error) {
	sc, err := o.store.Scene(ctx, sceneID)
	if closedset.Is(err, closedset.NotFound) || err == nil && sc.ProductionID != c.ProductionID {
		return production.Scene{}, closedset.Errorf(closedset.NotFound, "no scene %d in this production", sceneID)
	}
	return sc, err
}

// SetCallTime schedules the scene.
func (o *Ops) SetCallTime(ctx context.Context, c Caller, sceneID int64, t time.Time) error {
	if err := c.check(auth.ScheduleWrite, false); err != nil {
		return err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return err
	}
	return o.store.SetCallTime(ctx, c.User.Actor(), sceneID, t)
}

// ProductionZone is the production and its time zone.
func (o *Ops) ProductionZone(ctx context.Context, productionID int64) (production.Production, *time.Location, error) {
	p, err := o.store.Production(ctx, productionID)
	if err != nil {
		return production.Production{}, nil, err
	}
	tz, err := zone(p)
	if err != nil {
		return production.Production{}, nil, err
	}
	return p, tz, nil
}

// zones keeps each time zone loaded: time.LoadLocation reads the zone
// database again on every call, and a zone's rules do not change while
// the server runs.
var zones sync.Map // name -> *time.Location

// zone is the production's time zone.
func zone(p production.Production) (*time.Location, error) {
	if tz, ok := zones.Load(p.TimeZone); ok {
		return tz.(*time.Location), nil
	}
	tz, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("production %d's time zone %q: %w", p.ID, p.TimeZone, err)
	}
	zones.Store(p.TimeZone, tz)
	return tz, nil
}

// Policy is the production's policy in force: its pack, tightened by
// what the production has set (PUT /productions/{id}/policy). The stored
// tightening is checked against the pack again, so a pack whose floor
// rose since still wins.
func (o *Ops) Policy(ctx context.Context, p production.Production) (consent.Policy, error) {
	content, ok, err := o.store.PolicyOf(ctx, p.ID)
	if err != nil {
		return consent.Policy{}, err
	}
	return o.policyFrom(ctx, p, content, ok)
}

// policyFrom is Policy with the production's stored content read (ok
// false when it set none).
func (o *Ops) policyFrom(ctx context.Context, p production.Production, content []byte, ok bool) (consent.Policy, error) {
	pack, err := consent.PolicyByName(p.Policy)
	if err != nil {
		return consent.Policy{}, fmt.Errorf("production %d's policy: %w", p.ID, err)
	}
	if !ok {
		return pack, nil
	}
	var set consent.Policy
	if err := json.Unmarshal(content, &set); err != nil {
		return consent.Policy{}, fmt.Errorf("production %d's stored policy: %w", p.ID, err)
	}
	pol, err := consent.Tighten(pack, set)
	if err != nil {
		o.log.WarnContext(ctx, "a production's policy is below its pack's floor; the pack applies", "production", p.ID, "err", err)
		return pack, nil
	}
	return pol, nil
}

// SetPolicy tightens the production's pack: refused (rule_violation)
// when any field would loosen the pack's floor.
func (o *Ops) SetPolicy(ctx context.Context, c Caller, want consent.Policy) (consent.Policy, error) {
	if err := c.check(auth.PolicyWrite, false); err != nil {
		return consent.Policy{}, err
	}
	prod, err := o.store.Production(ctx, c.ProductionID)
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
	if err := o.store.SetPolicy(ctx, c.User.Actor(), prod.ID, content); err != nil {
		return consent.Policy{}, err
	}
	return pol, nil
}

// PutPlan validates the plan against the production's policy and the ages
// of its performers on the scene's shoot day (today when no call time is
// set) and stores it as the scene's next version, unless it is the
// current one.
func (o *Ops) PutPlan(ctx context.Context, c Caller, sceneID int64, p consent.Plan) (consent.PlanVersion, error) {
	if err := c.check(auth.PlanWrite, false); err != nil {
		return consent.PlanVersion{}, err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return consent.PlanVersion{}, err
	}
	prod, tz, err := o.ProductionZone(ctx, c.ProductionID)
	if err != nil {
		return consent.PlanVersion{}, err
	}
	policy, err := o.Policy(ctx, prod)
	if err != nil {
		return consent.PlanVersion{}, err
	}
	all, err := o.store.Performers(ctx, c.ProductionID)
	if err != nil {
		return consent.PlanVersion{}, err
	}
	performers := make(map[int64]production.Performer, len(all))
	for _, sp := range all {
		performers[sp.ID] = sp
	}
	day := production.ShootDay(o.now(), tz)
	if at, ok, err := o.store.CallTime(ctx, sceneID); err != nil {
		return consent.PlanVersion{}, err
	} else if ok {
		day = production.ShootDay(at, tz)
	}
	if err := p.Validate(policy, performers, day); err != nil {
		return consent.PlanVersion{}, err
	}
	var pv consent.PlanVersion
	err = o.store.Tx(ctx, func(tx Store) error {
		before, err := tx.Consents(ctx, sceneID)
		if err != nil {
			return err
		}
		if pv, err = tx.PutPlan(ctx, c.User.Actor(), sceneID, p.Canonical(), p.Hash()); err != nil {
			return err
		}
		return o.in(tx).notifyStale(ctx, sceneID, c.ProductionID, before, pv.Hash)
	})
	return pv, err
}

// notifyStale queues, for each performer whose standing consent to the
// scene is to another plan than hash (to any plan, for hash "": the
// script's text changed), the alert that it needs renewing.
func (o *Ops) notifyStale(ctx context.Context, sceneID, productionID int64, consents []consent.Consent, hash string) error {
	var users []int64
	for _, cn := range consents {
		if cn.Withdrawal != nil || cn.PlanHash == hash {
			continue
		}
		p, err := o.store.Performer(ctx, cn.PerformerID)
		if err != nil {
			return err
		}
		users = append(users, p.UserID)
	}
	if len(users) == 0 {
		return nil
	}
	sc, err := o.store.Scene(ctx, sceneID)
	if err != nil {
		return err
	}
	n, err := o.sceneNotice(ctx, alert.StaleConsent, sc, productionID)
	if err != nil {
		return err
	}
	return o.notifyUsers(ctx, users, n)
}

// CurrentPlan is the scene's current plan; false when none is written.
func (o *Ops) CurrentPlan(ctx context.Context, sceneID int64) (consent.Plan, consent.PlanVersion, bool, error) {
	pv, err := o.store.Plan(ctx, sceneID)
	if closedset.Is(err, closedset.NotFound) {
		return consent.Plan{}, consent.PlanVersion{}, false, nil
	}
	if err != nil {
		return consent.Plan{}, consent.PlanVersion{}, false, err
	}
	p, err := DecodeStoredPlan(pv)
	return p, pv, err == nil, err
}

// DecodeStoredPlan reads a stored plan version's canonical content.
func DecodeStoredPlan(pv consent.PlanVersion) (consent.Plan, error) {
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
func (o *Ops) carryPlans(ctx context.Context, tx Store, c Caller, oldRevision, newRevision int64) error {
	old, err := tx.Scenes(ctx, oldRevision)
	if err != nil {
		return err
	}
	cur, err := tx.Scenes(ctx, newRevision)
	if err != nil {
		return err
	}
	for _, p := range production.MatchScenes(revisionScenes(old), revisionScenes(cur)) {
		if p.Old < 0 || p.New < 0 {
			continue
		}
		_, err := tx.CarryPlan(ctx, c.Actor(), old[p.Old].ID, cur[p.New].ID)
		if err != nil && !closedset.Is(err, closedset.NotFound) {
			return fmt.Errorf("carry the plan of scene %d to scene %d: %w", old[p.Old].ID, cur[p.New].ID, err)
		}
		// A scene whose text changed makes every standing consent to it
		// stale: the performers are told, in this transaction.
		if old[p.Old].TextHash != cur[p.New].TextHash {
			standing, err := tx.Consents(ctx, cur[p.New].ID)
			if err != nil {
				return err
			}
			if err := o.in(tx).notifyStale(ctx, cur[p.New].ID, c.ProductionID, standing, ""); err != nil {
				return err
			}
		}
		// The IC's choices of who is in the scene follow it too.
		choices, err := tx.SceneCast(ctx, old[p.Old].ID)
		if err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(choices)) {
			if err := tx.CastScene(ctx, c.Actor(), cur[p.New].ID, id, choices[id]); err != nil {
				return fmt.Errorf("carry the cast of scene %d to scene %d: %w", old[p.Old].ID, cur[p.New].ID, err)
			}
		}
	}
	return nil
}

// Withdraw records the withdrawal of a performer's consent to a scene,
// effective at once: by the performer themself (auth.ConsentWithdraw), or
// by an IC on their word (auth.ConsentWithdrawFor). The reason, when
// given, is sealed; only those the table lets read it
// (auth.WithdrawalReasonRead) ever see it opened.
func (o *Ops) Withdraw(ctx context.Context, c Caller, sceneID, performerID int64, reason string) error {
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return err
	}
	p, err := o.PerformerInProduction(ctx, c, performerID)
	if err != nil {
		return err
	}
	self := c.Owns(p)
	if a := withdrawAction(self); !auth.Can(c.Principal(), a, self) {
		return closedset.Errorf(closedset.Forbidden, "only the performer, or an IC on their word, may withdraw their consent (%s)", a)
	}
	if reason, err = invalidText(textfield.Para("reason", reason, textfield.MaxReason, false)); err != nil {
		return err
	}
	var sealed []byte
	if reason != "" {
		if sealed, err = seal.Seal(o.sealKey, []byte(reason), WithdrawalAAD(sceneID, performerID)); err != nil {
			return fmt.Errorf("seal the reason of a withdrawal from scene %d: %w", sceneID, err)
		}
	}
	// The ICs' and ADs' alert is queued in the withdrawal's transaction:
	// it goes out exactly when the withdrawal stands. It names the scene,
	// never the reason.
	err = o.store.Tx(ctx, func(tx Store) error {
		standing, err := hasStandingConsent(ctx, tx, sceneID, performerID)
		if err != nil {
			return err
		}
		if err := tx.WithdrawConsent(ctx, c.User.Actor(), sceneID, performerID, sealed, !self); err != nil || !standing {
			return err // withdrawing again changes nothing and tells no one
		}
		return o.in(tx).notifyCrew(ctx, alert.Withdrawal, sceneID, c.ProductionID)
	})
	if closedset.Is(err, closedset.NotFound) {
		return closedset.Errorf(closedset.NotFound, "%s has given no consent to scene %d: there is nothing to withdraw", p.Name, sceneID)
	}
	return err
}

// hasStandingConsent reports whether the performer's latest consent to
// the scene stands (is not withdrawn).
func hasStandingConsent(ctx context.Context, st Reader, sceneID, performerID int64) (bool, error) {
	cs, err := st.Consents(ctx, sceneID)
	if err != nil {
		return false, err
	}
	for _, cn := range cs {
		if cn.PerformerID == performerID {
			return cn.Withdrawal == nil, nil
		}
	}
	return false, nil
}

// withdrawAction is what withdrawing a performer's consent asks of the
// table: their own (self), or on their word.
func withdrawAction(self bool) auth.Action {
	if self {
		return auth.ConsentWithdraw
	}
	return auth.ConsentWithdrawFor
}

// WithdrawalReason opens the reason of a withdrawal, "" when none was
// given. The caller has asked the table (auth.WithdrawalReasonRead).
func (o *Ops) WithdrawalReason(ctx context.Context, w *consent.Withdrawal) (string, error) {
	if w == nil || !w.HasReason {
		return "", nil
	}
	sealed, err := o.store.WithdrawalReason(ctx, w.ID)
	if closedset.Is(err, closedset.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	plain, err := seal.Open(o.sealKey, sealed, WithdrawalAAD(w.SceneID, w.PerformerID))
	if err != nil {
		return "", fmt.Errorf("open the reason of withdrawal %d (key %s): %w", w.ID, o.sealKey.ID(), err)
	}
	return string(plain), nil
}

// Reconfirm records the performer's consent to the scene's current plan
// on the rider they signed, allowed only when the new plan reduces (or
// keeps) what they do and show and the scene's text is unchanged; an
// addition needs a new rider, delivered with the policy's notice.
func (o *Ops) Reconfirm(ctx context.Context, c Caller, sceneID, performerID int64) error {
	sc, err := o.SceneInProduction(ctx, c, sceneID)
	if err != nil {
		return err
	}
	p, err := o.castPerformer(ctx, c, performerID)
	if err != nil {
		return err
	}
	if !auth.Can(c.Principal(), auth.ConsentReconfirm, c.Owns(p)) {
		return closedset.Errorf(closedset.Forbidden, "only %s may re-confirm their consent", p.Name)
	}
	cur, pv, ok, err := o.CurrentPlan(ctx, sceneID)
	if err != nil {
		return err
	}
	if !ok {
		return closedset.Errorf(closedset.Conflict, "scene %d has no plan to consent to", sceneID)
	}
	consents, err := o.store.Consents(ctx, sceneID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(consents, func(c consent.Consent) bool { return c.PerformerID == performerID })
	if i < 0 {
		return closedset.Errorf(closedset.Conflict, "you have not consented to scene %d: sign a rider for it", sceneID)
	}
	cn := consents[i]
	switch {
	case cn.Withdrawal != nil:
		return closedset.Errorf(closedset.Conflict, "you withdrew your consent to scene %d: consenting again needs a new rider", sceneID)
	case cn.PlanHash == pv.Hash && cn.SceneTextHash == sc.TextHash:
		return nil // already current
	case cn.SceneTextHash != sc.TextHash:
		return closedset.Errorf(closedset.Conflict, "the script's text of scene %d changed since you signed: a new rider is needed", sceneID)
	}
	old, err := o.store.PlanByHash(ctx, cn.SceneID, cn.PlanHash)
	if err != nil {
		return fmt.Errorf("the plan consented to: %w", err)
	}
	oldPlan, err := DecodeStoredPlan(old)
	if err != nil {
		return err
	}
	if ch := cur.Compare(oldPlan).For(performerID); ch.NeedsNewRider() {
		return closedset.Errorf(closedset.Conflict, "the new plan of scene %d adds to what you agreed to (%s): a new rider is needed, not a re-confirmation",
			sceneID, strings.Join(ch.Added, "; "))
	}
	_, err = o.store.ReconfirmConsent(ctx, c.User.Actor(), sceneID, performerID, pv.Hash, sc.TextHash)
	return err
}

// NameSafeguards names the guardians of minor performers in a scene
// (by performer id) and its studio teacher ("" leaves it as it is). Every
// named performer must be in the scene; nothing is written unless all are.
func (o *Ops) NameSafeguards(ctx context.Context, c Caller, sceneID int64, guardians map[int64]string, teacher string) error {
	if err := c.check(auth.SafeguardWrite, false); err != nil {
		return err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return err
	}
	cast, err := o.store.ScenePerformers(ctx, sceneID)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(guardians))
	for id, name := range guardians {
		if !slices.ContainsFunc(cast, func(p production.Performer) bool { return p.ID == id }) {
			return closedset.Errorf(closedset.Invalid, "performer %d is not in scene %d", id, sceneID)
		}
		if _, err := cleanText(fmt.Sprintf("guardians[%d]", id), name, textfield.MaxName); err != nil {
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
	return o.store.Tx(ctx, func(tx Store) error {
		for _, id := range ids {
			if err := tx.NameGuardian(ctx, c.Actor(), sceneID, id, strings.TrimSpace(guardians[id])); err != nil {
				return err
			}
		}
		if teacher != "" {
			return tx.NameStudioTeacher(ctx, c.Actor(), sceneID, teacher)
		}
		return nil
	})
}

// SceneFacts gathers what readiness looks at for one scene, from the
// store, now. Consents and riders given on the drafts the scene's plan
// was carried from count as given on this scene: their hashes say whether
// they still hold.
func (o *Ops) SceneFacts(ctx context.Context, sc production.Scene) (consent.Facts, error) {
	pf, err := o.productionFacts(ctx, sc.ProductionID)
	if err != nil {
		return consent.Facts{}, err
	}
	return o.sceneFacts(ctx, sc, pf)
}

// productionFacts is what readiness reads of a scene's production: the
// same for each of its scenes, read once for a board of many.
type productionFacts struct {
	prod   production.Production
	tz     *time.Location
	policy consent.Policy
	lead   *leadIC // nil: no IC of record named
}

// productionFacts reads them in one read of the store.
func (o *Ops) productionFacts(ctx context.Context, productionID int64) (productionFacts, error) {
	rec, err := o.store.ProductionRecords(ctx, productionID)
	if err != nil {
		return productionFacts{}, err
	}
	prod := rec.Production
	tz, err := zone(prod)
	if err != nil {
		return productionFacts{}, err
	}
	policy, err := o.policyFrom(ctx, prod, rec.Policy, rec.Policy != nil)
	if err != nil {
		return productionFacts{}, err
	}
	pf := productionFacts{prod: prod, tz: tz, policy: policy}
	if l := rec.Lead; l != nil {
		r, err := recordFrom(l.User.ID, l.Profile, l.Profile != nil, l.SignOffs, l.WorkedDays)
		if err != nil {
			return productionFacts{}, err
		}
		pf.lead = &leadIC{user: l.User, record: r}
	}
	return pf, nil
}

// sceneFacts is SceneFacts with its production's part read already.
func (o *Ops) sceneFacts(ctx context.Context, sc production.Scene, pf productionFacts) (consent.Facts, error) {
	fs, err := o.scenesFacts(ctx, []production.Scene{sc}, pf)
	if err != nil {
		return consent.Facts{}, err
	}
	return fs[0], nil
}

// scenesFacts is the facts of each of the scenes, of pf's production,
// from one read of the store for all their records, all of one moment:
// a board of many scenes costs one query per kind of record, as one
// scene does.
func (o *Ops) scenesFacts(ctx context.Context, scenes []production.Scene, pf productionFacts) ([]consent.Facts, error) {
	ids := make([]int64, len(scenes))
	for i, sc := range scenes {
		if sc.ProductionID != pf.prod.ID {
			return nil, fmt.Errorf("the facts of scene %d, of production %d, asked with production %d's", sc.ID, sc.ProductionID, pf.prod.ID)
		}
		ids[i] = sc.ID
	}
	if len(ids) == 0 {
		return nil, nil
	}
	recs, err := o.store.SceneRecords(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]consent.Facts, len(scenes))
	now := o.now()
	for i, sc := range scenes {
		if out[i], err = o.factsOf(ctx, sc, pf, recs[i], now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// factsOf builds a scene's facts from its records.
func (o *Ops) factsOf(ctx context.Context, sc production.Scene, pf productionFacts, rec SceneRecords, now time.Time) (consent.Facts, error) {
	f := consent.Facts{
		Scene:    sc,
		TimeZone: pf.tz,
		Now:      now,
		Policy:   pf.policy,
	}
	f.CallTime = rec.CallTime
	if rec.Plan != nil {
		p, err := DecodeStoredPlan(*rec.Plan)
		if err != nil {
			return consent.Facts{}, err
		}
		f.Plan, f.PlanHash = &p, rec.Plan.Hash
		if f.BoundaryConflicts, err = o.conflicted(ctx, p, rec); err != nil {
			return consent.Facts{}, err
		}
	}
	here := func(id int64) int64 {
		if slices.Contains(rec.Lineage, id) {
			return sc.ID
		}
		return id
	}
	f.Performers = rec.Cast
	for _, r := range rec.Riders {
		r.Scenes = slices.Clone(r.Scenes)
		for i := range r.Scenes {
			r.Scenes[i].SceneID = here(r.Scenes[i].SceneID)
		}
		f.Riders = append(f.Riders, r)
	}
	for _, c := range rec.Consents {
		c.SceneID = here(c.SceneID)
		f.Consents = append(f.Consents, c)
	}
	f.StudioTeacher = rec.Safeguards.StudioTeacher
	f.Guardians = make(map[int64]string, len(rec.Safeguards.Guardians))
	for _, g := range rec.Safeguards.Guardians {
		f.Guardians[g.PerformerID] = g.Name
	}
	f.Requests = rec.Requests
	f.ClosedSet = rec.ClosedSet
	for _, p := range rec.Pauses {
		if p.Open() {
			f.Pauses = append(f.Pauses, consent.OpenPause{PerformerID: p.PerformerID, At: p.At})
		}
	}
	f.ICOfRecord = o.leadICOn(f, pf.lead)
	return f, nil
}

// Readiness computes whether the scene may be shot now, and what blocks
// it: from the store's records on every call (kept by the store only
// while the audit head says nothing changed), the result never kept.
func (o *Ops) Readiness(ctx context.Context, sceneID int64) (consent.Result, error) {
	sc, err := o.store.Scene(ctx, sceneID)
	if err != nil {
		return consent.Result{}, err
	}
	return o.ReadinessOf(ctx, sc)
}

// ReadinessOf is Readiness of a scene the caller has just read (with its
// flags), so that a request reads it once.
func (o *Ops) ReadinessOf(ctx context.Context, sc production.Scene) (consent.Result, error) {
	f, err := o.SceneFacts(ctx, sc)
	if err != nil {
		return consent.Result{}, err
	}
	return consent.Readiness(f, consent.DefaultGates()), nil
}

// ConsentStates is each cast performer's consent state on the scene.
func ConsentStates(f consent.Facts) map[int64]consent.State {
	out := make(map[int64]consent.State, len(f.Performers))
	for _, p := range f.InAction() {
		out[p.ID] = consent.StateOf(consent.Latest(f.Consents, p.ID, f.Scene.ID), f.PlanHash, f.Scene.TextHash)
	}
	return out
}

// Grid is a production's consent board: its performers against its
// current scenes with intimate content, the state of each performer's
// consent and each scene's readiness. Status only: never a boundary or
// a reason.
type Grid struct {
	Performers []production.Performer
	Scenes     []GridScene
}

// GridScene is one row of the board.
type GridScene struct {
	Scene     production.Scene
	Readiness consent.Result
	// Cells has one entry per Grid performer, in their order.
	Cells []GridCell
}

// GridCell is one performer's state on one scene.
type GridCell struct {
	PerformerID int64
	InScene     bool          // present in the scene; State is none otherwise
	InAction    bool          // in its intimate action: the one who consents
	State       consent.State // none, current, stale, withdrawn
}

// ConsentGrid builds the board of rq's production.
func (o *Ops) ConsentGrid(ctx context.Context, c Caller) (Grid, error) {
	var g Grid
	var err error
	if g.Performers, err = o.store.Performers(ctx, c.ProductionID); err != nil {
		return Grid{}, err
	}
	scenes, err := o.store.CurrentScenes(ctx, c.ProductionID)
	if err != nil {
		return Grid{}, err
	}
	pf, err := o.productionFacts(ctx, c.ProductionID)
	if err != nil {
		return Grid{}, err
	}
	var flagged []production.Scene
	for _, sc := range scenes {
		if len(sc.Flagged()) > 0 {
			flagged = append(flagged, sc)
		}
	}
	facts, err := o.scenesFacts(ctx, flagged, pf)
	if err != nil {
		return Grid{}, err
	}
	for i, sc := range flagged {
		f := facts[i]
		states := ConsentStates(f)
		row := GridScene{Scene: sc, Readiness: consent.Readiness(f, consent.DefaultGates()), Cells: make([]GridCell, len(g.Performers))}
		for i, p := range g.Performers {
			cell := GridCell{PerformerID: p.ID, State: consent.None}
			cell.InScene = slices.ContainsFunc(f.Performers, func(c production.Performer) bool { return c.ID == p.ID })
			if st, in := states[p.ID]; in {
				cell.InAction, cell.State = true, st
			}
			row.Cells[i] = cell
		}
		g.Scenes = append(g.Scenes, row)
	}
	return g, nil
}

// SinceConsent is what changed for a performer between the plan and the
// script they consented to and the scene as it is now: their part of the
// plan (in the words consent.Compare uses) and the scene's changed lines.
type SinceConsent struct {
	PlanAdded   []string             // what the new plan adds for them
	PlanReduced []string             // what it takes away
	Text        []production.Passage // the scene's changed lines, word by word
}

// Empty reports that nothing is known to have changed.
func (s SinceConsent) Empty() bool {
	return len(s.PlanAdded) == 0 && len(s.PlanReduced) == 0 && len(s.Text) == 0
}

// ChangesSinceConsent tells a performer whose consent to the scene went
// stale what changed since they gave it. f is the scene's facts
// (SceneFacts); a consent that is not stale gives nothing.
func (o *Ops) ChangesSinceConsent(ctx context.Context, f consent.Facts, performerID int64) (SinceConsent, error) {
	c := consent.Latest(f.Consents, performerID, f.Scene.ID)
	if consent.StateOf(c, f.PlanHash, f.Scene.TextHash) != consent.Stale {
		return SinceConsent{}, nil
	}
	// The scene the consent was given on: an earlier draft's when the plan
	// was carried since (Facts name every consent by the current scene).
	given := c.SceneID
	stored, err := o.store.Consents(ctx, f.Scene.ID)
	if err != nil {
		return SinceConsent{}, err
	}
	for _, sc := range stored {
		if sc.ID == c.ID {
			given = sc.SceneID
		}
	}
	var out SinceConsent
	if f.Plan != nil && c.PlanHash != f.PlanHash {
		old, err := o.store.PlanByHash(ctx, given, c.PlanHash)
		if err != nil {
			return SinceConsent{}, wrap(err, "the plan consented to")
		}
		op, err := DecodeStoredPlan(old)
		if err != nil {
			return SinceConsent{}, err
		}
		ch := f.Plan.Compare(op).For(performerID)
		out.PlanAdded, out.PlanReduced = ch.Added, ch.Reduced
	}
	if c.SceneTextHash != f.Scene.TextHash && given != f.Scene.ID {
		old, err := o.store.Scene(ctx, given)
		if err != nil {
			return SinceConsent{}, wrap(err, "the scene consented to")
		}
		out.Text = production.TextChanges(old.Text, f.Scene.Text)
	}
	return out, nil
}

// Lines says the changes in plain words, one a line, as a rider prints
// them: plan lines added and taken away, then each changed passage of the
// script with its removed and added words marked.
func (s SinceConsent) Lines() []string {
	var out []string
	for _, a := range s.PlanAdded {
		out = append(out, "added to your part: "+a)
	}
	for _, r := range s.PlanReduced {
		out = append(out, "taken out of your part: "+r)
	}
	for _, p := range s.Text {
		var b strings.Builder
		b.WriteString("the script now reads: ")
		for i, e := range p.Edits {
			if i > 0 {
				b.WriteByte(' ')
			}
			text := strings.Join(strings.Fields(e.Text), " ")
			switch e.Op {
			case production.EditRemoved:
				b.WriteString("[removed: " + text + "]")
			case production.EditAdded:
				b.WriteString("[added: " + text + "]")
			default:
				b.WriteString(text)
			}
		}
		out = append(out, b.String())
	}
	return out
}

// CastPerformer puts a performer into a scene (in) or takes them out, by
// the IC's hand, whatever characters the script shows present: a
// performer whose character is only implied, a stand-in, or a bystander
// the reader took for present. The choice follows the scene into later
// drafts while it matches.
func (o *Ops) CastPerformer(ctx context.Context, c Caller, sceneID, performerID int64, in bool) error {
	if err := c.check(auth.SceneCast, false); err != nil {
		return err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return err
	}
	if _, err := o.castPerformer(ctx, c, performerID); err != nil {
		return err
	}
	return o.store.CastScene(ctx, c.Actor(), sceneID, performerID, in)
}

// checkPerformer trims a performer's fields for the caller's production
// and validates them: a date of birth is in the past on the production's
// calendar, and each error names its field, for a form to show it there.
func (o *Ops) checkPerformer(ctx context.Context, c Caller, np *production.NewPerformer) error {
	np.ProductionID = c.ProductionID
	np.Name, np.Email, np.Phone = strings.TrimSpace(np.Name), strings.TrimSpace(np.Email), strings.TrimSpace(np.Phone)
	np.Representative = strings.TrimSpace(np.Representative)
	_, tz, err := o.ProductionZone(ctx, c.ProductionID)
	if err != nil {
		return err
	}
	return np.Performer().Validate(production.DateOf(o.now().In(tz)))
}

// castPerformer is PerformerInProduction for the writes that concern a
// performer still on the cast: one taken off it gets no boundaries, riders,
// casting or re-confirmation (their withdrawals stay possible).
func (o *Ops) castPerformer(ctx context.Context, c Caller, performerID int64) (production.Performer, error) {
	p, err := o.PerformerInProduction(ctx, c, performerID)
	if err == nil && !p.Removed.IsZero() {
		return production.Performer{}, closedset.Errorf(closedset.Conflict, "%s was taken off the cast", p.Name)
	}
	return p, err
}
