package ops

import (
	"context"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/consent"
	"closedset/docs"
	"closedset/production"
)

// Closed-set lists (issue 13, item 3): proposed by an IC or an AD,
// approved by both, each approval naming the version it approves; any
// change is a new version needing both approvals again. Stills are
// allowed only with every performer's consent in the scene's current
// plan (consent.CheckStills), checked when the list is written and again
// by the closed_set gate, since the plan may change after.

// PutClosedSet writes the scene's closed-set list; the same list again is
// the same version.
func (o *Ops) PutClosedSet(ctx context.Context, c Caller, sceneID int64, cs production.ClosedSet) (production.ClosedSetVersion, error) {
	if err := c.check(auth.ClosedSetWrite, false); err != nil {
		return production.ClosedSetVersion{}, err
	}
	list, err := cs.Normalize()
	if err != nil {
		return production.ClosedSetVersion{}, err
	}
	var out production.ClosedSetVersion
	err = o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		if _, err := in.SceneInProduction(ctx, c, sceneID); err != nil {
			return err
		}
		plan, _, ok, err := in.CurrentPlan(ctx, sceneID)
		if err != nil {
			return err
		}
		cast, err := tx.ScenePerformers(ctx, sceneID)
		if err != nil {
			return err
		}
		var p *consent.Plan
		if ok {
			p = &plan
		}
		if err := consent.CheckStills(list, p, cast); err != nil {
			return err
		}
		out, err = tx.PutClosedSet(ctx, c.Actor(), sceneID, list.Canonical(), list.Hash())
		return err
	})
	return out, err
}

// ApproveClosedSet approves the scene's list as the caller's role: an
// IC's approval or an AD's (nobody is both: auth.CheckGrant). version is
// the version the approver read; 0 approves the current one.
func (o *Ops) ApproveClosedSet(ctx context.Context, c Caller, sceneID int64, version int) (production.ClosedSetVersion, error) {
	if err := c.check(auth.ClosedSetApprove, false); err != nil {
		return production.ClosedSetVersion{}, err
	}
	role := auth.AD
	if c.Roles.Has(auth.IC) {
		role = auth.IC
	}
	if version < 0 {
		return production.ClosedSetVersion{}, closedset.FieldErrorf(closedset.Invalid, "version", "%d is not a version", version)
	}
	var out production.ClosedSetVersion
	err := o.store.Tx(ctx, func(tx Store) error {
		if _, err := o.in(tx).SceneInProduction(ctx, c, sceneID); err != nil {
			return err
		}
		if version == 0 {
			cur, err := tx.ClosedSet(ctx, sceneID)
			if err != nil {
				return err
			}
			version = cur.Version
		}
		var err error
		out, err = tx.ApproveClosedSet(ctx, c.Actor(), sceneID, version, role)
		return err
	})
	return out, err
}

// SceneClosedSet is the scene's current list with its approvals; false when
// none is written. The caller may read it (auth.ClosedSetRead: own for a
// performer of the scene).
func (o *Ops) SceneClosedSet(ctx context.Context, c Caller, sceneID int64) (production.ClosedSetVersion, bool, error) {
	sc, err := o.SceneInProduction(ctx, c, sceneID)
	if err != nil {
		return production.ClosedSetVersion{}, false, err
	}
	own := false
	if p, ok, err := o.PerformerOf(ctx, c); err != nil {
		return production.ClosedSetVersion{}, false, err
	} else if ok {
		if own, err = o.InScene(ctx, p, sc); err != nil {
			return production.ClosedSetVersion{}, false, err
		}
	}
	if err := c.check(auth.ClosedSetRead, own); err != nil {
		return production.ClosedSetVersion{}, false, err
	}
	return o.closedSetOf(ctx, sceneID)
}

func (o *Ops) closedSetOf(ctx context.Context, sceneID int64) (production.ClosedSetVersion, bool, error) {
	v, err := o.store.ClosedSet(ctx, sceneID)
	if closedset.Is(err, closedset.NotFound) {
		return production.ClosedSetVersion{}, false, nil
	}
	return v, err == nil, err
}

// ClosedSetNotice is the scene's current list as the notice for the door;
// NotFound when none is written. The notice says whether it is approved:
// one awaiting approval is printed as a draft.
func (o *Ops) ClosedSetNotice(ctx context.Context, c Caller, sceneID int64) (docs.ClosedSetNotice, error) {
	v, ok, err := o.SceneClosedSet(ctx, c, sceneID)
	if err != nil {
		return docs.ClosedSetNotice{}, err
	}
	if !ok {
		return docs.ClosedSetNotice{}, closedset.Errorf(closedset.NotFound, "scene %d has no closed-set list yet", sceneID)
	}
	sc, err := o.store.Scene(ctx, sceneID)
	if err != nil {
		return docs.ClosedSetNotice{}, err
	}
	prod, tz, err := o.ProductionZone(ctx, sc.ProductionID)
	if err != nil {
		return docs.ClosedSetNotice{}, err
	}
	n := docs.ClosedSetNotice{
		Production: prod.Title, Number: DocSceneNumber(sc), Heading: sc.Heading,
		Version: v.Version, Stills: v.List.Stills, RobePerson: v.List.RobePerson,
		PreparedAt: o.now().In(tz).Truncate(time.Second), Approved: v.Approved(),
	}
	if at, ok, err := o.store.CallTime(ctx, sceneID); err != nil {
		return docs.ClosedSetNotice{}, err
	} else if ok {
		n.CallTime = at.In(tz)
	}
	for _, p := range v.List.People {
		np := docs.NoticePerson{Name: p.Name, Role: p.Role}
		if p.Where == production.WhereMonitor {
			n.AtMonitors = append(n.AtMonitors, np)
		} else {
			n.OnSet = append(n.OnSet, np)
		}
	}
	for _, m := range v.List.Monitors {
		n.Monitors = append(n.Monitors, m.Where)
	}
	for _, a := range v.Approvals {
		n.Approvals = append(n.Approvals, docs.NoticeApproval{Role: approverTitle(a.Role), Name: a.ByName, At: a.At.In(tz)})
	}
	return n, nil
}

func approverTitle(r auth.Role) string {
	if r == auth.IC {
		return "Intimacy coordinator"
	}
	return "Assistant director"
}
