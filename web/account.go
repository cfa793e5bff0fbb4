package web

import (
	"net/http"
	"time"

	"closedset/auth"
)

// accountRoutes registers the signed-in user's own page: their API tokens,
// each with when it was made, last used and expires, and a button that
// revokes it.
func (s *Server) accountRoutes() {
	s.route("GET /account", auth.TokenList, s.selfScope(), s.pageAccount)
	s.route("POST /account/tokens/{id}/revoke", auth.TokenRevoke, s.selfScope(), s.pageRevokeToken)
	s.calendarRoutes()
}

type accountPage struct {
	Tokens []auth.Token
	Now    time.Time // tokens past their expiry show as expired
	// Calendars are the user's calendar feeds; NewCalendarURL the URL of
	// the one just made, shown once; CalendarError why one was not.
	Calendars      []auth.Token
	NewCalendarURL string
	CalendarError  string
	Alerts         alertsOut
}

func (s *Server) pageAccount(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderAccount(w, r, rq, http.StatusOK, accountPage{})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, rq *request, status int, page accountPage) error {
	ts, err := s.ops.Tokens(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	page.Tokens, page.Now = ts, s.now()
	if page.Calendars, err = s.ops.CalendarFeeds(r.Context(), rq.caller()); err != nil {
		return err
	}
	if page.Alerts, err = s.alertsOf(r, rq); err != nil {
		return err
	}
	return renderPage(w, status, "account", s.view(rq, "My account", page))
}

// pageRevokeToken revokes one of the user's tokens and goes back to the
// list (POST-redirect-GET); someone else's token is not found.
func (s *Server) pageRevokeToken(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.ops.RevokeToken(r.Context(), rq.caller(), id); err != nil {
		return err
	}
	return redirect(w, r, "/account#tokens")
}
