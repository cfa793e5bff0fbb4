package ops

import (
	"context"
	"slices"
	"strings"

	"closedset/auth"
	"closedset/consent"
	"closedset/production"
)

// RiderState is where one rider stands.
type RiderState string

// The rider states.
const (
	// RiderDelivered: issued, not signed, and still offering the current
	// plans and script: it awaits the performer's signature.
	RiderDelivered RiderState = "delivered"
	// RiderSigned: signed, and the plans and script it offers are still
	// the current ones.
	RiderSigned RiderState = "signed"
	// RiderSuperseded: a later rider replaced it, or a plan or the script
	// changed since it was issued, so it no longer offers what will be
	// shot.
	RiderSuperseded RiderState = "superseded"
)

// RiderStatus is one rider on the riders board.
type RiderStatus struct {
	Rider   consent.Rider
	Number  string // as the document names it: "P3-R2"
	Version int
	State   RiderState
}

// Awaiting says whose move it is for one performer's riders.
type Awaiting string

// Whose move it is.
const (
	AwaitingNobody    Awaiting = ""
	AwaitingPlan      Awaiting = "plan"      // the IC: a scene they are in has no plan yet
	AwaitingRider     Awaiting = "rider"     // the IC: issue a rider for the current plans
	AwaitingSignature Awaiting = "signature" // the performer: sign the delivered rider
)

// PerformerRiders is one performer's line on the riders board.
type PerformerRiders struct {
	Performer production.Performer
	Riders    []RiderStatus // newest first
	Awaiting  Awaiting
	// Scenes are the scenes the awaited step concerns (their numbers as
	// documents print them): unplanned scenes, or the scenes a new rider
	// must cover.
	Scenes []string
}

// RiderBoard is a production's riders: each performer, their riders,
// and what awaits whom. It names plans and scenes, never a boundary or a
// reason.
type RiderBoard struct {
	Performers []PerformerRiders
}

// RiderBoard builds the riders board of the caller's production.
func (o *Ops) RiderBoard(ctx context.Context, c Caller) (RiderBoard, error) {
	if err := c.check(auth.RiderIssue, false); err != nil {
		return RiderBoard{}, err
	}
	cast, err := o.store.Performers(ctx, c.ProductionID)
	if err != nil {
		return RiderBoard{}, err
	}
	scenes, err := o.store.CurrentScenes(ctx, c.ProductionID)
	if err != nil {
		return RiderBoard{}, err
	}
	// What a current rider must offer, scene by scene: the current plan
	// and text, or nothing yet for a scene without a plan.
	type need struct {
		scene   production.Scene
		planned bool
		plan    consent.Plan
		want    consent.RiderScene
		lineage []int64
	}
	var needs []need
	for _, sc := range scenes {
		if len(sc.Flagged()) == 0 {
			continue
		}
		plan, pv, planned, err := o.CurrentPlan(ctx, sc.ID)
		if err != nil {
			return RiderBoard{}, err
		}
		lineage, err := o.store.SceneLineage(ctx, sc.ID)
		if err != nil {
			return RiderBoard{}, err
		}
		needs = append(needs, need{scene: sc, planned: planned, plan: plan, lineage: lineage,
			want: consent.RiderScene{SceneID: sc.ID, PlanVersion: pv.Version, PlanHash: pv.Hash, SceneTextHash: sc.TextHash}})
	}
	inScene := o.castReader()
	var b RiderBoard
	for _, p := range cast {
		line := PerformerRiders{Performer: p}
		riders, err := o.store.RidersOf(ctx, p.ID)
		if err != nil {
			return RiderBoard{}, err
		}
		// offers reports whether rider r offers scene n as it is now:
		// the same plan and text, on this scene or one it was carried
		// from.
		offers := func(r consent.Rider, n need) bool {
			return slices.ContainsFunc(r.Scenes, func(rs consent.RiderScene) bool {
				return slices.Contains(n.lineage, rs.SceneID) && rs.PlanHash == n.want.PlanHash && rs.SceneTextHash == n.want.SceneTextHash
			})
		}
		var unplanned, uncovered []string
		for _, n := range needs {
			if in, err := inScene(ctx, p, n.scene); err != nil {
				return RiderBoard{}, err
			} else if !in {
				continue
			}
			if _, inAction := n.plan.For(p.ID); n.planned && !inAction {
				continue // present, not in the intimate action
			}
			switch {
			case !n.planned:
				unplanned = append(unplanned, DocSceneNumber(n.scene))
			case len(riders) == 0 || !offers(riders[len(riders)-1], n):
				uncovered = append(uncovered, DocSceneNumber(n.scene))
			}
		}
		for i := len(riders) - 1; i >= 0; i-- {
			r := riders[i]
			st := RiderStatus{Rider: r, State: RiderSuperseded}
			if doc, _, err := o.DecodeRider(r); err == nil {
				st.Number, st.Version = doc.ID, doc.Version
			} else {
				o.log.WarnContext(ctx, "a stored rider does not decode", "rider", r.ID, "err", err)
			}
			if i == len(riders)-1 && len(uncovered) == 0 && len(unplanned) == 0 {
				st.State = RiderDelivered
				if r.Signature != nil {
					st.State = RiderSigned
				}
			}
			line.Riders = append(line.Riders, st)
		}
		switch {
		case len(unplanned) > 0:
			line.Awaiting, line.Scenes = AwaitingPlan, unplanned
		case len(uncovered) > 0:
			line.Awaiting, line.Scenes = AwaitingRider, uncovered
		case len(line.Riders) > 0 && line.Riders[0].State == RiderDelivered:
			line.Awaiting = AwaitingSignature
		}
		b.Performers = append(b.Performers, line)
	}
	return b, nil
}

// Summary says in words what awaits whom on a performer's line.
func (l PerformerRiders) Summary() string {
	scenes := strings.Join(l.Scenes, ", ")
	switch l.Awaiting {
	case AwaitingPlan:
		return "Awaiting the IC: a plan for scene " + scenes
	case AwaitingRider:
		return "Awaiting the IC: a rider for scene " + scenes
	case AwaitingSignature:
		return "Awaiting " + l.Performer.Name + "'s signature on " + l.Riders[0].Number
	}
	if len(l.Riders) == 0 {
		return "Nothing to sign: in the intimate action of no scene"
	}
	return "Signed and current"
}
