package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/ops"
	"closedset/production"
	"closedset/shoot"
)

// The shoot day's pages (issue 13, part A), phone first: a production's
// department requests (each department head sees only theirs), a scene's
// requests and closed-set list, the shoot days and the day board. Each
// form posts to the operation the API calls and answers 303.

func (s *Server) shootDayPageRoutes() {
	s.route("GET /productions/{id}/requests", auth.RequestList, s.productionScope("id"), s.pageRequests)
	s.route("POST /requests/{id}/state", auth.RequestState, s.requestScope("id"), s.pageRequestState)
	s.route("GET /scenes/{id}/shoot", auth.ClosedSetRead, s.sceneScope("id"), s.pageSceneShoot)
	s.route("POST /scenes/{id}/requests", auth.RequestCreate, s.sceneScope("id"), s.pageRaiseRequest)
	s.route("POST /scenes/{id}/closed-set", auth.ClosedSetWrite, s.sceneScope("id"), s.pagePutClosedSet)
	s.route("POST /scenes/{id}/closed-set/approve", auth.ClosedSetApprove, s.sceneScope("id"), s.pageApproveClosedSet)
	s.route("GET /productions/{id}/shoot-days", auth.ShootDayRead, s.productionScope("id"), s.pageShootDays)
	s.route("POST /productions/{id}/shoot-days", auth.ShootDayWrite, s.productionScope("id"), s.pageCreateShootDay)
	s.route("GET /shoot-days/{id}", auth.ShootDayRead, s.dayScope("id"), s.pageShootDay)
	s.route("POST /shoot-days/{id}/scenes", auth.ShootDayWrite, s.dayScope("id"), s.pageSetShootDayScenes)
	s.route("POST /shoot-days/{id}/report/sign", auth.ReportSign, s.dayScope("id"), s.pageSignDayReport)
}

// requestRow is one request as a page shows it, with the state form for
// those who may answer it.
type requestRow struct {
	production.Request
	Scene     production.Scene
	Performer string // the performer it is for, by name
	CanAnswer bool
}

// requestsPage is a production's requests, for a department head only
// their departments'.
type requestsPage struct {
	Production production.Production
	Zone       *time.Location
	Rows       []requestRow
	Open       int
	// Departments are the departments the reader heads: a department
	// head's page says whose requests it shows.
	Departments []string
	Failed      int64 // the request whose state form failed
	Errors      formErrors
}

func (s *Server) pageRequests(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderRequests(w, r, rq, http.StatusOK, 0, nil)
}

func (s *Server) renderRequests(w http.ResponseWriter, r *http.Request, rq *request, status int, failed int64, errs formErrors) error {
	ctx := r.Context()
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	rs, err := s.ops.RequestsOfProduction(ctx, rq.caller())
	if err != nil {
		return err
	}
	page := requestsPage{Production: p, Zone: loadZone(p.TimeZone), Failed: failed, Errors: errs}
	if !rq.Can(auth.RequestRead) { // a department head: their own only
		for _, d := range auth.Departments() {
			if rq.Roles.Has(d) {
				page.Departments = append(page.Departments, roleLabels[d])
			}
		}
	}
	if page.Rows, err = s.requestRows(ctx, rq, rs); err != nil {
		return err
	}
	for _, row := range page.Rows {
		if row.State != production.RequestDone {
			page.Open++
		}
	}
	return renderPage(w, status, "requests", s.liveView(rq, "Requests · "+p.Title, page, p.ID).withErrors(errs))
}

// requestRows joins each request to its scene and performer.
func (s *Server) requestRows(ctx context.Context, rq *request, rs []production.Request) ([]requestRow, error) {
	scenes := map[int64]production.Scene{}
	names := map[int64]string{}
	var out []requestRow
	for _, dr := range rs {
		sc, ok := scenes[dr.SceneID]
		if !ok {
			var err error
			if sc, err = s.ops.Scene(ctx, dr.SceneID); err != nil {
				return nil, err
			}
			scenes[dr.SceneID] = sc
		}
		row := requestRow{Request: dr, Scene: sc, CanAnswer: rq.caller().CanAnswerRequest(dr)}
		if dr.PerformerID != 0 {
			if _, ok := names[dr.PerformerID]; !ok {
				p, err := s.ops.Performer(ctx, dr.PerformerID)
				if err != nil {
					return nil, err
				}
				names[dr.PerformerID] = p.Name
			}
			row.Performer = names[dr.PerformerID]
		}
		out = append(out, row)
	}
	return out, nil
}

// pageRequestState moves a request on; back to where the form was (the
// production's requests, or the scene's).
func (s *Server) pageRequestState(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	st, err := production.ParseRequestState(r.PostFormValue("state"))
	if err == nil {
		_, err = s.ops.SetRequestState(r.Context(), rq.caller(), id, st, r.PostFormValue("note"))
	}
	if err == nil {
		if sc, ok := formInt(r, "scene"); ok {
			return redirect(w, r, fmt.Sprintf("/scenes/%d/shoot#request-%d", sc, id))
		}
		return redirect(w, r, fmt.Sprintf("/productions/%d/requests#request-%d", rq.ProductionID, id))
	}
	fallback := formField{Input: fmt.Sprintf("note-%d", id), Label: "Note"}
	return formError(err, func(status int, _ string) error {
		errs := formErrorsOf(err, fieldTable(map[string]formField{"note": fallback, "state": fallback}), fallback)
		return s.renderRequests(w, r, rq, status, id, errs)
	})
}

// requestCardView is what the request template needs of one request.
type requestCardView struct {
	Row     requestRow
	Zone    *time.Location
	CSRF    string
	Failed  bool // this request's state form failed: Errors are its
	Errors  formErrors
	SceneID int64 // the form returns to this scene's page; 0: the production's requests
}

func newRequestCard(row requestRow, zone *time.Location, csrf string, failed int64, errs formErrors, sceneID int64) requestCardView {
	return requestCardView{Row: row, Zone: zone, CSRF: csrf, Failed: failed != 0 && failed == row.ID, Errors: errs, SceneID: sceneID}
}

// formInt reads a positive id from a form field.
func formInt(r *http.Request, name string) (int64, bool) {
	n, err := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return n, err == nil && n > 0
}

// scenePage of the shoot: the scene's requests and its closed-set list.
type shootPage struct {
	Production production.Production
	Scene      production.Scene
	Zone       *time.Location
	CallTime   *time.Time

	CanRequests  bool
	Requests     []requestRow
	CanRaise     bool
	Departments  []option
	Cast         []production.Performer
	RequestForm  requestIn
	RequestError formErrors

	HasList      bool
	List         production.ClosedSetVersion
	CanWriteList bool
	CanApprove   bool
	ApproveAs    string // "an IC" or "an AD"
	ListForm     closedSetForm
	ListError    formErrors
	ApproveError formErrors
}

// closedSetForm is the list as its form types it: one person a line,
// "name | role | set or monitor"; one monitor a line.
type closedSetForm struct {
	People     string
	Monitors   string
	Stills     bool
	RobePerson string
}

func (s *Server) pageSceneShoot(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderShoot(w, r, rq, http.StatusOK, shootPage{})
}

// renderShoot shows a scene's shoot page; forms are the failed form's
// values and errors, if any.
func (s *Server) renderShoot(w http.ResponseWriter, r *http.Request, rq *request, status int, forms shootPage) error {
	ctx := r.Context()
	id, _ := pathID(r, "id")
	sc, err := s.ops.SceneInProduction(ctx, rq.caller(), id)
	if err != nil {
		return err
	}
	p, tz, err := s.ops.ProductionZone(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	page := shootPage{Production: p, Scene: sc, Zone: tz,
		CanRequests: rq.Can(auth.RequestList), CanRaise: rq.Can(auth.RequestCreate),
		CanWriteList: rq.Can(auth.ClosedSetWrite), CanApprove: rq.Can(auth.ClosedSetApprove),
		RequestForm: forms.RequestForm, RequestError: forms.RequestError,
		ListForm: forms.ListForm, ListError: forms.ListError, ApproveError: forms.ApproveError,
	}
	page.ApproveAs = "an AD"
	if rq.Roles.Has(auth.IC) {
		page.ApproveAs = "an IC"
	}
	if at, ok, err := s.ops.CallTime(ctx, id); err != nil {
		return err
	} else if ok {
		page.CallTime = &at
	}
	if page.CanRequests {
		rs, err := s.ops.RequestsOfScene(ctx, rq.caller(), id)
		if err != nil {
			return err
		}
		if page.Requests, err = s.requestRows(ctx, rq, rs); err != nil {
			return err
		}
	}
	if page.CanRaise {
		for _, d := range auth.Departments() {
			page.Departments = append(page.Departments, option{string(d), roleLabels[d]})
		}
		if page.Cast, err = s.ops.ScenePerformers(ctx, id); err != nil {
			return err
		}
	}
	v, ok, err := s.ops.SceneClosedSet(ctx, rq.caller(), id)
	if err != nil {
		return err
	}
	page.HasList, page.List = ok, v
	if ok && forms.ListError == nil {
		page.ListForm = closedSetFormOf(v.List)
	}
	return renderPage(w, status, "shoot", s.liveView(rq, "Shoot · scene "+sc.Number+" · "+p.Title, page, p.ID).withErrors(append(forms.RequestError, append(forms.ListError, forms.ApproveError...)...)))
}

func closedSetFormOf(cs production.ClosedSet) closedSetForm {
	var people, monitors []string
	for _, p := range cs.People {
		people = append(people, p.Name+" | "+p.Role+" | "+p.Where)
	}
	for _, m := range cs.Monitors {
		monitors = append(monitors, m.Where)
	}
	return closedSetForm{People: strings.Join(people, "\n"), Monitors: strings.Join(monitors, "\n"), Stills: cs.Stills, RobePerson: cs.RobePerson}
}

// list reads the form into a closed-set list. A line of people that is
// not "name | role | where" is an error naming the line.
func (f closedSetForm) list() (production.ClosedSet, error) {
	cs := production.ClosedSet{Stills: f.Stills, RobePerson: f.RobePerson}
	for i, l := range ops.Lines(f.People) {
		cols := strings.Split(l, "|")
		if len(cols) != 3 {
			return cs, closedset.FieldErrorf(closedset.Invalid, fmt.Sprintf("people[%d]", i), "line %d is not “name | role | set or monitor”", i+1)
		}
		cs.People = append(cs.People, production.ClosedSetPerson{Name: strings.TrimSpace(cols[0]), Role: strings.TrimSpace(cols[1]),
			Where: strings.ToLower(strings.TrimSpace(cols[2]))})
	}
	for _, l := range ops.Lines(f.Monitors) {
		cs.Monitors = append(cs.Monitors, production.Monitor{Where: l})
	}
	return cs, nil
}

var requestFields = fieldTable(map[string]formField{
	"department":   {Input: "req-department", Label: "Department", Hint: "choose one of the departments listed"},
	"text":         {Input: "req-text", Label: "What is needed"},
	"due":          {Input: "req-due", Label: "Due", Hint: "enter a date and time before the scene's call"},
	"performer_id": {Input: "req-performer", Label: "For"},
})

var closedSetFields = fieldTable(map[string]formField{
	"people":              {Input: "cs-people", Label: "People"},
	"monitors":            {Input: "cs-monitors", Label: "Monitors"},
	"stills":              {Input: "cs-stills", Label: "Stills"},
	"robe_person":         {Input: "cs-robe", Label: "Robe person"},
	"no_personal_devices": {Input: "cs-people", Label: "Devices"},
})

func (s *Server) pageRaiseRequest(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	in := requestIn{Department: r.PostFormValue("department"), Text: r.PostFormValue("text"), Due: r.PostFormValue("due")}
	if v := r.PostFormValue("performer_id"); v != "" && v != "0" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errorf(codeBadRequest, "performer %q is not a performer of this scene", clipText(v, 20))
		}
		in.PerformerID = n
	}
	dr, err := s.raiseRequest(r.Context(), rq, id, in)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/scenes/%d/shoot#request-%d", id, dr.ID))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderShoot(w, r, rq, status, shootPage{RequestForm: in, RequestError: formErrorsOf(err, requestFields, formField{Input: "req-text"})})
	})
}

func (s *Server) pagePutClosedSet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	f := closedSetForm{People: r.PostFormValue("people"), Monitors: r.PostFormValue("monitors"),
		Stills: r.PostFormValue("stills") == "on", RobePerson: r.PostFormValue("robe_person")}
	cs, err := f.list()
	if err == nil {
		_, err = s.ops.PutClosedSet(r.Context(), rq.caller(), id, cs)
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/scenes/%d/shoot#closed-set", id))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderShoot(w, r, rq, status, shootPage{ListForm: f, ListError: formErrorsOf(err, closedSetFields, formField{Input: "cs-people"})})
	})
}

func (s *Server) pageApproveClosedSet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := s.ops.ApproveClosedSet(r.Context(), rq.caller(), id, max(version, 0))
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/scenes/%d/shoot#closed-set", id))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderShoot(w, r, rq, status, shootPage{ApproveError: formErrorsOf(err, nil, formField{})})
	})
}

// Shoot days.

type daysPage struct {
	Production production.Production
	Days       []production.Day
	CanCreate  bool
	Scenes     []production.Scene // the current scenes with intimate content first, to pick from
	Date       string
	Picked     []int64
	Errors     formErrors
	// CanImport: the reader may upload a shooting schedule;
	// CanSheet: download the breakdown sheet.
	CanImport, CanSheet bool
}

func (s *Server) pageShootDays(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderShootDays(w, r, rq, http.StatusOK, "", nil, nil)
}

func (s *Server) renderShootDays(w http.ResponseWriter, r *http.Request, rq *request, status int, date string, picked []int64, errs formErrors) error {
	ctx := r.Context()
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	page := daysPage{Production: p, CanCreate: rq.Can(auth.ShootDayWrite), Date: date, Picked: picked, Errors: errs,
		CanImport: rq.Can(auth.ScheduleWrite) && rq.Can(auth.ShootDayWrite), CanSheet: rq.Can(auth.ReadinessRead)}
	if page.Days, err = s.ops.ShootDaysOf(ctx, rq.caller()); err != nil {
		return err
	}
	if page.CanCreate {
		if page.Scenes, err = s.ops.CurrentScenes(ctx, p.ID); err != nil {
			return err
		}
	}
	return renderPage(w, status, "days", s.view(rq, "Shoot days · "+p.Title, page).withErrors(errs))
}

// formIDs reads the checked scene ids of a form.
func formIDs(form url.Values, name string) ([]int64, error) {
	var out []int64
	for _, v := range form[name] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, closedset.FieldErrorf(closedset.Invalid, "scene_ids", "%q is not a scene", clipText(v, 20))
		}
		out = append(out, n)
	}
	return out, nil
}

var dayFields = fieldTable(map[string]formField{
	"date":      {Input: "day-date", Label: "Date", Hint: "enter a date like 2026-06-15"},
	"scene_ids": {Input: "day-scenes", Label: "Scenes"},
})

func (s *Server) pageCreateShootDay(w http.ResponseWriter, r *http.Request, rq *request) error {
	date := strings.TrimSpace(r.PostFormValue("date"))
	ids, err := formIDs(r.PostForm, "scene")
	var d production.Day
	if err == nil {
		var day production.Date
		if day, err = production.ParseDate(date); err != nil {
			err = closedset.FieldErrorf(closedset.Invalid, "date", "%q is not a date", clipText(date, 40))
		} else {
			d, err = s.ops.CreateShootDay(r.Context(), rq.caller(), day, ids)
		}
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/shoot-days/%d", d.ID))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderShootDays(w, r, rq, status, date, ids, formErrorsOf(err, dayFields, formField{Input: "day-date"}))
	})
}

// dayPage is the day board.
type dayPage struct {
	Production production.Production
	Zone       *time.Location
	Board      ops.DayBoard
	CanEdit    bool
	Scenes     []production.Scene // to pick from, for the editor
	Errors     formErrors
	// CanTakes: the reader may open a scene's take page.
	CanTakes bool
	// The end-of-day report, for those who read it (Report nil
	// otherwise): its totals now, its hash (the sign-off form names it),
	// the signed versions, and whether the latest still says the same.
	Report      *shoot.DayReport
	ReportHash  string
	Versions    []shoot.SignedReport
	SignedNow   bool
	CanSign     bool
	ReportError string
}

// LatestSigned is the latest signed version, nil when none.
func (p dayPage) LatestSigned() *shoot.SignedReport {
	if len(p.Versions) == 0 {
		return nil
	}
	return &p.Versions[len(p.Versions)-1]
}

// Picked reports whether the scene is on the day.
func (p dayPage) Picked(id int64) bool {
	for _, bs := range p.Board.Scenes {
		if bs.Scene.ID == id || bs.Carried == id {
			return true
		}
	}
	return false
}

func (s *Server) pageShootDay(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderShootDay(w, r, rq, http.StatusOK, nil)
}

func (s *Server) renderShootDay(w http.ResponseWriter, r *http.Request, rq *request, status int, errs formErrors) error {
	return s.renderShootDayReport(w, r, rq, status, errs, "")
}

func (s *Server) renderShootDayReport(w http.ResponseWriter, r *http.Request, rq *request, status int, errs formErrors, reportErr string) error {
	ctx := r.Context()
	id, _ := pathID(r, "id")
	p, tz, err := s.ops.ProductionZone(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	b, err := s.ops.DayBoard(ctx, rq.caller(), id)
	if err != nil {
		return err
	}
	page := dayPage{Production: p, Zone: tz, Board: b, CanEdit: rq.Can(auth.ShootDayWrite), Errors: errs,
		CanTakes: rq.Can(auth.TakeRead), CanSign: rq.Can(auth.ReportSign), ReportError: reportErr}
	if rq.Can(auth.ReportRead) {
		d, versions, err := s.ops.EndOfDay(ctx, rq.caller(), id, 0)
		if err != nil {
			return err
		}
		page.Report, page.ReportHash, page.Versions, page.SignedNow = &d.Report, d.Report.Hash(), versions, d.Signoff != nil
	}
	if page.CanEdit {
		if page.Scenes, err = s.ops.CurrentScenes(ctx, p.ID); err != nil {
			return err
		}
	}
	return renderPage(w, status, "day", s.liveView(rq, "Shoot day "+b.Day.Date.String()+" · "+p.Title, page, p.ID).withErrors(errs))
}

func (s *Server) pageSetShootDayScenes(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	ids, err := formIDs(r.PostForm, "scene")
	if err == nil {
		_, err = s.ops.SetShootDayScenes(r.Context(), rq.caller(), id, ids)
	}
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/shoot-days/%d", id))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderShootDay(w, r, rq, status, formErrorsOf(err, dayFields, formField{Input: "day-scenes"}))
	})
}

// pageSignDayReport signs the day's report off as the IC read it (the
// form carries the hash of the report the page showed).
func (s *Server) pageSignDayReport(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	_, _, err := s.ops.SignDayReport(r.Context(), rq.caller(), id, r.PostFormValue("hash"))
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/shoot-days/%d#report", id))
	}
	return formError(err, func(status int, msg string) error {
		return s.renderShootDayReport(w, r, rq, status, nil, msg)
	})
}
