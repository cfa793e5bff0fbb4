package ops

import (
	"closedset"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/production"
)

// Scheduling out and in (issue 17, item 3): the production's intimate
// scenes by shoot day in a breakdown sheet's columns, for a scheduling
// tool; and a shooting schedule from one (scene number, date, call time)
// that sets the shoot days and the call times through the same store
// writes as the pages, in one transaction.

// SheetRow is one intimate scene on the schedule sheet.
type SheetRow struct {
	Day      production.Date // zero: on no shoot day
	CallTime *time.Time      // nil: not scheduled
	Scene    production.Scene
	// Performers are the names of the performers cast in the scene.
	Performers []string
	Readiness  consent.Result
}

// ScheduleSheet lists the production's intimate scenes (flagged or
// planned) of its current drafts, by shoot day in date order and the
// day's order, then those on no day in script order. Status only: gate
// names, never a boundary, a reason or a note.
func (o *Ops) ScheduleSheet(ctx context.Context, c Caller) ([]SheetRow, *time.Location, error) {
	if err := c.check(auth.ReadinessRead, false); err != nil {
		return nil, nil, err
	}
	if err := c.check(auth.ShootDayRead, false); err != nil {
		return nil, nil, err
	}
	pf, err := o.productionFacts(ctx, c.ProductionID)
	if err != nil {
		return nil, nil, err
	}
	days, err := o.store.ShootDays(ctx, c.ProductionID)
	if err != nil {
		return nil, nil, err
	}
	var onDays []int64
	for _, d := range days {
		onDays = append(onDays, d.SceneIDs...)
	}
	current, err := o.currentScenes(ctx, c.ProductionID, onDays)
	if err != nil {
		return nil, nil, err
	}
	var out []SheetRow
	placed := map[int64]bool{}
	add := func(sc production.Scene, day production.Date) error {
		f, err := o.sceneFacts(ctx, sc, pf)
		if err != nil {
			return err
		}
		if len(sc.Flagged()) == 0 && f.Plan == nil {
			return nil
		}
		row := SheetRow{Day: day, CallTime: f.CallTime, Scene: sc, Readiness: consent.Readiness(f, consent.DefaultGates())}
		for _, p := range f.Performers {
			row.Performers = append(row.Performers, p.Name)
		}
		out = append(out, row)
		return nil
	}
	for _, d := range days {
		for _, id := range d.SceneIDs {
			sc, ok := current[id]
			if !ok || placed[sc.ID] {
				continue // of a draft no current scene carries, or twice
			}
			placed[sc.ID] = true
			if err := add(sc, d.Date); err != nil {
				return nil, nil, err
			}
		}
	}
	scenes, err := o.store.CurrentScenes(ctx, c.ProductionID)
	if err != nil {
		return nil, nil, err
	}
	for _, sc := range scenes {
		if !placed[sc.ID] {
			if err := add(sc, production.Date{}); err != nil {
				return nil, nil, err
			}
		}
	}
	return out, pf.tz, nil
}

// ScheduleImport says what a schedule changed.
type ScheduleImport struct {
	Rows        int `json:"rows"`
	DaysCreated int `json:"days_created"`
	DaysChanged int `json:"days_changed"`
	CallTimes   int `json:"call_times_set"`
}

// ImportSchedule applies a shooting schedule: each row's scene (by its
// number in the production's current drafts) goes on the shoot day of
// its date, made if the production has none, and off any other day, and
// gets the row's call time in the production's zone. Every row is checked
// before anything is written; a bad one is named by its row number and
// nothing is written. All of it is one transaction.
func (o *Ops) ImportSchedule(ctx context.Context, c Caller, rows []production.ScheduleRow) (ScheduleImport, error) {
	if err := c.check(auth.ScheduleWrite, false); err != nil {
		return ScheduleImport{}, err
	}
	if err := c.check(auth.ShootDayWrite, false); err != nil {
		return ScheduleImport{}, err
	}
	var res ScheduleImport
	err := o.store.Tx(ctx, func(tx Store) error {
		res = ScheduleImport{Rows: len(rows)}
		return o.in(tx).importSchedule(ctx, c, rows, &res)
	})
	return res, err
}

func (o *Ops) importSchedule(ctx context.Context, c Caller, rows []production.ScheduleRow, res *ScheduleImport) error {
	_, tz, err := o.ProductionZone(ctx, c.ProductionID)
	if err != nil {
		return err
	}
	scenes, err := o.store.CurrentScenes(ctx, c.ProductionID)
	if err != nil {
		return err
	}
	byNumber := map[string][]production.Scene{}
	for _, sc := range scenes {
		if n := strings.ToUpper(strings.TrimSpace(sc.Number)); n != "" {
			byNumber[n] = append(byNumber[n], sc)
		}
	}
	var bad []production.RowError
	sceneOf := make([]int64, len(rows))
	for i, r := range rows {
		switch m := byNumber[r.Number]; len(m) {
		case 0:
			bad = append(bad, production.RowError{Row: r.Row, Msg: fmt.Sprintf("no scene %s in the production's current scripts", r.Number)})
		case 1:
			sceneOf[i] = m[0].ID
		default:
			bad = append(bad, production.RowError{Row: r.Row, Msg: fmt.Sprintf("scene %s is in %d current scripts: import each script's schedule by hand", r.Number, len(m))})
		}
	}
	if err := production.ScheduleError(bad); err != nil {
		return err
	}

	// Where each scene goes, and the days as they are.
	want := map[int64]production.Date{}
	byDate := map[production.Date][]int64{}
	var dates []production.Date
	for i, r := range rows {
		want[sceneOf[i]] = r.Date
		if _, ok := byDate[r.Date]; !ok {
			dates = append(dates, r.Date)
		}
		byDate[r.Date] = append(byDate[r.Date], sceneOf[i])
	}
	days, err := o.store.ShootDays(ctx, c.ProductionID)
	if err != nil {
		return err
	}
	var onDays []int64
	for _, d := range days {
		onDays = append(onDays, d.SceneIDs...)
	}
	current, err := o.currentScenes(ctx, c.ProductionID, onDays)
	if err != nil {
		return err
	}
	have := map[production.Date]bool{}
	for _, d := range days {
		have[d.Date] = true
		var list []int64
		here := map[int64]bool{} // current scene ids already on the day
		for _, id := range d.SceneIDs {
			cur, known := current[id]
			if to, moving := want[cur.ID]; known && moving && to != d.Date {
				continue
			}
			list = append(list, id)
			if known {
				here[cur.ID] = true
			}
		}
		for _, id := range byDate[d.Date] {
			if !here[id] {
				list = append(list, id)
			}
		}
		if slices.Equal(list, d.SceneIDs) {
			continue
		}
		if _, err := o.store.SetShootDayScenes(ctx, c.Actor(), d.ID, list); err != nil {
			return rowError(rows, byDate[d.Date], sceneOf, err)
		}
		res.DaysChanged++
	}
	for _, date := range dates {
		if have[date] {
			continue
		}
		if _, err := o.store.CreateShootDay(ctx, c.Actor(), c.ProductionID, date, byDate[date]); err != nil {
			return rowError(rows, byDate[date], sceneOf, err)
		}
		res.DaysCreated++
	}
	for i, r := range rows {
		at := r.CallTime(tz)
		old, ok, err := o.store.CallTime(ctx, sceneOf[i])
		if err != nil {
			return err
		}
		if ok && old.Equal(at) {
			continue
		}
		if err := o.store.SetCallTime(ctx, c.Actor(), sceneOf[i], at); err != nil {
			return rowError(rows, []int64{sceneOf[i]}, sceneOf, err)
		}
		res.CallTimes++
	}
	return nil
}

// rowError names the first row of the scenes a refused write concerns;
// the transaction then writes nothing. A failure of the machine is left
// as it is, never shown.
func rowError(rows []production.ScheduleRow, ids []int64, sceneOf []int64, err error) error {
	if closedset.KindOf(err) == "" {
		return err
	}
	for i := range rows {
		if len(ids) > 0 && sceneOf[i] == ids[0] {
			return production.ScheduleError([]production.RowError{{Row: rows[i].Row, Msg: err.Error()}})
		}
	}
	return err
}
