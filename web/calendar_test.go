package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"closedset/ops"
)

// TestPerformersCalendarHoldsCallAndRiderDeadline is issue 17's bar for
// calendars: the feed of a performer, read at its secret URL with no
// session, holds their scene's call time and their rider's deadline (the
// call less the notice period) and parses with an iCalendar parser; the
// UIDs stay when the call time moves, and the event moves with it; the
// IC's holds the fitting and the riders' deadline; no feed holds a
// boundary, a reason, a note or a request's text; a revoked feed is gone.
func TestPerformersCalendarHoldsCallAndRiderDeadline(t *testing.T) {
	l := newLedger(t, "Europe/London")
	l.person("costume")
	l.addMember(l.prod, l.as("producer"), "costume@example.org", "costume", l.as("costume"))
	nora := l.performer("nora", "Nora Vance", "1990-05-01", "NORA")
	l.plan("5", noraPlan(nora, true))
	l.putBoundaries("nora", nora, map[string]any{"touch": []any{}, "no_touch": []string{"face"}, "exposure": []any{}, "garments": []string{}, "notes": "CANARY-BOUNDARY-NOTE"})
	callAt := time.Date(2026, 6, 10, 6, 30, 0, 0, time.UTC)
	l.schedule("5", callAt)
	due := time.Date(2026, 6, 9, 15, 0, 0, 0, time.UTC)
	l.json(call2("POST", l.scenePath("5", "/requests"), l.as("ic"), map[string]any{"department": "costume", "text": "CANARY-REQUEST-TEXT",
		"due": due.Format(time.RFC3339), "performer_id": nora}), http.StatusCreated, nil)

	feed := func(who string) string {
		t.Helper()
		_, token, err := l.srv.ops.CreateCalendarFeed(context.Background(), ops.Caller{User: l.users[who]}, "phone", rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return "/calendars/" + token + ".ics"
	}
	read := func(url string) (*ics.Calendar, string) {
		t.Helper()
		w := l.do(call{method: "GET", path: url})
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/calendar") {
			t.Fatalf("GET %s: %d %s", url, w.Code, w.Body)
		}
		body := w.Body.String()
		for _, canary := range []string{"CANARY", "face", "thong", "buttocks"} {
			if strings.Contains(body, canary) {
				t.Fatalf("the feed holds %q:\n%s", canary, body)
			}
		}
		cal, err := ics.ParseCalendar(strings.NewReader(body))
		if err != nil {
			t.Fatalf("the feed does not parse: %v\n%s", err, body)
		}
		if !strings.Contains(body, "VERSION:2.0") || !strings.Contains(body, "PRODID:") {
			t.Fatalf("no VERSION or PRODID:\n%s", body)
		}
		return cal, body
	}
	// byPrefix is the events whose summary starts with p, by UID.
	byPrefix := func(cal *ics.Calendar, p string) map[string]*ics.VEvent {
		out := map[string]*ics.VEvent{}
		for _, e := range cal.Events() {
			if s := e.GetProperty(ics.ComponentPropertySummary); s != nil && strings.HasPrefix(s.Value, p) {
				out[e.Id()] = e
			}
		}
		return out
	}
	one := func(m map[string]*ics.VEvent, what string) (string, *ics.VEvent) {
		t.Helper()
		if len(m) != 1 {
			t.Fatalf("%d %s events, want 1", len(m), what)
		}
		for k, v := range m {
			return k, v
		}
		return "", nil
	}
	start := func(e *ics.VEvent) time.Time {
		t.Helper()
		p := e.GetProperty(ics.ComponentPropertyDtStart)
		if p == nil || !strings.HasSuffix(p.Value, "Z") {
			t.Fatalf("DTSTART %v is not in UTC", p)
		}
		at, err := e.GetStartAt()
		if err != nil {
			t.Fatal(err)
		}
		return at
	}

	noraFeed := feed("nora")
	cal, _ := read(noraFeed)
	callUID, callEv := one(byPrefix(cal, "Call: scene 5"), "call")
	if at := start(callEv); !at.Equal(callAt) {
		t.Errorf("call at %v, want %v", at, callAt)
	}
	riderUID, riderEv := one(byPrefix(cal, "Rider due"), "rider deadline")
	if at := start(riderEv); !at.Equal(callAt.Add(-48 * time.Hour)) {
		t.Errorf("rider deadline at %v, want 48 h before the call", at)
	}
	if len(byPrefix(cal, "Fitting")) != 0 || len(byPrefix(cal, "Shoot day")) != 0 {
		t.Error("the performer's feed holds a fitting or a shoot day she may not read")
	}

	// The schedule moves: the same UIDs, at the new times.
	moved := callAt.Add(24 * time.Hour)
	l.schedule("5", moved)
	cal, _ = read(noraFeed)
	uid, ev := one(byPrefix(cal, "Call: scene 5"), "call")
	if uid != callUID || !start(ev).Equal(moved) {
		t.Errorf("after the move: %s at %v, want %s at %v", uid, start(ev), callUID, moved)
	}
	if uid, ev := one(byPrefix(cal, "Rider due"), "rider deadline"); uid != riderUID || !start(ev).Equal(moved.Add(-48*time.Hour)) {
		t.Errorf("the deadline did not follow the call")
	}

	// The IC: the fitting (no text), the call, the riders' deadline.
	cal, _ = read(feed("ic"))
	_, fit := one(byPrefix(cal, "Fitting due: costume for scene 5"), "fitting")
	if !start(fit).Equal(due) {
		t.Errorf("fitting at %v, want %v", start(fit), due)
	}
	one(byPrefix(cal, "Riders due: scene 5"), "riders' deadline")
	one(byPrefix(cal, "Call: scene 5"), "call")
	// The department head: their fitting.
	cal, _ = read(feed("costume"))
	one(byPrefix(cal, "Fitting due: costume"), "fitting")

	// Signed, the performer's deadline is gone.
	for _, n := range []string{"8", "10", "10A"} { // a rider covers every flagged scene she is in
		l.plan(n, simplePlan(nora, "Nora is there; no contact."))
	}
	l.sign("nora", l.issue(nora), "Nora Vance")
	cal, _ = read(noraFeed)
	if len(byPrefix(cal, "Rider due")) != 0 {
		t.Error("a signed rider still has a deadline")
	}

	// Revoked: not found, like a token that never was.
	feeds, err := l.srv.ops.CalendarFeeds(context.Background(), ops.Caller{User: l.users["nora"]})
	if err != nil || len(feeds) != 1 {
		t.Fatalf("feeds %v, %v", feeds, err)
	}
	if err := l.srv.ops.RevokeCalendarFeed(context.Background(), ops.Caller{User: l.users["nora"]}, feeds[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{noraFeed, "/calendars/csc_nothing.ics", "/calendars/cs_" + strings.Repeat("A", 43)} {
		if w := l.do(call{method: "GET", path: url}); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", url, w.Code)
		}
	}
}
