package web

import (
	"closedset"
	"net/http"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"closedset/auth"
	"closedset/ops"
)

// calendarRoutes registers the calendar feeds (issue 17, item 1): the
// feed at its secret URL, which a calendar application polls with no
// session or header (the URL is the credential), and the account page's
// forms that make and revoke feeds.
func (s *Server) calendarRoutes() {
	s.route("GET /calendars/{token}", public, nil, s.calendarFeed)
	s.route("POST /account/calendars", auth.TokenCreate, s.selfScope(), s.pageCreateCalendar)
	s.route("POST /account/calendars/{id}/revoke", auth.TokenRevoke, s.selfScope(), s.pageRevokeCalendar)
}

// calendarFeed answers the feed as text/calendar: an unknown, revoked or
// malformed token is not found, the same answer for each.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request, rq *request) error {
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	hash, err := auth.ParseToken(token, auth.CalendarPrefix)
	if err != nil {
		return errorf(codeNotFound, "not found")
	}
	u, events, err := s.ops.Calendar(r.Context(), hash)
	if closedset.Is(err, closedset.NotFound) {
		return errorf(codeNotFound, "not found")
	} else if err != nil {
		return err
	}
	body := calendarBody(u, events, s.ops.Now(), baseURL(r))
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	_, err = w.Write([]byte(body))
	return err
}

// calendarBody is the feed as iCalendar (RFC 5545), written by
// golang-ical: timed events in UTC, all-day events as dates, each with
// the UID of its record so that a calendar updates an event rather than
// adding another when a call time moves.
func calendarBody(u auth.User, events []ops.CalendarEvent, now time.Time, base string) string {
	cal := ics.NewCalendarFor("closedset")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("closedset: " + u.Name)
	cal.SetXWRCalName("closedset: " + u.Name)
	cal.SetRefreshInterval("PT15M")
	cal.SetXPublishedTTL("PT15M")
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(now)
		ev.SetSummary(e.Summary)
		if e.AllDay {
			day := time.Date(e.Date.Year, e.Date.Month, e.Date.Day, 0, 0, 0, 0, time.UTC)
			ev.SetAllDayStartAt(day)
			ev.SetAllDayEndAt(day.AddDate(0, 0, 1))
		} else {
			ev.SetStartAt(e.Start)
			ev.SetEndAt(e.Start.Add(e.Length))
		}
		if e.Path != "" && base != "" {
			ev.SetURL(base + e.Path)
		}
	}
	return cal.Serialize()
}

// baseURL is the scheme and host the request came to, for links back.
func baseURL(r *http.Request) string {
	if r.Host == "" {
		return ""
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// pageCreateCalendar makes a feed and shows its URL once, on the account
// page (not redirected: the URL is a secret the store does not keep).
func (s *Server) pageCreateCalendar(w http.ResponseWriter, r *http.Request, rq *request) error {
	name := r.PostFormValue("name")
	if strings.TrimSpace(name) == "" {
		name = "My calendar"
	}
	_, plain, err := s.ops.CreateCalendarFeed(r.Context(), rq.caller(), name, s.rand)
	if err != nil {
		return formError(err, func(status int, msg string) error {
			return s.renderAccount(w, r, rq, status, accountPage{CalendarError: msg})
		})
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderAccount(w, r, rq, http.StatusOK, accountPage{NewCalendarURL: baseURL(r) + "/calendars/" + plain + ".ics"})
}

func (s *Server) pageRevokeCalendar(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.ops.RevokeCalendarFeed(r.Context(), rq.caller(), id); err != nil {
		return err
	}
	return redirect(w, r, "/account#calendars")
}
