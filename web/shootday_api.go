package web

import (
	"bytes"
	"closedset"
	"context"
	"net/http"
	"strconv"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/docs"
	"closedset/production"
)

// shootDayAPIRoutes registers the shoot day's API, part A of issue 13:
// department requests, shoot days and their board, closed-set lists.
func (s *Server) shootDayAPIRoutes() {
	const v1 = "/api/v1"
	s.route("POST "+v1+"/scenes/{id}/requests", auth.RequestCreate, s.sceneScope("id"), s.apiRaiseRequest)
	s.route("GET "+v1+"/scenes/{id}/requests", auth.RequestList, s.sceneScope("id"), s.apiSceneRequests)
	s.route("GET "+v1+"/productions/{id}/requests", auth.RequestList, s.productionScope("id"), s.apiProductionRequests)
	s.route("GET "+v1+"/requests/{id}", auth.RequestRead, s.requestScope("id"), s.apiRequest)
	s.route("POST "+v1+"/requests/{id}/state", auth.RequestState, s.requestScope("id"), s.apiRequestState)

	s.route("POST "+v1+"/productions/{id}/shoot-days", auth.ShootDayWrite, s.productionScope("id"), s.apiCreateShootDay)
	s.route("GET "+v1+"/productions/{id}/shoot-days", auth.ShootDayRead, s.productionScope("id"), s.apiShootDays)
	s.route("GET "+v1+"/shoot-days/{id}", auth.ShootDayRead, s.dayScope("id"), s.apiShootDay)
	s.route("PUT "+v1+"/shoot-days/{id}/scenes", auth.ShootDayWrite, s.dayScope("id"), s.apiSetShootDayScenes)

	s.route("PUT "+v1+"/scenes/{id}/closed-set", auth.ClosedSetWrite, s.sceneScope("id"), s.apiPutClosedSet)
	s.route("GET "+v1+"/scenes/{id}/closed-set", auth.ClosedSetRead, s.sceneScope("id"), s.apiClosedSet(""))
	s.route("GET "+v1+"/scenes/{id}/closed-set.pdf", auth.ClosedSetRead, s.sceneScope("id"), s.apiClosedSet("pdf"))
	s.route("GET "+v1+"/scenes/{id}/closed-set.html", auth.ClosedSetRead, s.sceneScope("id"), s.apiClosedSet("html"))
	s.route("POST "+v1+"/scenes/{id}/closed-set/approve", auth.ClosedSetApprove, s.sceneScope("id"), s.apiApproveClosedSet)
}

// requestScope: the parameter is a department request's id; own when its
// department is one of the user's roles in its production.
func (s *Server) requestScope(param string) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		if err != nil {
			return 0, false, err
		}
		dr, err := s.ops.Request(r.Context(), id)
		if closedset.Is(err, closedset.NotFound) {
			return 0, false, errorf(codeNotFound, "not found")
		} else if err != nil {
			return 0, false, err
		}
		roles, err := s.ops.Roles(r.Context(), dr.ProductionID, rq.User.ID)
		if err != nil {
			return 0, false, err
		}
		return dr.ProductionID, roles.Has(dr.Department), nil
	}
}

// dayScope: the parameter is a shoot day's id.
func (s *Server) dayScope(param string) scopeFunc {
	return s.loadScope(param, func(ctx context.Context, id int64) (int64, error) {
		d, err := s.ops.ShootDay(ctx, id)
		return d.ProductionID, err
	})
}

// requestIn is a request to raise.
type requestIn struct {
	Department  string `json:"department"`
	Text        string `json:"text"`
	Due         string `json:"due"` // RFC 3339, or local in the production's zone
	PerformerID int64  `json:"performer_id"`
}

// raiseRequest reads a request to raise (the API's and the form's) and
// raises it.
func (s *Server) raiseRequest(ctx context.Context, rq *request, sceneID int64, in requestIn) (production.Request, error) {
	dept, err := auth.ParseDepartment(in.Department)
	if err != nil {
		return production.Request{}, err
	}
	_, tz, err := s.ops.ProductionZone(ctx, rq.ProductionID)
	if err != nil {
		return production.Request{}, err
	}
	due, err := parseLocalTime("due", in.Due, tz)
	if err != nil {
		return production.Request{}, err
	}
	return s.ops.RaiseRequest(ctx, rq.caller(), production.NewRequest{SceneID: sceneID, Department: dept, Text: in.Text, Due: due, PerformerID: in.PerformerID})
}

// parseLocalTime is parseCallTime for another field: its error names it.
func parseLocalTime(field, v string, tz *time.Location) (time.Time, error) {
	t, err := parseCallTime(v, tz)
	if err != nil {
		return time.Time{}, closedset.FieldErrorf(closedset.Invalid, field, "%q is not a time like 2026-03-05T07:30 (in the production's time zone) or RFC 3339", clipText(v, 60))
	}
	return t, nil
}

func (s *Server) apiRaiseRequest(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in requestIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	dr, err := s.raiseRequest(r.Context(), rq, id, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/requests/"+strconv.FormatInt(dr.ID, 10))
	return writeJSON(w, http.StatusCreated, requestJSON(dr, nil))
}

func (s *Server) apiSceneRequests(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	rs, err := s.ops.RequestsOfScene(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"requests": requestsJSON(rs)})
}

func (s *Server) apiProductionRequests(w http.ResponseWriter, r *http.Request, rq *request) error {
	rs, err := s.ops.RequestsOfProduction(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"requests": requestsJSON(rs)})
}

func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	dr, h, err := s.ops.RequestWithHistory(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, requestJSON(dr, h))
}

// requestStateIn is a change of a request's state.
type requestStateIn struct {
	State string `json:"state"`
	Note  string `json:"note"`
}

func (s *Server) apiRequestState(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in requestStateIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	st, err := production.ParseRequestState(in.State)
	if err != nil {
		return err
	}
	dr, err := s.ops.SetRequestState(r.Context(), rq.caller(), id, st, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, requestJSON(dr, nil))
}

// requestOut is a request as the API answers it.
type requestOut struct {
	ID          int64             `json:"id"`
	SceneID     int64             `json:"scene_id"`
	Department  string            `json:"department"`
	Text        string            `json:"text"`
	Due         time.Time         `json:"due"`
	PerformerID int64             `json:"performer_id,omitempty"`
	State       string            `json:"state"`
	Note        string            `json:"note"`
	By          int64             `json:"by"`
	At          time.Time         `json:"at"`
	StateAt     time.Time         `json:"state_at"`
	History     []requestStateOut `json:"history,omitempty"`
}

type requestStateOut struct {
	State string    `json:"state"`
	Note  string    `json:"note"`
	By    int64     `json:"by"`
	At    time.Time `json:"at"`
}

func requestJSON(r production.Request, h []production.RequestChange) requestOut {
	out := requestOut{ID: r.ID, SceneID: r.SceneID, Department: string(r.Department), Text: r.Text, Due: r.Due, PerformerID: r.PerformerID,
		State: string(r.State), Note: r.Note, By: r.By, At: r.At, StateAt: r.StateAt}
	for _, c := range h {
		out.History = append(out.History, requestStateOut{State: string(c.State), Note: c.Note, By: c.By, At: c.At})
	}
	return out
}

func requestsJSON(rs []production.Request) []requestOut {
	out := make([]requestOut, len(rs))
	for i, r := range rs {
		out[i] = requestJSON(r, nil)
	}
	return out
}

// Shoot days.

// shootDayIn is a day to make, or a day's new scene list (date unused).
type shootDayIn struct {
	Date     string  `json:"date"` // YYYY-MM-DD
	SceneIDs []int64 `json:"scene_ids"`
}

func (s *Server) apiCreateShootDay(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in shootDayIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	date, err := production.ParseDate(in.Date)
	if err != nil {
		return closedset.FieldErrorf(closedset.Invalid, "date", "%q is not a date like 2026-06-15", clipText(in.Date, 40))
	}
	d, err := s.ops.CreateShootDay(r.Context(), rq.caller(), date, in.SceneIDs)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/shoot-days/"+strconv.FormatInt(d.ID, 10))
	return writeJSON(w, http.StatusCreated, dayJSON(d))
}

func (s *Server) apiShootDays(w http.ResponseWriter, r *http.Request, rq *request) error {
	ds, err := s.ops.ShootDaysOf(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	out := make([]dayOut, len(ds))
	for i, d := range ds {
		out[i] = dayJSON(d)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"shoot_days": out})
}

func (s *Server) apiShootDay(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	b, err := s.ops.DayBoard(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	out := boardOut{dayOut: dayJSON(b.Day), NotReady: b.NotReady, Scenes: []boardSceneOut{}}
	for _, bs := range b.Scenes {
		out.Scenes = append(out.Scenes, boardSceneOut{ID: bs.Scene.ID, Number: bs.Scene.Number, Heading: bs.Scene.Heading,
			Intimate: bs.Intimate, CallTime: bs.CallTime, OffDay: bs.OffDay, CarriedFrom: bs.Carried,
			Ready: bs.Readiness.Ready, Blockers: bs.Readiness.Blockers})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiSetShootDayScenes(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		SceneIDs []int64 `json:"scene_ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.ops.SetShootDayScenes(r.Context(), rq.caller(), id, in.SceneIDs)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, dayJSON(d))
}

type dayOut struct {
	ID       int64     `json:"id"`
	Date     string    `json:"date"`
	SceneIDs []int64   `json:"scene_ids"`
	Version  int       `json:"version"`
	At       time.Time `json:"at"`
}

func dayJSON(d production.Day) dayOut {
	return dayOut{ID: d.ID, Date: d.Date.String(), SceneIDs: d.SceneIDs, Version: d.Version, At: d.At}
}

// boardOut is a day's board: each scene's readiness, status only.
type boardOut struct {
	dayOut
	NotReady int             `json:"not_ready"`
	Scenes   []boardSceneOut `json:"scenes"`
}

type boardSceneOut struct {
	ID          int64             `json:"id"`
	Number      string            `json:"number"`
	Heading     string            `json:"heading"`
	Intimate    bool              `json:"intimate"`
	CallTime    *time.Time        `json:"call_time"`
	OffDay      bool              `json:"call_time_on_another_day,omitempty"`
	CarriedFrom int64             `json:"carried_from,omitempty"`
	Ready       bool              `json:"ready"`
	Blockers    []consent.Blocker `json:"blockers"`
}

// Closed-set lists.

func (s *Server) apiPutClosedSet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	if err := requireJSON(r); err != nil {
		return err
	}
	cs, err := production.DecodeClosedSet(r.Body)
	if err != nil {
		return err
	}
	v, err := s.ops.PutClosedSet(r.Context(), rq.caller(), id, cs)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, closedSetJSON(v))
}

func (s *Server) apiClosedSet(ext string) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, _ := pathID(r, "id")
		ctx := r.Context()
		if ext == "" {
			v, ok, err := s.ops.SceneClosedSet(ctx, rq.caller(), id)
			if err != nil {
				return err
			}
			if !ok {
				return errorf(codeNotFound, "scene %d has no closed-set list yet", id)
			}
			return writeJSON(w, http.StatusOK, closedSetJSON(v))
		}
		n, err := s.ops.ClosedSetNotice(ctx, rq.caller(), id)
		if err != nil {
			return err
		}
		name := "closed-set-scene-" + strconv.FormatInt(id, 10)
		if ext == "pdf" {
			paper, err := s.paper(ctx, rq.ProductionID)
			if err != nil {
				return err
			}
			return renderDoc(w, ext, name, func(b *bytes.Buffer) error { return docs.RenderClosedSetPDF(b, n, paper) })
		}
		return renderDoc(w, ext, name, func(b *bytes.Buffer) error { return docs.RenderClosedSetHTML(b, n) })
	}
}

func (s *Server) apiApproveClosedSet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		Version int `json:"version"`
	}
	// The body is optional: without one the current version is approved.
	if err := decodeOptionalJSON(r, &in); err != nil {
		return err
	}
	v, err := s.ops.ApproveClosedSet(r.Context(), rq.caller(), id, in.Version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, closedSetJSON(v))
}

// closedSetOut is a list version with its approvals.
type closedSetOut struct {
	SceneID   int64                  `json:"scene_id"`
	Version   int                    `json:"version"`
	Hash      string                 `json:"hash"`
	Approved  bool                   `json:"approved"`
	Awaiting  []string               `json:"awaiting"`
	Approvals []closedSetApprovalOut `json:"approvals"`
	By        int64                  `json:"by"`
	At        time.Time              `json:"at"`
	production.ClosedSet
}

type closedSetApprovalOut struct {
	Version int       `json:"version"`
	Role    string    `json:"role"`
	By      int64     `json:"by"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
}

func closedSetJSON(v production.ClosedSetVersion) closedSetOut {
	out := closedSetOut{SceneID: v.SceneID, Version: v.Version, Hash: v.Hash, Approved: v.Approved(), Awaiting: []string{},
		Approvals: []closedSetApprovalOut{}, By: v.By, At: v.At, ClosedSet: v.List}
	for _, r := range v.Missing() {
		out.Awaiting = append(out.Awaiting, string(r))
	}
	for _, a := range v.Approvals {
		out.Approvals = append(out.Approvals, closedSetApprovalOut{Version: a.Version, Role: string(a.Role), By: a.By, Name: a.ByName, At: a.At})
	}
	return out
}
