package ops

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/production"
	"closedset/textfield"
)

// Calendars (issue 17, item 1): each user's iCalendar feed, read at a
// secret URL, with their call times, rider deadlines, fittings and shoot
// days. It is computed from the records on every request, so it follows
// every change of the schedule; it holds times, scene numbers and
// headings, departments and production titles: never a boundary, a
// reason, a note or a request's text.

// CalendarEvent is one event of a feed. AllDay events are on Date; the
// others start at Start (UTC) and last Length.
type CalendarEvent struct {
	UID     string // stable across requests: the same record, the same UID
	Summary string
	Start   time.Time
	Length  time.Duration
	AllDay  bool
	Date    production.Date
	// Path is the page of closedset the event concerns.
	Path string
}

// The lengths of timed events: a call is a block in a day's calendar; a
// deadline and a fitting are moments with a reminder's worth of room.
const (
	callLength     = time.Hour
	deadlineLength = 15 * time.Minute
	fittingLength  = 30 * time.Minute
)

// CreateCalendarFeed makes a calendar feed for the caller and returns it
// with its token, shown once: the store keeps only its hash.
func (o *Ops) CreateCalendarFeed(ctx context.Context, c Caller, name string, rand io.Reader) (auth.Token, string, error) {
	if err := c.check(auth.TokenCreate, true); err != nil {
		return auth.Token{}, "", err
	}
	name, err := cleanText("name", name, textfield.MaxName)
	if err != nil {
		return auth.Token{}, "", err
	}
	plain, hash, err := auth.NewCalendarToken(rand)
	if err != nil {
		return auth.Token{}, "", err
	}
	t, err := o.store.CreateCalendarFeed(ctx, c.Actor(), auth.TokenRecord{UserID: c.User.ID, Name: name, Hash: hash})
	return t, plain, err
}

// CalendarFeeds lists the caller's own feeds, newest first.
func (o *Ops) CalendarFeeds(ctx context.Context, c Caller) ([]auth.Token, error) {
	if err := c.check(auth.TokenList, true); err != nil {
		return nil, err
	}
	return o.store.CalendarFeedsOf(ctx, c.User.ID)
}

// RevokeCalendarFeed deletes one of the caller's feeds at once: its URL
// answers not found from then on.
func (o *Ops) RevokeCalendarFeed(ctx context.Context, c Caller, feedID int64) error {
	if err := c.check(auth.TokenRevoke, true); err != nil {
		return err
	}
	return o.store.RevokeCalendarFeed(ctx, c.Actor(), c.User.ID, feedID)
}

// Calendar is the feed of the user whose feed token hashes to hash, now:
// for each production they are a member of, what the permission table
// lets them read of it.
//   - Shoot days (all day), to those who read shoot days.
//   - Call times of the scenes they are in (a performer) or work on: the
//     intimate scenes for the production's ICs, ADs, directors and
//     producers; the scenes with their department's requests for a
//     department head.
//   - Rider deadlines (the call time less the notice period) of the
//     intimate scenes: a performer's while their rider for the scene is
//     unsigned; an IC's while any performer's is.
//   - Fittings: each open department request's due time, to that
//     department and the ICs.
func (o *Ops) Calendar(ctx context.Context, hash []byte) (auth.User, []CalendarEvent, error) {
	u, err := o.store.CalendarFeedUser(ctx, hash)
	if err != nil {
		return auth.User{}, nil, err
	}
	ms, err := o.store.ProductionsOf(ctx, u.ID)
	if err != nil {
		return auth.User{}, nil, err
	}
	var out []CalendarEvent
	for _, m := range ms {
		ev, err := o.productionCalendar(ctx, Caller{User: u, ProductionID: m.ID, Roles: m.Roles}, m.Production)
		if err != nil {
			return auth.User{}, nil, err
		}
		out = append(out, ev...)
	}
	slices.SortStableFunc(out, func(a, b CalendarEvent) int {
		return a.Start.Compare(b.Start)
	})
	return u, out, nil
}

func (o *Ops) productionCalendar(ctx context.Context, c Caller, p production.Production) ([]CalendarEvent, error) {
	var out []CalendarEvent
	pf, err := o.productionFacts(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if c.Can(auth.ShootDayRead, false) {
		days, err := o.store.ShootDays(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, d := range days {
			out = append(out, CalendarEvent{UID: fmt.Sprintf("shoot-day-%d@closedset", d.ID), Summary: "Shoot day: " + p.Title,
				AllDay: true, Date: d.Date, Start: time.Date(d.Date.Year, d.Date.Month, d.Date.Day, 0, 0, 0, 0, pf.tz).UTC(),
				Path: fmt.Sprintf("/shoot-days/%d", d.ID)})
		}
	}
	perf, isPerformer, err := o.performerOf(ctx, c)
	if err != nil {
		return nil, err
	}
	ic := c.Roles.Has(auth.IC)
	crew := ic || c.Roles.Has(auth.AD) || c.Roles.Has(auth.Director) || c.Roles.Has(auth.Producer)
	scenes, err := o.store.CurrentScenes(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, sc := range scenes {
		f, err := o.sceneFacts(ctx, sc, pf)
		if err != nil {
			return nil, err
		}
		intimate := len(sc.Flagged()) > 0 || f.Plan != nil
		in := false
		if isPerformer {
			if in, err = o.InScene(ctx, perf, sc); err != nil {
				return nil, err
			}
		}
		var mine []production.Request
		for _, r := range f.Requests {
			if r.State == production.RequestDone || r.State == production.RequestCantDo {
				continue
			}
			if ic || c.Roles.Has(r.Department) {
				mine = append(mine, r)
			}
		}
		name := sceneName(sc)
		path := fmt.Sprintf("/scenes/%d", sc.ID)
		for _, r := range mine {
			out = append(out, CalendarEvent{UID: fmt.Sprintf("request-%d@closedset", r.ID),
				Summary: fmt.Sprintf("Fitting due: %s for %s (%s)", r.Department, name, p.Title),
				Start:   r.Due.UTC(), Length: fittingLength, Path: fmt.Sprintf("/productions/%d/requests", p.ID)})
		}
		if f.CallTime == nil {
			continue
		}
		call := f.CallTime.UTC()
		works := in || crew && intimate || len(mine) > 0 && !crew
		if works {
			out = append(out, CalendarEvent{UID: fmt.Sprintf("call-%d@closedset", sc.ID), Summary: fmt.Sprintf("Call: %s (%s)", name, p.Title),
				Start: call, Length: callLength, Path: path})
		}
		if !intimate {
			continue
		}
		due := call.Add(-pf.policy.NoticePeriod)
		switch {
		case in && !riderSigned(f, perf.ID):
			out = append(out, CalendarEvent{UID: fmt.Sprintf("rider-%d-%d@closedset", sc.ID, perf.ID),
				Summary: fmt.Sprintf("Rider due: sign your rider for %s (%s)", name, p.Title), Start: due, Length: deadlineLength, Path: "/me"})
		case ic && slices.ContainsFunc(f.Performers, func(pp production.Performer) bool { return !riderSigned(f, pp.ID) }):
			out = append(out, CalendarEvent{UID: fmt.Sprintf("riders-%d@closedset", sc.ID),
				Summary: fmt.Sprintf("Riders due: %s (%s)", name, p.Title), Start: due, Length: deadlineLength, Path: path})
		}
	}
	return out, nil
}

// performerOf is the caller's performer record in their production, if
// they play someone in it.
func (o *Ops) performerOf(ctx context.Context, c Caller) (production.Performer, bool, error) {
	return o.PerformerOf(ctx, c)
}

// riderSigned reports whether the performer signed a rider covering the
// scene (its lineage folded in by sceneFacts) for its current plan.
func riderSigned(f consent.Facts, performerID int64) bool {
	for _, r := range f.Riders {
		if r.PerformerID != performerID || r.Signature == nil {
			continue
		}
		for _, rs := range r.Scenes {
			if rs.SceneID == f.Scene.ID && (f.PlanHash == "" || rs.PlanHash == f.PlanHash) {
				return true
			}
		}
	}
	return false
}

// sceneName is "scene 12" or, for a scene with no number, its heading.
func sceneName(sc production.Scene) string {
	if n := strings.TrimSpace(sc.Number); n != "" {
		return "scene " + n
	}
	return strings.TrimSpace(sc.Heading)
}
