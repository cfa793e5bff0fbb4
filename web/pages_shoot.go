package web

import (
	"closedset"
	"net/http"
	"strconv"
	"strings"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
	"closedset/shoot"
)

// The shoot day's pages (issue 13, part B), phone first: the take page
// of a scene is the IC's (log a take, see the check-ins, resume a pause,
// note a deviation, a debrief) and, for a performer in the take's
// action, their own check-in with three large buttons. Plain forms, no
// script needed; live.js refreshes the page when anything changes.
func (s *Server) shootPageRoutes() {
	s.route("GET /scenes/{id}/takes", auth.TakeRead, s.sceneScope("id"), s.pageTakes)
	s.route("POST /scenes/{id}/takes", auth.TakeLog, s.sceneScope("id"), s.pageLogTake)
	s.routeOr("POST /scenes/{id}/check-ins", auth.TakeCheckIn, auth.TakeCheckInFor, s.sceneScope("id"), s.pageCheckIn)
	s.route("POST /scenes/{id}/resume", auth.TakeLog, s.sceneScope("id"), s.pageResume)
	s.route("POST /scenes/{id}/deviations", auth.TakeLog, s.sceneScope("id"), s.pageDeviation)
	s.route("POST /scenes/{id}/debriefs", auth.DebriefWrite, s.sceneScope("id"), s.pageDebrief)
	s.route("POST /scenes/{id}/rehearsals", auth.RehearsalWrite, s.sceneScope("id"), s.pageRehearsal)
	s.route("POST /scenes/{id}/step-outs", auth.ClosureWrite, s.sceneScope("id"), s.pageStepOut)
	s.route("POST /scenes/{id}/crew-debriefs", auth.ClosureWrite, s.sceneScope("id"), s.pageCrewDebrief)
}

// takesPage is the take page of one scene.
type takesPage struct {
	Production production.Production
	Scene      production.Scene
	Zone       *time.Location
	Readiness  consent.Result
	Paused     []pauseLine
	Latest     *takeView // nil before the first take
	Earlier    []takeView
	Names      map[int64]string
	Me         int64 // the user's performer id, 0 if none
	MayLog     bool  // an IC: log, resume, deviations, check-ins on a performer's word
	MayDebrief bool
	PauseWord  string
	Error      string

	// The rehearsal record (an IC): the scene's cast to tick, and the
	// rehearsals so far.
	MayRehearse bool
	Cast        []production.Performer
	Rehearsals  []shoot.Rehearsal
	// Closure at wrap (an IC): each performer's step-out, and the crew's
	// debrief when the scene calls for one (CrewDue: nudity or simulated
	// sex, flagged or planned).
	MayClose     bool
	StepOuts     []shoot.StepOut
	CrewDue      bool
	CrewDebriefs []shoot.CrewDebrief
	UserName     string
}

// SteppedOut is when the performer last stepped out, nil if never.
func (p takesPage) SteppedOut(performerID int64) *time.Time {
	var out *time.Time
	for _, so := range p.StepOuts {
		if so.PerformerID == performerID {
			at := so.At
			out = &at
		}
	}
	return out
}

type pauseLine struct {
	Name string
	At   time.Time
}

type takeView struct {
	Take     shoot.Take
	State    shoot.TakeState
	Waiting  []int64
	MineOpen bool // the user is in its action and may still answer
}

func (s *Server) pageTakes(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	return s.renderTakes(w, r, rq, id, http.StatusOK, "")
}

func (s *Server) renderTakes(w http.ResponseWriter, r *http.Request, rq *request, sceneID int64, status int, msg string) error {
	ctx := r.Context()
	c := rq.caller()
	sc, err := s.ops.SceneInProduction(ctx, c, sceneID)
	if err != nil {
		return err
	}
	prod, tz, err := s.ops.ProductionZone(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	pol, err := s.ops.Policy(ctx, prod)
	if err != nil {
		return err
	}
	page := takesPage{Production: prod, Scene: sc, Zone: tz, Names: map[int64]string{}, PauseWord: pol.PauseWord, Error: msg,
		MayLog: rq.Can(auth.TakeLog), MayDebrief: auth.Can(rq.Principal(), auth.DebriefWrite, false)}
	if page.Readiness, err = s.ops.Readiness(ctx, sceneID); err != nil {
		return err
	}
	ps, err := s.ops.Performers(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	for _, p := range ps {
		page.Names[p.ID] = p.Name
	}
	if me, ok, err := s.ops.PerformerOf(ctx, c); err != nil {
		return err
	} else if ok {
		page.Me = me.ID
	}
	pauses, err := s.ops.Pauses(ctx, sceneID)
	if err != nil {
		return err
	}
	for _, p := range pauses {
		if p.Open() {
			page.Paused = append(page.Paused, pauseLine{Name: page.Names[p.PerformerID], At: p.At})
		}
	}
	takes, err := s.ops.Takes(ctx, sceneID)
	if err != nil {
		return err
	}
	for i := len(takes) - 1; i >= 0; i-- {
		st, _ := takes[i].State()
		v := takeView{Take: takes[i], State: st, Waiting: takes[i].Waiting()}
		if page.Latest == nil {
			v.MineOpen = page.Me != 0 && takes[i].InAction(page.Me) && (st == shoot.Pending || st == shoot.Rolled)
			page.Latest = &v
			continue
		}
		page.Earlier = append(page.Earlier, v)
	}
	if err := s.takesClosure(r, rq, sc, &page); err != nil {
		return err
	}
	title := "Takes · scene " + sc.Number
	return renderPage(w, status, "takes", s.liveView(rq, title, page, prod.ID))
}

// afterTake sends the browser back to the take page, or shows it again
// with the error.
func (s *Server) afterTake(w http.ResponseWriter, r *http.Request, rq *request, sceneID int64, err error) error {
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderTakes(w, r, rq, sceneID, status, msg) })
	}
	return redirect(w, r, "/scenes/"+strconv.FormatInt(sceneID, 10)+"/takes")
}

func (s *Server) pageLogTake(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	_, err := s.ops.LogTake(r.Context(), rq.caller(), id)
	return s.afterTake(w, r, rq, id, err)
}

func (s *Server) pageCheckIn(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	takeID, err := formID(r, "take_id")
	if err != nil {
		return s.afterTake(w, r, rq, id, err)
	}
	performerID, err := formID(r, "performer_id")
	if err != nil {
		return s.afterTake(w, r, rq, id, err)
	}
	t, _, err := s.ops.TakeInProduction(r.Context(), rq.caller(), takeID)
	if err == nil && t.SceneID != id {
		err = errorf(codeNotFound, "take %d is not of scene %d", takeID, id)
	}
	if err == nil {
		_, err = s.ops.CheckIn(r.Context(), rq.caller(), takeID, performerID, r.PostFormValue("answer"))
	}
	return s.afterTake(w, r, rq, id, err)
}

func (s *Server) pageResume(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	_, err := s.ops.Resume(r.Context(), rq.caller(), id)
	return s.afterTake(w, r, rq, id, err)
}

func (s *Server) pageDeviation(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	takeID, err := formID(r, "take_id")
	if err != nil {
		return s.afterTake(w, r, rq, id, err)
	}
	var agreed []int64
	for _, v := range r.PostForm["agreed_by"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return s.afterTake(w, r, rq, id, errorf(codeBadRequest, "agreed_by %q is not a performer id", clipText(v, 20)))
		}
		agreed = append(agreed, n)
	}
	t, _, err := s.ops.TakeInProduction(r.Context(), rq.caller(), takeID)
	if err == nil && t.SceneID != id {
		err = errorf(codeNotFound, "take %d is not of scene %d", takeID, id)
	}
	if err == nil {
		_, err = s.ops.AddDeviation(r.Context(), rq.caller(), takeID, r.PostFormValue("text"), agreed)
	}
	return s.afterTake(w, r, rq, id, err)
}

func (s *Server) pageDebrief(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	performerID, err := formID(r, "performer_id")
	if err == nil {
		_, err = s.ops.Debrief(r.Context(), rq.caller(), id, performerID, r.PostFormValue("notes"), r.PostFormValue("follow_up_offered") != "")
	}
	return s.afterTake(w, r, rq, id, err)
}

// answersOf is a performer's answers on a take, in order.
func answersOf(t shoot.Take, performerID int64) []shoot.Answer {
	var out []shoot.Answer
	for _, c := range t.CheckIns {
		if c.PerformerID == performerID {
			out = append(out, c.Answer)
		}
	}
	return out
}

// takesClosure fills the take page's rehearsal and closure parts, for
// those who write them.
func (s *Server) takesClosure(r *http.Request, rq *request, sc production.Scene, page *takesPage) error {
	ctx := r.Context()
	page.MayRehearse, page.MayClose, page.UserName = rq.Can(auth.RehearsalWrite), rq.Can(auth.ClosureWrite), rq.User.Name
	var err error
	if page.MayRehearse || page.MayClose {
		if page.Cast, err = s.ops.ScenePerformers(ctx, sc.ID); err != nil {
			return err
		}
	}
	if page.MayRehearse {
		if page.Rehearsals, err = s.ops.Rehearsals(ctx, sc.ID); err != nil {
			return err
		}
	}
	if page.MayClose {
		cl, err := s.ops.SceneClosure(ctx, rq.caller(), sc.ID)
		if err != nil {
			return err
		}
		page.StepOuts, page.CrewDebriefs = cl.StepOuts, cl.CrewDebriefs
		if page.CrewDue, err = s.ops.CrewDebriefDue(ctx, sc); err != nil {
			return err
		}
	}
	return nil
}

// pageRehearsal records a rehearsal: the performers ticked, the others
// one a line as "name | role", what was walked and what changed. A
// change to the plan itself is made on the plan page, where it becomes
// a new version.
func (s *Server) pageRehearsal(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	in := ops.RehearsalIn{Walked: r.PostFormValue("walked"), Changes: r.PostFormValue("changes")}
	var err error
	for _, v := range r.PostForm["performer"] {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n <= 0 {
			err = errorf(codeBadRequest, "performer %q is not a performer of this scene", clipText(v, 20))
			break
		}
		in.Performers = append(in.Performers, n)
	}
	for i, l := range ops.Lines(r.PostFormValue("others")) {
		if err != nil {
			break
		}
		name, role, _ := strings.Cut(l, "|")
		if strings.TrimSpace(name) == "" {
			err = closedset.FieldErrorf(closedset.Invalid, "others", "line %d names nobody: write “name | role”", i+1)
			break
		}
		in.Others = append(in.Others, shoot.Person{Name: strings.TrimSpace(name), Role: strings.TrimSpace(role)})
	}
	if err == nil {
		_, err = s.ops.RecordRehearsal(r.Context(), rq.caller(), id, in)
	}
	return s.afterTakeTo(w, r, rq, id, "#rehearsal", err)
}

// pageStepOut records a performer's step-out at wrap.
func (s *Server) pageStepOut(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	performerID, err := formID(r, "performer_id")
	if err == nil {
		_, err = s.ops.StepOut(r.Context(), rq.caller(), id, performerID)
	}
	return s.afterTakeTo(w, r, rq, id, "#closure", err)
}

// pageCrewDebrief records the crew's debrief: who held it, when (empty:
// now) and notes that are not private.
func (s *Server) pageCrewDebrief(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var at time.Time
	var err error
	if v := strings.TrimSpace(r.PostFormValue("held_at")); v != "" {
		var tz *time.Location
		if _, tz, err = s.ops.ProductionZone(r.Context(), rq.ProductionID); err == nil {
			if at, err = parseCallTime(v, tz); err != nil {
				err = closedset.FieldErrorf(closedset.Invalid, "held_at", "%q is not a time like 2026-03-05T18:30", clipText(v, 40))
			}
		}
	}
	if err == nil {
		_, err = s.ops.CrewDebrief(r.Context(), rq.caller(), id, r.PostFormValue("held_by"), at, r.PostFormValue("notes"))
	}
	return s.afterTakeTo(w, r, rq, id, "#closure", err)
}

// afterTakeTo is afterTake, back to a part of the page.
func (s *Server) afterTakeTo(w http.ResponseWriter, r *http.Request, rq *request, sceneID int64, anchor string, err error) error {
	if err != nil {
		return s.afterTake(w, r, rq, sceneID, err)
	}
	return redirect(w, r, "/scenes/"+strconv.FormatInt(sceneID, 10)+"/takes"+anchor)
}
