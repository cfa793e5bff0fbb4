package ops

import (
	"context"
	"slices"

	"closedset/auth"
	"closedset/consent"
	"closedset/production"
)

// Plans against boundaries (issue 11, item 3). A plan is saved whatever
// its performers recorded, since the IC may be mid-conversation; what goes
// beyond a performer's boundaries (consent.Conflicts) is opened here from
// the sealed boundaries and goes only where need to know allows: the
// lines to the ICs (PlanConflicts) and, fixed at issue, to the performer
// on their rider; to readiness, only which performers have one.

// PlanConflicts are the lines of the scene's current plan that go beyond
// its performers' recorded boundaries, now; none when it has no plan.
// They say what the boundaries are, so only those who read every
// performer's boundaries (the production's ICs) may ask.
func (o *Ops) PlanConflicts(ctx context.Context, c Caller, sceneID int64) ([]consent.Conflict, error) {
	if err := c.check(auth.BoundariesRead, false); err != nil {
		return nil, err
	}
	if _, err := o.SceneInProduction(ctx, c, sceneID); err != nil {
		return nil, err
	}
	p, _, ok, err := o.CurrentPlan(ctx, sceneID)
	if err != nil || !ok {
		return nil, err
	}
	return o.conflicts(ctx, p)
}

// conflicts compares each performer's part of the plan with their latest
// boundaries.
func (o *Ops) conflicts(ctx context.Context, p consent.Plan) ([]consent.Conflict, error) {
	var out []consent.Conflict
	for _, pp := range p.Performers {
		b, _, err := o.openBoundaries(ctx, pp.PerformerID)
		if err != nil {
			return nil, err
		}
		out = append(out, consent.Conflicts(p, pp.PerformerID, b)...)
	}
	return out, nil
}

// conflicted is which performers of the plan have a conflict, by id, for
// readiness. Boundaries that cannot be opened (the wrong key, damaged
// bytes) count as a conflict, so that readiness fails closed; the log
// names the performer, never the bytes.
// The cast's boundaries come from rec; those of a performer of the plan
// no longer cast are read here.
func (o *Ops) conflicted(ctx context.Context, p consent.Plan, rec SceneRecords) ([]int64, error) {
	var out []int64
	for _, pp := range p.Performers {
		b, err := o.castBoundaries(ctx, pp.PerformerID, rec)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			o.log.WarnContext(ctx, "boundaries cannot be opened: the performer counts as beyond them until they can", "performer", pp.PerformerID, "err", err)
			out = append(out, pp.PerformerID)
			continue
		}
		if len(consent.Conflicts(p, pp.PerformerID, b)) > 0 && !slices.Contains(out, pp.PerformerID) {
			out = append(out, pp.PerformerID)
		}
	}
	return out, nil
}

// castBoundaries opens a performer's latest boundaries from the scene's
// records when they are of its cast, from the store otherwise.
func (o *Ops) castBoundaries(ctx context.Context, performerID int64, rec SceneRecords) (consent.Boundaries, error) {
	if !slices.ContainsFunc(rec.Cast, func(p production.Performer) bool { return p.ID == performerID }) {
		b, _, err := o.openBoundaries(ctx, performerID)
		return b, err
	}
	sb, ok := rec.Boundaries[performerID]
	if !ok {
		return consent.Boundaries{}, nil // none recorded
	}
	return o.openSealedBoundaries(performerID, sb.Sealed)
}
