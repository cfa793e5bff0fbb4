package web

import (
	"net/http"
	"strconv"
	"time"

	"closedset/auth"
	"closedset/consent"
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
