package ops

import (
	"context"
	"slices"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/consent"
	"closedset/production"
)

// Shoot days (issue 13, item 2): a production's days, each with its date
// and its scenes, and the day board the AD and the IC read on set: each
// intimate scene of the day with its call time, its readiness and what
// blocks it. Status only, as on the consent grid: never a boundary or a
// reason.

// CreateShootDay makes a shoot day of the caller's production on date
// with its scenes, in the AD's order.
func (o *Ops) CreateShootDay(ctx context.Context, c Caller, date production.Date, sceneIDs []int64) (production.Day, error) {
	if err := c.check(auth.ShootDayWrite, false); err != nil {
		return production.Day{}, err
	}
	var out production.Day
	err := o.store.Tx(ctx, func(tx Store) error {
		var err error
		out, err = tx.CreateShootDay(ctx, c.Actor(), c.ProductionID, date, sceneIDs)
		return err
	})
	return out, err
}

// DayInProduction loads a shoot day of the caller's production.
func (o *Ops) DayInProduction(ctx context.Context, c Caller, id int64) (production.Day, error) {
	d, err := o.store.ShootDay(ctx, id)
	if closedset.Is(err, closedset.NotFound) || err == nil && d.ProductionID != c.ProductionID {
		return production.Day{}, closedset.Errorf(closedset.NotFound, "no shoot day %d in this production", id)
	}
	return d, err
}

// SetShootDayScenes replaces the day's scene list (a new version; the
// same list again changes nothing).
func (o *Ops) SetShootDayScenes(ctx context.Context, c Caller, dayID int64, sceneIDs []int64) (production.Day, error) {
	if err := c.check(auth.ShootDayWrite, false); err != nil {
		return production.Day{}, err
	}
	var out production.Day
	err := o.store.Tx(ctx, func(tx Store) error {
		if _, err := o.in(tx).DayInProduction(ctx, c, dayID); err != nil {
			return err
		}
		var err error
		out, err = tx.SetShootDayScenes(ctx, c.Actor(), dayID, sceneIDs)
		return err
	})
	return out, err
}

// ShootDaysOf lists the production's days by date.
func (o *Ops) ShootDaysOf(ctx context.Context, c Caller) ([]production.Day, error) {
	if err := c.check(auth.ShootDayRead, false); err != nil {
		return nil, err
	}
	return o.store.ShootDays(ctx, c.ProductionID)
}

// DayBoard is one shoot day as the AD and the IC follow it.
type DayBoard struct {
	Day production.Day
	// Scenes are the day's scenes in the day's order, each the current
	// draft's version of the scene put on the day.
	Scenes []BoardScene
	// NotReady counts the intimate scenes that may not be shot now.
	NotReady int
}

// BoardScene is one scene of the day.
type BoardScene struct {
	Scene production.Scene
	// Intimate: flagged or planned; only these are gated.
	Intimate  bool
	CallTime  *time.Time // nil when not scheduled
	Readiness consent.Result
	// OffDay: the scene's call time falls on another date than the
	// day's, in the production's zone.
	OffDay bool
	// Carried is the scene put on the day when it was of an earlier
	// draft (the board shows the current one); 0 otherwise.
	Carried int64
}

// DayBoard builds the board of one day, now.
func (o *Ops) DayBoard(ctx context.Context, c Caller, dayID int64) (DayBoard, error) {
	if err := c.check(auth.ShootDayRead, false); err != nil {
		return DayBoard{}, err
	}
	d, err := o.DayInProduction(ctx, c, dayID)
	if err != nil {
		return DayBoard{}, err
	}
	pf, err := o.productionFacts(ctx, c.ProductionID)
	if err != nil {
		return DayBoard{}, err
	}
	tz := pf.tz
	current, err := o.currentScenes(ctx, c.ProductionID, d.SceneIDs)
	if err != nil {
		return DayBoard{}, err
	}
	b := DayBoard{Day: d}
	if len(d.SceneIDs) > 0 {
		b.Scenes = make([]BoardScene, len(d.SceneIDs))
	}
	scenes := make([]production.Scene, len(d.SceneIDs))
	for i, id := range d.SceneIDs {
		sc, ok := current[id]
		if !ok {
			// A scene of a draft since replaced, whose scene no later
			// draft matched: shown as it was.
			if sc, err = o.store.Scene(ctx, id); err != nil {
				return DayBoard{}, err
			}
		}
		if sc.ID != id {
			b.Scenes[i].Carried = id
		}
		scenes[i] = sc
	}
	facts, err := o.scenesFacts(ctx, scenes, pf)
	if err != nil {
		return DayBoard{}, err
	}
	for i, f := range facts {
		bs := &b.Scenes[i]
		sc := scenes[i]
		bs.Scene, bs.CallTime = sc, f.CallTime
		bs.Intimate = len(sc.Flagged()) > 0 || f.Plan != nil
		bs.Readiness = consent.Readiness(f, consent.DefaultGates())
		if f.CallTime != nil && production.ShootDay(*f.CallTime, tz) != d.Date {
			bs.OffDay = true
		}
		if bs.Intimate && !bs.Readiness.Ready {
			b.NotReady++
		}
	}
	return b, nil
}

// currentScenes maps each scene id of the production's current drafts to
// its scene and, when some of want is of an earlier draft, every id of
// each current scene's lineage too: a day planned before a revision shows
// the revised scenes.
func (o *Ops) currentScenes(ctx context.Context, productionID int64, want []int64) (map[int64]production.Scene, error) {
	scenes, err := o.store.CurrentScenes(ctx, productionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]production.Scene, len(scenes))
	for _, sc := range scenes {
		out[sc.ID] = sc
	}
	if !slices.ContainsFunc(want, func(id int64) bool { _, ok := out[id]; return !ok }) {
		return out, nil
	}
	for _, sc := range scenes {
		lin, err := o.store.SceneLineage(ctx, sc.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range lin {
			out[id] = sc
		}
	}
	return out, nil
}
