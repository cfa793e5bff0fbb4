package ops

import (
	"context"

	"closedset/auth"
	"closedset/production"
	"closedset/shoot"
)

// Day is a shoot day as the end-of-day report needs it: its id, its date
// and its scenes in order.
type Day struct {
	ID       int64
	Date     production.Date
	SceneIDs []int64
}

// DayReport computes the end-of-day report of the caller's production's
// day from the record as it stands now (shoot.Compute): counts and times,
// never a boundary, a note, a debrief's text or a reason.
func (o *Ops) DayReport(ctx context.Context, c Caller, day Day) (shoot.DayReport, error) {
	if err := c.check(auth.ReportRead, false); err != nil {
		return shoot.DayReport{}, err
	}
	return o.dayReport(ctx, c, day)
}

func (o *Ops) dayReport(ctx context.Context, c Caller, day Day) (shoot.DayReport, error) {
	prod, err := o.store.Production(ctx, c.ProductionID)
	if err != nil {
		return shoot.DayReport{}, err
	}
	var recs []shoot.SceneRecord
	for _, id := range day.SceneIDs {
		sc, err := o.SceneInProduction(ctx, c, id)
		if err != nil {
			return shoot.DayReport{}, err
		}
		r := shoot.SceneRecord{SceneID: sc.ID, Number: sc.Number, Heading: sc.Heading}
		if r.Takes, err = o.store.Takes(ctx, id); err != nil {
			return shoot.DayReport{}, err
		}
		if r.Pauses, err = o.store.Pauses(ctx, id); err != nil {
			return shoot.DayReport{}, err
		}
		if r.StepOuts, err = o.store.StepOuts(ctx, id); err != nil {
			return shoot.DayReport{}, err
		}
		if r.Debriefs, err = o.store.Debriefs(ctx, id); err != nil {
			return shoot.DayReport{}, err
		}
		if r.CrewDebriefs, err = o.store.CrewDebriefs(ctx, id); err != nil {
			return shoot.DayReport{}, err
		}
		recs = append(recs, r)
	}
	return shoot.Compute(prod.Title, day.Date, recs, o.now()), nil
}

// SignDayReport signs off the day's report as it stands now: a new
// version when it differs from the last one signed (a correction), the
// last one otherwise (created false). The production's ICs sign it: the
// lead IC is not yet a role of its own.
func (o *Ops) SignDayReport(ctx context.Context, c Caller, day Day) (shoot.SignedReport, bool, error) {
	if err := c.check(auth.ReportSign, false); err != nil {
		return shoot.SignedReport{}, false, err
	}
	var out shoot.SignedReport
	created := false
	err := o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		r, err := in.dayReport(ctx, c, day)
		if err != nil {
			return err
		}
		versions, err := tx.DayReports(ctx, day.ID)
		if err != nil {
			return err
		}
		if shoot.Unchanged(r, versions) {
			out = versions[len(versions)-1]
			return nil
		}
		out, err = tx.SignDayReport(ctx, c.Actor(), c.ProductionID, day.ID, r.Canonical(), r.Hash())
		created = err == nil
		return err
	})
	return out, created, err
}
