package web

import (
	"bytes"
	"closedset"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/docs"
	"closedset/ops"
	"closedset/production"
)

// The consent pages (issue 5): the cast on the production page, a
// performer's own view, riders and their signing, the agreement of touch,
// the plan editor on the scene page, and the consent grid. Handlers stay
// thin: each reads its form and calls the operation the API calls too.

// consentPageRoutes registers the consent pages in the one route table.
func (s *Server) consentPageRoutes() {
	s.route("POST /productions/{id}/performers", auth.PerformerCreate, s.productionScope("id"), s.pageCreatePerformer)
	s.route("GET /productions/{id}/me", auth.ProductionRead, s.productionScope("id"), s.pageMe)
	s.route("GET /productions/{id}/consents", auth.ReadinessRead, s.productionScope("id"), s.pageConsents)
	s.route("GET /productions/{id}/riders", auth.RiderIssue, s.productionScope("id"), s.pageRiders)

	s.route("GET /performers/{id}/boundaries", auth.BoundariesRead, s.performerScope("id"), s.pageBoundaries)
	s.largeRoute("POST /performers/{id}/boundaries", auth.BoundariesWrite, s.performerScope("id"), s.pagePutBoundaries)
	s.route("POST /performers/{id}/riders", auth.RiderIssue, s.performerScope("id"), s.pageIssueRider)

	s.route("GET /riders/{id}", auth.RiderRead, s.riderScope("id"), s.pageRider)
	s.route("POST /riders/{id}/sign", auth.RiderSign, s.riderScope("id"), s.pageSignRider)

	s.largeRoute("POST /scenes/{id}/plan", auth.PlanWrite, s.sceneScope("id"), s.pagePutPlan)
	s.route("POST /scenes/{id}/cast", auth.SceneCast, s.sceneScope("id"), s.pageCastPerformer)
	s.route("POST /scenes/{id}/schedule", auth.ScheduleWrite, s.sceneScope("id"), s.pageSetCallTime)
	s.route("POST /scenes/{id}/safeguards", auth.SafeguardWrite, s.sceneScope("id"), s.pageNameSafeguards)
	s.routeOr("POST /scenes/{id}/consents/withdraw", auth.ConsentWithdraw, auth.ConsentWithdrawFor, s.sceneScope("id"), s.pageWithdraw)
	s.route("POST /scenes/{id}/consents/reconfirm", auth.ConsentReconfirm, s.sceneScope("id"), s.pageReconfirm)
}

// formError re-renders a form when err is the sender's to fix (a 4xx),
// with its message; anything else is the caller's error to answer.
func formError(err error, render func(status int, msg string) error) error {
	if e := asError(err); statusOf(e.Code) < 500 {
		return render(statusOf(e.Code), e.Message)
	}
	return err
}

// Performers on the production page.

func (s *Server) pageCreatePerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := performerForm{
		Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), DateOfBirth: r.PostFormValue("date_of_birth"),
		Characters: r.PostFormValue("characters"), Phone: r.PostFormValue("phone"), Representative: r.PostFormValue("representative"),
	}
	if _, err := s.createPerformer(r.Context(), rq, f.in()); err != nil {
		return formError(err, func(status int, _ string) error {
			return s.renderProduction(w, r, rq, status, productionForms{member: memberForm{Role: string(auth.Performer)}, performer: f,
				performerError: formErrorsOf(err, performerFields, formField{})})
		})
	}
	return redirect(w, r, fmt.Sprintf("/productions/%d#performers", rq.ProductionID))
}

// performerFields are the add-performer form's inputs.
var performerFields = fieldTable(map[string]formField{
	"name":           {Input: "performer-name", Label: "Name"},
	"email":          {Input: "performer-email", Label: "Email", Hint: "enter an address like name@example.com, or leave it empty"},
	"date_of_birth":  {Input: "performer-dob", Label: "Date of birth", Hint: "enter a date like 1990-04-01"},
	"characters":     {Input: "performer-characters", Label: "Characters"},
	"phone":          {Input: "performer-phone", Label: "Phone"},
	"representative": {Input: "performer-rep", Label: "Representative"},
})

// productionConsentPart fills the production page's cast and links.
func (s *Server) productionConsentPart(ctx context.Context, rq *request, forms productionForms) (productionConsent, error) {
	pc := productionConsent{
		CanList: rq.Can(auth.PerformerList), CanAdd: rq.Can(auth.PerformerCreate),
		Form: forms.performer, Error: forms.performerError,
		CanSeeGrid: rq.Can(auth.ReadinessRead), CanSeeBoundaries: rq.Can(auth.BoundariesRead),
		CanIssue: rq.Can(auth.RiderIssue), CanSeeRequests: rq.Can(auth.RequestList), CanSeeDays: rq.Can(auth.ShootDayRead),
	}
	if pc.CanList {
		var err error
		if pc.Performers, err = s.ops.Performers(ctx, rq.ProductionID); err != nil {
			return pc, err
		}
	}
	me, ok, err := s.ops.PerformerOf(ctx, rq.caller())
	if err != nil {
		return pc, err
	}
	if ok {
		pc.Me = &me
	}
	return pc, nil
}

// A performer's own view.

func (s *Server) pageMe(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderMe(w, r, rq, http.StatusOK, nil, 0, "")
}

// renderMe shows a performer's own page; errs are a failed withdrawal's
// or re-confirmation's, of scene sceneID, whose reason was typed as reason.
func (s *Server) renderMe(w http.ResponseWriter, r *http.Request, rq *request, status int, errs formErrors, sceneID int64, reason string) error {
	ctx := r.Context()
	me, ok, err := s.ops.PerformerOf(ctx, rq.caller())
	if err != nil {
		return err
	}
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	page := mePage{Production: p, Performer: me, Zone: loadZone(p.TimeZone), Error: errs, ReasonScene: sceneID, Reason: reason}
	if !ok {
		// A member who plays no one: the page says so.
		return renderPage(w, status, "me", s.liveView(rq, "My scenes · "+p.Title, page, p.ID).withErrors(errs))
	}
	if page.Readers, err = s.ops.BoundaryReaders(ctx, rq.caller(), me.ID); err != nil {
		return err
	}
	scenes, err := s.ops.CurrentScenes(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, sc := range scenes {
		if in, err := s.ops.InScene(ctx, me, sc); err != nil {
			return err
		} else if !in {
			continue
		}
		ms, intimate, err := s.myScene(ctx, sc, me.ID)
		if err != nil {
			return err
		}
		if !intimate {
			page.OtherScenes++
			continue
		}
		page.Scenes = append(page.Scenes, ms)
	}
	riders, err := s.ops.RidersOf(ctx, me.ID)
	if err != nil {
		return err
	}
	for i := len(riders) - 1; i >= 0; i-- { // newest first
		rd := riders[i]
		l := riderLink{ID: rd.ID, Delivered: rd.DeliveredAt, Scenes: len(rd.Scenes)}
		if rd.Signature != nil {
			at := rd.Signature.At
			l.Signed = &at
		}
		page.Riders = append(page.Riders, l)
	}
	return renderPage(w, status, "me", s.liveView(rq, "My scenes · "+p.Title, page, p.ID).withErrors(errs))
}

// myScene is what a performer sees of one scene they are in; intimate is
// false for a scene with no flag to consider and no plan.
func (s *Server) myScene(ctx context.Context, sc production.Scene, performerID int64) (myScene, bool, error) {
	ms := myScene{Scene: sc}
	if len(sc.Flagged()) == 0 { // the facts only for a scene that may be intimate
		if _, err := s.ops.Plan(ctx, sc.ID); closedset.Is(err, closedset.NotFound) {
			return ms, false, nil
		} else if err != nil {
			return ms, false, err
		}
	}
	f, err := s.ops.SceneFacts(ctx, sc)
	if err != nil {
		return ms, false, err
	}
	if f.Plan == nil && len(f.Scene.Flagged()) == 0 {
		return ms, false, nil
	}
	ms.HasPlan, ms.CallTime = f.Plan != nil, f.CallTime
	if f.Plan != nil {
		if pp, in := f.Plan.For(performerID); in {
			ms.PlanSays = planSays(pp)
		}
	}
	c := consent.Latest(f.Consents, performerID, sc.ID)
	ms.State = consent.StateOf(c, f.PlanHash, sc.TextHash)
	if ms.State == consent.Stale && c.SceneTextHash == sc.TextHash {
		// Only a change of the plan may be re-confirmed, and only when it
		// adds nothing for the performer (reconfirm checks it again).
		old, err := s.ops.PlanByHash(ctx, c.SceneID, c.PlanHash)
		if err != nil {
			return ms, false, err
		}
		op, err := ops.DecodeStoredPlan(old)
		if err != nil {
			return ms, false, err
		}
		ms.CanReconfirm = !f.Plan.Compare(op).For(performerID).NeedsNewRider()
	}
	ms.NeedsRider = ms.State == consent.Stale && !ms.CanReconfirm
	if ms.State == consent.Stale {
		if ms.Changed, err = s.ops.ChangesSinceConsent(ctx, f, performerID); err != nil {
			return ms, false, err
		}
	}
	ms.Meaning = stateMeanings[ms.State]
	return ms, true, nil
}

// Withdrawal and re-confirmation: one button each, effective at once.

func (s *Server) pageWithdraw(w http.ResponseWriter, r *http.Request, rq *request) error {
	sceneID, _ := pathID(r, "id")
	performerID, err := formID(r, "performer_id")
	if err == nil {
		err = s.ops.Withdraw(r.Context(), rq.caller(), sceneID, performerID, r.PostFormValue("reason"))
	}
	return s.afterConsentChange(w, r, rq, sceneID, err)
}

func (s *Server) pageReconfirm(w http.ResponseWriter, r *http.Request, rq *request) error {
	sceneID, _ := pathID(r, "id")
	performerID, err := formID(r, "performer_id")
	if err == nil {
		err = s.ops.Reconfirm(r.Context(), rq.caller(), sceneID, performerID)
	}
	return s.afterConsentChange(w, r, rq, sceneID, err)
}

// afterConsentChange sends the browser back to the page the form was on
// (the performer's own view, or the scene page), with the error if any.
func (s *Server) afterConsentChange(w http.ResponseWriter, r *http.Request, rq *request, sceneID int64, err error) error {
	toMe := r.PostFormValue("return") == "me"
	if err != nil {
		return formError(err, func(status int, _ string) error {
			if toMe {
				reason := fieldTable(map[string]formField{"reason": {Input: fmt.Sprintf("reason-%d", sceneID), Label: "Reason"}})
				return s.renderMe(w, r, rq, status, formErrorsOf(err, reason, formField{}), sceneID, r.PostFormValue("reason"))
			}
			return s.renderScene(w, r, rq, sceneID, status, sceneForms{castError: formErrorsOf(err, nil, formField{})})
		})
	}
	if toMe {
		return redirect(w, r, fmt.Sprintf("/productions/%d/me#scene-%d", rq.ProductionID, sceneID))
	}
	return redirect(w, r, fmt.Sprintf("/scenes/%d#cast", sceneID))
}

// formID reads a form field as an id.
func formID(r *http.Request, name string) (int64, error) {
	v := r.PostFormValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(codeBadRequest, "%s %q is not an id", name, v)
	}
	return id, nil
}

// Riders.

func (s *Server) pageRider(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderRider(w, r, rq, http.StatusOK, "", false, nil)
}

func (s *Server) renderRider(w http.ResponseWriter, r *http.Request, rq *request, status int, typed string, agree bool, errs formErrors) error {
	ctx := r.Context()
	id, _ := pathID(r, "id")
	rd, err := s.ops.Rider(ctx, id)
	if err != nil {
		return err
	}
	doc, sig, err := s.ops.RiderDoc(ctx, rq.caller(), id)
	if err != nil {
		return err
	}
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	page := riderPage{Production: p, Rider: rd, Doc: doc, Signature: sig, Rights: docs.Rights(),
		CanSign: sig == nil && rq.Can(auth.RiderSign), TypedName: typed, Agree: agree, Error: errs}
	return renderPage(w, status, "rider", s.view(rq, "Rider for "+doc.Performer.Name, page).withErrors(errs))
}

func (s *Server) pageSignRider(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	typed, agree := r.PostFormValue("typed_name"), r.PostFormValue("agree") == "on"
	if _, err := s.ops.SignRider(r.Context(), rq.caller(), id, typed, agree, s.clientAddr(r), r.UserAgent()); err != nil {
		return formError(err, func(status int, _ string) error {
			return s.renderRider(w, r, rq, status, typed, agree, formErrorsOf(err, signFields, formField{}))
		})
	}
	return redirect(w, r, fmt.Sprintf("/riders/%d#signed", id))
}

// signFields are the signing form's inputs.
var signFields = fieldTable(map[string]formField{
	"typed_name": {Input: "typed_name"},
	"agree":      {Input: "agree"},
})

func (s *Server) pageIssueRider(w http.ResponseWriter, r *http.Request, rq *request) error {
	performerID, _ := pathID(r, "id")
	sceneID, _ := formID(r, "scene") // the scene page the button is on
	rd, created, err := s.ops.IssueRider(r.Context(), rq.caller(), performerID)
	if err != nil {
		if sceneID == 0 {
			return err
		}
		return formError(err, func(status int, _ string) error {
			return s.renderScene(w, r, rq, sceneID, status, sceneForms{castError: formErrorsOf(err, nil, formField{})})
		})
	}
	// The riders board says what was issued and what it awaits now.
	again := ""
	if !created {
		again = "&again=1"
	}
	return redirect(w, r, fmt.Sprintf("/productions/%d/riders?issued=%d%s#performer-%d", rq.ProductionID, rd.ID, again, performerID))
}

// Boundaries: the performer's and the production's ICs' only.

func (s *Server) pageBoundaries(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	id, _ := pathID(r, "id")
	b, version, err := s.ops.Boundaries(ctx, rq.caller(), id)
	if err != nil && !closedset.Is(err, closedset.NotFound) {
		return err
	}
	return s.renderBoundaries(w, r, rq, http.StatusOK, b, version, nil, r.URL.Query().Get("saved") != "")
}

// renderBoundaries shows the boundaries form filled from b; failed is why
// saving it failed (nil when it did not), shown beside its row.
func (s *Server) renderBoundaries(w http.ResponseWriter, r *http.Request, rq *request, status int, b consent.Boundaries, version int, failed error, saved bool) error {
	ctx := r.Context()
	id, _ := pathID(r, "id")
	perf, err := s.ops.Performer(ctx, id)
	if err != nil {
		return err
	}
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	cast, err := s.ops.Performers(ctx, p.ID)
	if err != nil {
		return err
	}
	form := newBoundariesForm(b, cast, perf.ID)
	var errs formErrors
	if failed != nil {
		errs = formErrorsOf(failed, form.fields(b), formField{})
	}
	readers, err := s.ops.BoundaryReaders(ctx, rq.caller(), perf.ID)
	if err != nil {
		return err
	}
	page := boundariesPage{Production: p, Performer: perf, Own: perf.UserID != 0 && perf.UserID == rq.User.ID,
		Version: version, Form: form, Error: errs, Saved: saved && failed == nil, Readers: readers, Zone: loadZone(p.TimeZone)}
	return renderPage(w, status, "boundaries", s.view(rq, "Boundaries of "+perf.Name, page).withErrors(errs))
}

func (s *Server) pagePutBoundaries(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	if err := r.ParseForm(); err != nil {
		return errorf(codeBadRequest, "reading the form: %v", err)
	}
	b, err := parseBoundariesForm(r.PostForm)
	if err == nil {
		_, err = s.ops.PutBoundaries(r.Context(), rq.caller(), id, b)
	}
	if err != nil {
		return formError(err, func(status int, _ string) error {
			_, version, verr := s.ops.Boundaries(r.Context(), rq.caller(), id)
			if verr != nil && !closedset.Is(verr, closedset.NotFound) {
				return verr
			}
			return s.renderBoundaries(w, r, rq, status, b, version, err, false)
		})
	}
	if r.PostFormValue("return") == "me" {
		return redirect(w, r, fmt.Sprintf("/productions/%d/me#boundaries", rq.ProductionID))
	}
	return redirect(w, r, fmt.Sprintf("/performers/%d/boundaries?saved=1", id))
}

// The consent grid.

// Grid filters, by the show= query value.
const showNotReady = "not-ready"

func (s *Server) pageConsents(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	g, err := s.ops.ConsentGrid(ctx, rq.caller())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page := consentsPage{Production: p, Zone: loadZone(p.TimeZone), Show: showAll}
	if q.Get("show") == showNotReady {
		page.Show = showNotReady
	}
	if v := q.Get("performer"); v != "" {
		if page.Performer, err = strconv.ParseInt(v, 10, 64); err != nil || page.Performer <= 0 {
			return errorf(codeBadRequest, "performer %q is not a performer id", v)
		}
	}
	calls := map[int64]time.Time{}
	for _, gs := range g.Scenes {
		if ct, ok, err := s.ops.CallTime(ctx, gs.Scene.ID); err != nil {
			return err
		} else if ok {
			calls[gs.Scene.ID] = ct
		}
	}
	fillGrid(&page, g, calls)
	return renderPage(w, http.StatusOK, "consents", s.liveView(rq, "Consents · "+p.Title, page, p.ID))
}

// Scene page: the consent section and its forms.

// sceneForms are the scene page's consent forms as typed, with their
// errors, for re-rendering after a failed POST.
type sceneForms struct {
	plan           *planForm
	planError      formErrors
	planRule       string
	callTime       string
	scheduleError  formErrors
	safeguardError formErrors
	castError      formErrors
	guardians      map[int64]string
	teacher        *string
}

// errors are the failed form's errors (one form fails at a time).
func (f sceneForms) errors() formErrors {
	return slices.Concat(f.planError, f.scheduleError, f.safeguardError, f.castError)
}

// sceneConsentPart fills the scene page's consent section with what the
// viewer may see of it.
func (s *Server) sceneConsentPart(ctx context.Context, rq *request, sc production.Scene, p production.Production, forms sceneForms) (*sceneConsent, error) {
	zone := loadZone(p.TimeZone)
	c := &sceneConsent{
		SceneID: sc.ID, Zone: zone,
		CanReadiness: rq.Can(auth.ReadinessRead), CanIssue: rq.Can(auth.RiderIssue),
		CanWithdraw: rq.Can(auth.ConsentWithdrawFor), CanCast: rq.Can(auth.SceneCast),
		CanSchedule: rq.Can(auth.ScheduleWrite), CanSafeguard: rq.Can(auth.SafeguardWrite),
		CanReadPlan: rq.Can(auth.PlanRead), CanWritePlan: rq.Can(auth.PlanWrite),
		CastError: forms.castError, ScheduleError: forms.scheduleError, SafeguardError: forms.safeguardError,
		PlanError: forms.planError, PlanRule: forms.planRule,
		Levels: consent.NudityLevels(), Areas: consent.BodyAreas(), Angles: consent.Angles(), Contents: consent.ContentCategories(),
	}
	c.ShowStates = c.CanReadiness
	if !c.CanReadiness && !c.CanReadPlan && !c.CanSchedule && !c.CanIssue {
		return nil, nil
	}
	cast, err := s.ops.ScenePerformers(ctx, sc.ID)
	if err != nil {
		return nil, err
	}
	pl, pv, hasPlan, err := s.ops.CurrentPlan(ctx, sc.ID)
	if err != nil {
		return nil, err
	}
	if c.CanReadiness {
		if c.Readiness, err = s.ops.Readiness(ctx, sc.ID); err != nil {
			return nil, err
		}
	}
	var states map[int64]consent.State
	if c.ShowStates {
		f, err := s.ops.SceneFacts(ctx, sc)
		if err != nil {
			return nil, err
		}
		states = ops.ConsentStates(f)
	}
	rows := make([]consentOut, len(cast))
	for i, perf := range cast {
		rows[i] = consentOut{PerformerID: perf.ID, State: consent.None}
		if st, ok := states[perf.ID]; ok {
			rows[i].State = st
		}
	}
	// A withdrawal's reason is private: the scene page shows the reasons
	// only to those who read every performer's (the ICs); a performer
	// reads their own through the consents API.
	if c.ShowStates && auth.Can(rq.Principal(), auth.WithdrawalReasonRead, false) {
		if err := s.withdrawalReasons(ctx, rq, sc.ID, rows); err != nil {
			return nil, err
		}
	}
	for i, perf := range cast {
		_, inAction := pl.For(perf.ID)
		c.Cast = append(c.Cast, castRow{Performer: perf, State: rows[i].State, Reason: rows[i].Reason, InAction: !hasPlan || inAction})
	}
	if c.CanCast {
		all, err := s.ops.Performers(ctx, rq.ProductionID)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			if !slices.ContainsFunc(cast, func(x production.Performer) bool { return x.ID == p.ID }) {
				c.NotInScene = append(c.NotInScene, p)
			}
		}
	}
	ct, hasCT, err := s.ops.CallTime(ctx, sc.ID)
	if err != nil {
		return nil, err
	}
	day := production.DateOf(s.now().In(zone))
	if hasCT {
		c.CallTime = &ct
		c.CallTimeValue = ct.In(zone).Format(callTimeLayout)
		day = production.ShootDay(ct, zone)
	}
	if forms.callTime != "" {
		c.CallTimeValue = forms.callTime
	}
	if err := s.sceneSafeguards(ctx, c, sc.ID, cast, day, forms); err != nil {
		return nil, err
	}
	if c.CanReadPlan || c.CanWritePlan {
		if err := s.scenePlan(ctx, c, sc, cast, pl, pv, hasPlan, forms); err != nil {
			return nil, err
		}
		if c.Conflicts, err = s.planConflicts(ctx, rq, sc.ID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// sceneSafeguards lists the scene's minors (on its shoot day) with their
// named guardians, and its studio teacher.
func (s *Server) sceneSafeguards(ctx context.Context, c *sceneConsent, sceneID int64, cast []production.Performer, day production.Date, forms sceneForms) error {
	sg, err := s.ops.SceneSafeguards(ctx, sceneID)
	if err != nil {
		return err
	}
	named := map[int64]string{}
	for _, g := range sg.Guardians {
		named[g.PerformerID] = g.Name
	}
	for _, perf := range cast {
		if minor, age := isMinor(perf, day); minor {
			g := named[perf.ID]
			if v, ok := forms.guardians[perf.ID]; ok {
				g = v
			}
			c.Minors = append(c.Minors, minorRow{Performer: perf, Age: age, Guardian: g})
		}
	}
	c.StudioTeacher = sg.StudioTeacher
	if forms.teacher != nil {
		c.StudioTeacher = *forms.teacher
	}
	return nil
}

// scenePlan fills the plan, its older versions and the editor.
func (s *Server) scenePlan(ctx context.Context, c *sceneConsent, sc production.Scene, cast []production.Performer, pl consent.Plan, pv consent.PlanVersion, hasPlan bool, forms sceneForms) error {
	all, err := s.ops.Performers(ctx, sc.ProductionID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, p := range all {
		names[p.ID] = p.Name
	}
	c.HasPlan, c.Version = hasPlan, pv
	c.Plan = planView{Plan: pl, Names: names}
	if hasPlan {
		versions, err := s.ops.PlanVersions(ctx, sc.ID)
		if err != nil {
			return err
		}
		for i := len(versions) - 1; i >= 0; i-- {
			v := versions[i]
			if v.Version == pv.Version && v.Hash == pv.Hash {
				continue
			}
			op, err := consent.DecodePlan(bytes.NewReader(v.Content))
			if err != nil {
				return fmt.Errorf("plan version %d of scene %d: %w", v.Version, sc.ID, err)
			}
			c.Older = append(c.Older, olderPlan{Version: v, Plan: planView{Plan: op, Names: names}})
		}
	}
	if !c.CanWritePlan {
		return nil
	}
	if forms.plan != nil {
		c.Form = *forms.plan
		return nil
	}
	c.Form = newPlanForm(pl, planCast(cast, pl, all))
	return nil
}

// planCast are the performers the plan editor offers: the scene's cast,
// then anyone the current plan names who is no longer cast in it (a
// carried plan after a character was renamed), so that saving the form
// never drops them silently.
func planCast(cast []production.Performer, pl consent.Plan, all []production.Performer) []production.Performer {
	out := append([]production.Performer(nil), cast...)
	for _, pp := range pl.Performers {
		found := false
		for _, c := range out {
			found = found || c.ID == pp.PerformerID
		}
		if found {
			continue
		}
		for _, p := range all {
			if p.ID == pp.PerformerID {
				out = append(out, p)
			}
		}
	}
	return out
}

// scenePlanCast loads the performers the plan form of a scene names.
func (s *Server) scenePlanCast(ctx context.Context, sc production.Scene) ([]production.Performer, error) {
	cast, err := s.ops.ScenePerformers(ctx, sc.ID)
	if err != nil {
		return nil, err
	}
	all, err := s.ops.Performers(ctx, sc.ProductionID)
	if err != nil {
		return nil, err
	}
	pl, _, _, err := s.ops.CurrentPlan(ctx, sc.ID)
	if err != nil {
		return nil, err
	}
	return planCast(cast, pl, all), nil
}

func (s *Server) pagePutPlan(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	id, _ := pathID(r, "id")
	sc, err := s.ops.Scene(ctx, id)
	if err != nil {
		return err
	}
	cast, err := s.scenePlanCast(ctx, sc)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errorf(codeBadRequest, "reading the form: %v", err)
	}
	f, err := parsePlanForm(r.PostForm, cast)
	if err == nil {
		_, err = s.ops.PutPlan(ctx, rq.caller(), id, f.Plan)
	}
	if err != nil {
		return formError(err, func(status int, _ string) error {
			forms := sceneForms{plan: &f, planError: formErrorsOf(err, f.fields(), formField{})}
			if re, ok := asRuleError(err); ok {
				forms.planRule = re.Rule
			}
			return s.renderScene(w, r, rq, id, status, forms)
		})
	}
	return redirect(w, r, fmt.Sprintf("/scenes/%d#plan", id))
}

// callTimeLayout is the datetime-local field's value.
const callTimeLayout = "2006-01-02T15:04"

func (s *Server) pageSetCallTime(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	id, _ := pathID(r, "id")
	v := strings.TrimSpace(r.PostFormValue("call_time"))
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	t, perr := time.ParseInLocation(callTimeLayout, v, loadZone(p.TimeZone))
	if perr != nil {
		err = closedset.FieldErrorf(closedset.Invalid, "call_time", "%q is not a date and time (YYYY-MM-DDTHH:MM, %s time)", v, p.TimeZone)
	} else {
		err = s.ops.SetCallTime(ctx, rq.caller(), id, t)
	}
	if err != nil {
		return formError(err, func(status int, _ string) error {
			return s.renderScene(w, r, rq, id, status, sceneForms{callTime: v, scheduleError: formErrorsOf(err, nil,
				formField{Input: "call_time", Label: "Call time", Hint: "enter a date and a time, like 2026-05-04 07:30"})})
		})
	}
	return redirect(w, r, fmt.Sprintf("/scenes/%d#call-time", id))
}

func (s *Server) pageNameSafeguards(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	if err := r.ParseForm(); err != nil {
		return errorf(codeBadRequest, "reading the form: %v", err)
	}
	guardians := map[int64]string{}
	for k, v := range r.PostForm {
		rest, ok := strings.CutPrefix(k, "guardian-")
		if !ok {
			continue
		}
		pid, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || pid <= 0 {
			return errorf(codeBadRequest, "form field %q names no performer", k)
		}
		if name := strings.TrimSpace(firstOf(v)); name != "" {
			guardians[pid] = name
		}
	}
	teacher := strings.TrimSpace(r.PostFormValue("studio_teacher"))
	if err := s.ops.NameSafeguards(r.Context(), rq.caller(), id, guardians, teacher); err != nil {
		return formError(err, func(status int, _ string) error {
			return s.renderScene(w, r, rq, id, status, sceneForms{safeguardError: formErrorsOf(err, safeguardFields, formField{}), guardians: guardians, teacher: &teacher})
		})
	}
	return redirect(w, r, fmt.Sprintf("/scenes/%d#safeguards", id))
}

// pageCastPerformer puts a performer into the scene or takes them out
// (in=0), by the IC's hand.
func (s *Server) pageCastPerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	sceneID, _ := pathID(r, "id")
	performerID, err := formID(r, "performer_id")
	if err == nil {
		err = s.ops.CastPerformer(r.Context(), rq.caller(), sceneID, performerID, r.PostFormValue("in") != "0")
	}
	if err != nil {
		return formError(err, func(status int, _ string) error {
			return s.renderScene(w, r, rq, sceneID, status, sceneForms{castError: formErrorsOf(err, nil, formField{})})
		})
	}
	return redirect(w, r, fmt.Sprintf("/scenes/%d#cast", sceneID))
}

// safeguardFields are the safeguards form's inputs: a guardian's is named
// by the performer's id ("guardians[7]" is the input guardian-7).
func safeguardFields(e *closedset.Error) (formField, bool) {
	if e.Field == "studio_teacher" {
		return formField{Input: "studio_teacher", Label: "Studio teacher"}, true
	}
	if id := fieldIndex(e.Field); strings.HasPrefix(e.Field, "guardians[") && id > 0 {
		return formField{Input: fmt.Sprintf("guardian-%d", id), Label: "Guardian"}, true
	}
	return formField{}, false
}
