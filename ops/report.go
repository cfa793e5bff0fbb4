package ops

import (
	"context"
	"slices"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/docs"
	"closedset/production"
	"closedset/shoot"
)

// The end-of-day report (issue 13, item 7) of one shoot day of the
// caller's production, computed from the record as it stands now
// (shoot.Compute): counts and times, never a boundary, a note, a
// debrief's text or a reason.
//
// The day's scenes are its current list, each read as its current
// draft's scene (as the day board shows it), with the record of every
// draft in its lineage. Its record is what was logged from the day's
// midnight in the production's time zone until the midnight that starts
// the production's next shoot day (no end when there is none): a night
// shoot past midnight stays on its day, a scene shot over two days shows
// each day's takes on that day's report.

// DayReport computes the end-of-day report of the caller's production's
// shoot day now.
func (o *Ops) DayReport(ctx context.Context, c Caller, dayID int64) (shoot.DayReport, error) {
	if err := c.check(auth.ReportRead, false); err != nil {
		return shoot.DayReport{}, err
	}
	d, err := o.DayInProduction(ctx, c, dayID)
	if err != nil {
		return shoot.DayReport{}, err
	}
	return o.dayReport(ctx, c, d)
}

func (o *Ops) dayReport(ctx context.Context, c Caller, d production.Day) (shoot.DayReport, error) {
	prod, tz, err := o.ProductionZone(ctx, c.ProductionID)
	if err != nil {
		return shoot.DayReport{}, err
	}
	from, to, err := o.dayWindow(ctx, d, tz)
	if err != nil {
		return shoot.DayReport{}, err
	}
	current, err := o.currentScenes(ctx, c.ProductionID, d.SceneIDs)
	if err != nil {
		return shoot.DayReport{}, err
	}
	var recs []shoot.SceneRecord
	var seen []int64
	for _, id := range d.SceneIDs {
		sc, ok := current[id]
		if !ok {
			if sc, err = o.store.Scene(ctx, id); err != nil {
				return shoot.DayReport{}, err
			}
		}
		if slices.Contains(seen, sc.ID) {
			continue // two drafts of one scene on the day: reported once
		}
		seen = append(seen, sc.ID)
		r, err := o.sceneRecord(ctx, sc)
		if err != nil {
			return shoot.DayReport{}, err
		}
		recs = append(recs, r.Between(from, to))
	}
	return shoot.Compute(prod.Title, d.Date, recs, o.now()), nil
}

// sceneRecord reads the scene's record through its lineage, oldest draft
// first: a take logged before a revision stays the scene's.
func (o *Ops) sceneRecord(ctx context.Context, sc production.Scene) (shoot.SceneRecord, error) {
	r := shoot.SceneRecord{SceneID: sc.ID, Number: sc.Number, Heading: sc.Heading}
	lin, err := o.store.SceneLineage(ctx, sc.ID)
	if err != nil {
		return shoot.SceneRecord{}, err
	}
	for _, id := range slices.Backward(lin) {
		takes, err := o.store.Takes(ctx, id)
		if err != nil {
			return shoot.SceneRecord{}, err
		}
		pauses, err := o.store.Pauses(ctx, id)
		if err != nil {
			return shoot.SceneRecord{}, err
		}
		stepOuts, err := o.store.StepOuts(ctx, id)
		if err != nil {
			return shoot.SceneRecord{}, err
		}
		debriefs, err := o.store.Debriefs(ctx, id)
		if err != nil {
			return shoot.SceneRecord{}, err
		}
		crew, err := o.store.CrewDebriefs(ctx, id)
		if err != nil {
			return shoot.SceneRecord{}, err
		}
		r.Takes, r.Pauses, r.StepOuts = append(r.Takes, takes...), append(r.Pauses, pauses...), append(r.StepOuts, stepOuts...)
		r.Debriefs, r.CrewDebriefs = append(r.Debriefs, debriefs...), append(r.CrewDebriefs, crew...)
	}
	if r.Requests, err = o.store.SceneRequests(ctx, sc.ID); err != nil {
		return shoot.SceneRecord{}, err
	}
	if r.ClosedSets, err = o.store.ClosedSetVersions(ctx, sc.ID); err != nil {
		return shoot.SceneRecord{}, err
	}
	return r, nil
}

// dayWindow is when the day's record was made: from its midnight in the
// production's zone to the midnight of the production's next shoot day
// (zero: none).
func (o *Ops) dayWindow(ctx context.Context, d production.Day, tz *time.Location) (time.Time, time.Time, error) {
	midnight := func(x production.Date) time.Time { return time.Date(x.Year, x.Month, x.Day, 0, 0, 0, 0, tz) }
	days, err := o.store.ShootDays(ctx, d.ProductionID)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	var to time.Time
	for _, other := range days { // by date
		if other.Date.Compare(d.Date) > 0 {
			to = midnight(other.Date)
			break
		}
	}
	return midnight(d.Date), to, nil
}

// SignDayReport signs off the day's report as it stands now: a new
// version when it differs from the last one signed (a correction), the
// last one otherwise (created false). read, when given, is the hash of
// the report the signer read: a report changed since is a Conflict, so
// that nobody signs what they have not seen. The production's ICs sign
// it: the lead IC is not yet a role of its own.
func (o *Ops) SignDayReport(ctx context.Context, c Caller, dayID int64, read string) (shoot.SignedReport, bool, error) {
	if err := c.check(auth.ReportSign, false); err != nil {
		return shoot.SignedReport{}, false, err
	}
	var out shoot.SignedReport
	created := false
	err := o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		d, err := in.DayInProduction(ctx, c, dayID)
		if err != nil {
			return err
		}
		r, err := in.dayReport(ctx, c, d)
		if err != nil {
			return err
		}
		if read != "" && read != r.Hash() {
			return closedset.FieldErrorf(closedset.Conflict, "hash", "the report of shoot day %d changed since it was read: read it again, then sign it", dayID)
		}
		versions, err := tx.DayReports(ctx, d.ID)
		if err != nil {
			return err
		}
		if shoot.Unchanged(r, versions) {
			out = versions[len(versions)-1]
			return nil
		}
		out, err = tx.SignDayReport(ctx, c.Actor(), c.ProductionID, d.ID, r.Canonical(), r.Hash())
		created = err == nil
		return err
	})
	return out, created, err
}

// EndOfDay is the day's report as a document: version 0 is the report as
// it stands now, with the sign-off of the latest signed version when it
// still says the same; another version is that signed version as it was
// stored (NotFound if there is none).
func (o *Ops) EndOfDay(ctx context.Context, c Caller, dayID int64, version int) (docs.EndOfDay, []shoot.SignedReport, error) {
	if err := c.check(auth.ReportRead, false); err != nil {
		return docs.EndOfDay{}, nil, err
	}
	d, err := o.DayInProduction(ctx, c, dayID)
	if err != nil {
		return docs.EndOfDay{}, nil, err
	}
	_, tz, err := o.ProductionZone(ctx, c.ProductionID)
	if err != nil {
		return docs.EndOfDay{}, nil, err
	}
	versions, err := o.store.DayReports(ctx, d.ID)
	if err != nil {
		return docs.EndOfDay{}, nil, err
	}
	out := docs.EndOfDay{TimeZone: tz}
	signoff := func(v shoot.SignedReport) *docs.Signoff {
		return &docs.Signoff{Version: v.Version, By: v.SignerName, At: v.SignedAt, Hash: v.Hash}
	}
	if version == 0 {
		if out.Report, err = o.dayReport(ctx, c, d); err != nil {
			return docs.EndOfDay{}, nil, err
		}
		if shoot.Unchanged(out.Report, versions) {
			out.Signoff = signoff(versions[len(versions)-1])
		}
		return out, versions, nil
	}
	i := slices.IndexFunc(versions, func(v shoot.SignedReport) bool { return v.Version == version })
	if i < 0 {
		return docs.EndOfDay{}, nil, closedset.FieldErrorf(closedset.NotFound, "version", "shoot day %d has no signed report version %d", dayID, version)
	}
	if out.Report, err = versions[i].Report(); err != nil {
		return docs.EndOfDay{}, nil, err
	}
	out.Signoff = signoff(versions[i])
	return out, versions, nil
}
