package web

import (
	"bytes"
	"closedset"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/shoot"
)

// shootAPIRoutes registers the shoot day's API (issue 13, part B):
// rehearsals, takes and check-ins, the resume, deviations and closure.
func (s *Server) shootAPIRoutes() {
	const v1 = "/api/v1"
	s.route("POST "+v1+"/scenes/{id}/rehearsals", auth.RehearsalWrite, s.sceneScope("id"), s.apiRecordRehearsal)
	s.route("GET "+v1+"/scenes/{id}/rehearsals", auth.RehearsalRead, s.sceneScope("id"), s.apiRehearsals)
	s.route("POST "+v1+"/scenes/{id}/takes", auth.TakeLog, s.sceneScope("id"), s.apiLogTake)
	s.route("GET "+v1+"/scenes/{id}/takes", auth.TakeRead, s.sceneScope("id"), s.apiTakes)
	s.route("POST "+v1+"/scenes/{id}/resume", auth.TakeLog, s.sceneScope("id"), s.apiResume)
	s.route("GET "+v1+"/takes/{id}", auth.TakeRead, s.takeScope("id"), s.apiTake)
	// Checking in is the performer's own act, or an IC's on their word:
	// the handler asks the table which the record allows.
	s.routeOr("POST "+v1+"/takes/{id}/check-ins", auth.TakeCheckIn, auth.TakeCheckInFor, s.takeScope("id"), s.apiCheckIn)
	s.route("POST "+v1+"/takes/{id}/deviations", auth.TakeLog, s.takeScope("id"), s.apiDeviation)
	s.route("POST "+v1+"/scenes/{id}/step-outs", auth.ClosureWrite, s.sceneScope("id"), s.apiStepOut)
	s.route("POST "+v1+"/scenes/{id}/debriefs", auth.DebriefWrite, s.sceneScope("id"), s.apiDebrief)
	s.route("POST "+v1+"/scenes/{id}/crew-debriefs", auth.ClosureWrite, s.sceneScope("id"), s.apiCrewDebrief)
	s.route("GET "+v1+"/scenes/{id}/closure", auth.ClosureRead, s.sceneScope("id"), s.apiClosure)
}

// takeScope: the parameter is a take id; its production is its scene's,
// and it is the user's own when they are cast in the scene.
func (s *Server) takeScope(param string) scopeFunc {
	scene := s.sceneScope("scene")
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		if err != nil {
			return 0, false, err
		}
		t, err := s.ops.Take(r.Context(), id)
		if closedset.Is(err, closedset.NotFound) {
			return 0, false, errorf(codeNotFound, "not found")
		} else if err != nil {
			return 0, false, err
		}
		r2 := r.Clone(r.Context())
		r2.SetPathValue("scene", strconv.FormatInt(t.SceneID, 10))
		return scene(r2, rq)
	}
}

// Rehearsals.

// rehearsalIn is POST /scenes/{id}/rehearsals: who was there, what was
// walked, the changes, and the plan as changed (optional).
type rehearsalIn struct {
	Performers []int64         `json:"performers"`
	Others     []shoot.Person  `json:"others"`
	Walked     string          `json:"walked"`
	Changes    string          `json:"changes"`
	Plan       json.RawMessage `json:"plan"`
}

type rehearsalOut struct {
	ID          int64          `json:"id"`
	SceneID     int64          `json:"scene_id"`
	Performers  []int64        `json:"performers"`
	Others      []shoot.Person `json:"others"`
	Walked      string         `json:"walked"`
	Changes     string         `json:"changes"`
	PlanVersion int            `json:"plan_version,omitempty"`
	At          time.Time      `json:"at"`
}

func rehearsalJSON(r shoot.Rehearsal) rehearsalOut {
	out := rehearsalOut{ID: r.ID, SceneID: r.SceneID, Performers: r.Performers, Others: r.Others,
		Walked: r.Walked, Changes: r.Changes, PlanVersion: r.PlanVersion, At: r.At}
	if out.Performers == nil {
		out.Performers = []int64{}
	}
	if out.Others == nil {
		out.Others = []shoot.Person{}
	}
	return out
}

type afterChangeOut struct {
	PerformerID  int64         `json:"performer_id"`
	State        consent.State `json:"state"`
	CanReconfirm bool          `json:"can_reconfirm"`
}

func (s *Server) apiRecordRehearsal(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in rehearsalIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	oi := ops.RehearsalIn{Performers: in.Performers, Others: in.Others, Walked: in.Walked, Changes: in.Changes}
	if len(in.Plan) > 0 && string(in.Plan) != "null" {
		p, err := consent.DecodePlan(bytes.NewReader(in.Plan))
		if err != nil {
			return err
		}
		oi.Plan = &p
	}
	res, err := s.ops.RecordRehearsal(r.Context(), rq.caller(), id, oi)
	if err != nil {
		return err
	}
	// Status only: what changed for each performer is theirs and the IC's
	// to read, on the plan and at re-confirmation.
	consents := []afterChangeOut{}
	for _, c := range res.Consents {
		consents = append(consents, afterChangeOut{PerformerID: c.PerformerID, State: c.State, CanReconfirm: c.CanReconfirm})
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"rehearsal": rehearsalJSON(res.Rehearsal), "consents": consents})
}

func (s *Server) apiRehearsals(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	rs, err := s.ops.Rehearsals(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]rehearsalOut, len(rs))
	for i, rh := range rs {
		out[i] = rehearsalJSON(rh)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"rehearsals": out})
}

// Takes.

type checkInOut struct {
	PerformerID int64        `json:"performer_id"`
	Answer      shoot.Answer `json:"answer"`
	OnBehalf    bool         `json:"on_behalf"`
	At          time.Time    `json:"at"`
}

type deviationOut struct {
	ID       int64     `json:"id"`
	Text     string    `json:"text"`
	AgreedBy []int64   `json:"agreed_by"`
	Incident bool      `json:"incident"`
	At       time.Time `json:"at"`
}

type takeOut struct {
	ID         int64           `json:"id"`
	SceneID    int64           `json:"scene_id"`
	Number     int             `json:"number"`
	State      shoot.TakeState `json:"state"`
	At         time.Time       `json:"at"`
	RolledAt   *time.Time      `json:"rolled_at,omitempty"`
	Performers []int64         `json:"performers"`
	Waiting    []int64         `json:"waiting"`
	CheckIns   []checkInOut    `json:"check_ins"`
	Deviations []deviationOut  `json:"deviations"`
}

func takeJSON(t shoot.Take) takeOut {
	st, rolled := t.State()
	out := takeOut{ID: t.ID, SceneID: t.SceneID, Number: t.Number, State: st, At: t.At,
		Performers: nonNilIDs(t.Performers), Waiting: nonNilIDs(t.Waiting()), CheckIns: []checkInOut{}, Deviations: []deviationOut{}}
	if !rolled.IsZero() {
		out.RolledAt = &rolled
	}
	for _, c := range t.CheckIns {
		out.CheckIns = append(out.CheckIns, checkInOut{PerformerID: c.PerformerID, Answer: c.Answer, OnBehalf: c.OnBehalf, At: c.At})
	}
	for _, d := range t.Deviations {
		out.Deviations = append(out.Deviations, deviationOut{ID: d.ID, Text: d.Text, AgreedBy: nonNilIDs(d.AgreedBy), Incident: d.Incident, At: d.At})
	}
	return out
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func (s *Server) apiLogTake(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct{}
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	t, err := s.ops.LogTake(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/takes/"+strconv.FormatInt(t.ID, 10))
	return writeJSON(w, http.StatusCreated, takeJSON(t))
}

type pauseOut struct {
	TakeID      int64      `json:"take_id"`
	PerformerID int64      `json:"performer_id"`
	At          time.Time  `json:"at"`
	ResumedAt   *time.Time `json:"resumed_at,omitempty"`
}

// sceneTakes is a scene's takes and pauses, and whether a pause holds it.
func (s *Server) sceneTakes(ctx context.Context, sceneID int64) (map[string]any, error) {
	ts, err := s.ops.Takes(ctx, sceneID)
	if err != nil {
		return nil, err
	}
	ps, err := s.ops.Pauses(ctx, sceneID)
	if err != nil {
		return nil, err
	}
	takes := make([]takeOut, len(ts))
	for i, t := range ts {
		takes[i] = takeJSON(t)
	}
	pauses, paused := []pauseOut{}, false
	for _, p := range ps {
		po := pauseOut{TakeID: p.TakeID, PerformerID: p.PerformerID, At: p.At}
		if !p.Open() {
			at := p.ResumedAt
			po.ResumedAt = &at
		}
		paused = paused || p.Open()
		pauses = append(pauses, po)
	}
	return map[string]any{"scene_id": sceneID, "paused": paused, "takes": takes, "pauses": pauses}, nil
}

func (s *Server) apiTakes(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	out, err := s.sceneTakes(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiTake(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	t, _, err := s.ops.TakeInProduction(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, takeJSON(t))
}

func (s *Server) apiResume(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	if _, err := s.ops.Resume(r.Context(), rq.caller(), id); err != nil {
		return err
	}
	out, err := s.sceneTakes(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// checkInIn is POST /takes/{id}/check-ins.
type checkInIn struct {
	PerformerID int64  `json:"performer_id"`
	Answer      string `json:"answer"`
}

func (s *Server) apiCheckIn(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in checkInIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.PerformerID <= 0 {
		return errorf(codeBadRequest, "performer_id is missing")
	}
	t, err := s.ops.CheckIn(r.Context(), rq.caller(), id, in.PerformerID, in.Answer)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, takeJSON(t))
}

// deviationIn is POST /takes/{id}/deviations.
type deviationIn struct {
	Text     string  `json:"text"`
	AgreedBy []int64 `json:"agreed_by"`
}

func (s *Server) apiDeviation(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in deviationIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.ops.AddDeviation(r.Context(), rq.caller(), id, in.Text, in.AgreedBy)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, deviationOut{ID: d.ID, Text: d.Text, AgreedBy: nonNilIDs(d.AgreedBy), Incident: d.Incident, At: d.At})
}

// Closure.

func (s *Server) apiStepOut(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		PerformerID int64 `json:"performer_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.PerformerID <= 0 {
		return errorf(codeBadRequest, "performer_id is missing")
	}
	so, err := s.ops.StepOut(r.Context(), rq.caller(), id, in.PerformerID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"id": so.ID, "scene_id": so.SceneID, "performer_id": so.PerformerID, "at": so.At})
}

// debriefIn is POST /scenes/{id}/debriefs: private notes.
type debriefIn struct {
	PerformerID     int64  `json:"performer_id"`
	Notes           string `json:"notes"`
	FollowUpOffered bool   `json:"follow_up_offered"`
}

type debriefOut struct {
	ID              int64     `json:"id"`
	PerformerID     int64     `json:"performer_id"`
	FollowUpOffered bool      `json:"follow_up_offered"`
	At              time.Time `json:"at"`
	// Notes only for the performer and the ICs.
	Notes *string `json:"notes,omitempty"`
}

func (s *Server) apiDebrief(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in debriefIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.PerformerID <= 0 {
		return errorf(codeBadRequest, "performer_id is missing")
	}
	d, err := s.ops.Debrief(r.Context(), rq.caller(), id, in.PerformerID, in.Notes, in.FollowUpOffered)
	if err != nil {
		return err
	}
	// The notes are not echoed: the writer has them.
	return writeJSON(w, http.StatusCreated, debriefOut{ID: d.ID, PerformerID: d.PerformerID, FollowUpOffered: d.FollowUpOffered, At: d.At})
}

// crewDebriefIn is POST /scenes/{id}/crew-debriefs.
type crewDebriefIn struct {
	HeldBy string `json:"held_by"`
	HeldAt string `json:"held_at"` // RFC 3339 or local; "" now
	Notes  string `json:"notes"`
}

type crewDebriefOut struct {
	ID     int64     `json:"id"`
	HeldBy string    `json:"held_by"`
	HeldAt time.Time `json:"held_at"`
	Notes  string    `json:"notes"`
}

func (s *Server) apiCrewDebrief(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in crewDebriefIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var at time.Time
	if in.HeldAt != "" {
		_, tz, err := s.ops.ProductionZone(r.Context(), rq.ProductionID)
		if err != nil {
			return err
		}
		if at, err = parseCallTime(in.HeldAt, tz); err != nil {
			return closedset.FieldErrorf(closedset.Invalid, "held_at", "held_at %q is not a time like 2026-03-05T18:30", clipText(in.HeldAt, 40))
		}
	}
	d, err := s.ops.CrewDebrief(r.Context(), rq.caller(), id, in.HeldBy, at, in.Notes)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, crewDebriefOut{ID: d.ID, HeldBy: d.HeldBy, HeldAt: d.HeldAt, Notes: d.Notes})
}

func (s *Server) apiClosure(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	cl, err := s.ops.SceneClosure(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	stepOuts := []map[string]any{}
	for _, so := range cl.StepOuts {
		stepOuts = append(stepOuts, map[string]any{"performer_id": so.PerformerID, "at": so.At})
	}
	debriefs := []debriefOut{}
	for _, d := range cl.Debriefs {
		o := debriefOut{ID: d.ID, PerformerID: d.PerformerID, FollowUpOffered: d.FollowUpOffered, At: d.At}
		if d.NotesShown {
			notes := d.Notes
			o.Notes = &notes
		}
		debriefs = append(debriefs, o)
	}
	crew := []crewDebriefOut{}
	for _, c := range cl.CrewDebriefs {
		crew = append(crew, crewDebriefOut{ID: c.ID, HeldBy: c.HeldBy, HeldAt: c.HeldAt, Notes: c.Notes})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"scene_id": id, "step_outs": stepOuts, "debriefs": debriefs, "crew_debriefs": crew})
}
