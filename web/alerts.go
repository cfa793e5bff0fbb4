package web

import (
	"net/http"

	"closedset/alert"
	"closedset/auth"
)

// Alerts (issue 17): each user chooses their channels, on /account and
// through the API, and a browser subscribes to Web Push
// (static/push.js, static/sw.js).
func (s *Server) alertRoutes() {
	const v1 = "/api/v1"
	s.route("POST /account/alerts", auth.AlertsWrite, s.selfScope(), s.pageSetAlerts)
	s.route("GET "+v1+"/me/alerts", auth.AlertsRead, s.selfScope(), s.apiAlerts)
	s.route("PUT "+v1+"/me/alerts", auth.AlertsWrite, s.selfScope(), s.apiSetAlerts)
	s.route("POST "+v1+"/me/push-subscriptions", auth.AlertsWrite, s.selfScope(), s.apiSubscribePush)
}

// alertsOut is a user's alert settings: their choice, and what this
// server delivers on (e-mail only with SMTP configured).
type alertsOut struct {
	Email     bool           `json:"email"`
	Push      bool           `json:"push"`
	Available alertsChannels `json:"available"`
	// VAPIDPublicKey is what a browser subscribes to push with.
	VAPIDPublicKey string `json:"vapid_public_key,omitempty"`
}

type alertsChannels struct {
	Email bool `json:"email"`
	Push  bool `json:"push"`
}

func (s *Server) alertsOf(r *http.Request, rq *request) (alertsOut, error) {
	p, err := s.ops.AlertPrefs(r.Context(), rq.caller())
	if err != nil {
		return alertsOut{}, err
	}
	email, push := s.ops.AlertChannels()
	return alertsOut{Email: p.Email, Push: p.Push, Available: alertsChannels{email, push}, VAPIDPublicKey: s.ops.VAPIDPublicKey()}, nil
}

func (s *Server) apiAlerts(w http.ResponseWriter, r *http.Request, rq *request) error {
	out, err := s.alertsOf(r, rq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiSetAlerts(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in alert.Prefs
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.ops.SetAlertPrefs(r.Context(), rq.caller(), in); err != nil {
		return err
	}
	return s.apiAlerts(w, r, rq)
}

// pushSubscriptionIn is a PushSubscription as the browser's toJSON gives
// it.
type pushSubscriptionIn struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
	ExpirationTime *float64 `json:"expirationTime"`
}

func (s *Server) apiSubscribePush(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in pushSubscriptionIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sub := alert.Subscription{Endpoint: in.Endpoint, P256dh: in.Keys.P256dh, Auth: in.Keys.Auth}
	if err := s.ops.SubscribePush(r.Context(), rq.caller(), sub); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"subscribed": true})
}

// pageSetAlerts records the channels ticked on /account and goes back
// to it (POST-redirect-GET).
func (s *Server) pageSetAlerts(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := alert.Prefs{Email: r.PostFormValue("email") == "on", Push: r.PostFormValue("push") == "on"}
	if err := s.ops.SetAlertPrefs(r.Context(), rq.caller(), p); err != nil {
		return err
	}
	return redirect(w, r, "/account#alerts")
}
