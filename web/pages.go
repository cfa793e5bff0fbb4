package web

import (
	"closedset"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"closedset/auth"
	"closedset/consent"
	"closedset/ops"
	"closedset/production"
)

// The server-rendered pages. They work without JavaScript: every change is
// a form POST carrying the session's CSRF token, answered by a 303 to the
// page that shows the result, or by the form again with its error.

// pageRoutes registers the pages in the one route table, each with the
// action it needs, so the authorization matrix covers them as it covers
// the API.
func (s *Server) pageRoutes() {
	s.route("GET /static/", public, nil, s.pageStatic)
	s.route("GET /{$}", signedIn, nil, s.pageHome)
	s.route("GET /signin", public, nil, s.pageSignIn)
	s.route("POST /signin", public, nil, s.pageSignInPost)
	s.route("POST /signout", signedIn, nil, s.pageSignOut)

	s.route("GET /productions", auth.ProductionList, nil, s.pageProductions)
	s.route("POST /productions", auth.ProductionCreate, nil, s.pageCreateProduction)
	s.route("GET /productions/{id}", auth.ProductionRead, s.productionScope("id"), s.pageProduction)
	s.route("POST /productions/{id}/members", auth.MemberAdd, s.productionScope("id"), s.pageAddMember)
	s.route("POST /productions/{id}/policy", auth.PolicyWrite, s.productionScope("id"), s.pageSetPolicy)
	s.uploadRoute("POST /productions/{id}/scripts", auth.ScriptUpload, s.productionScope("id"), s.pageUploadScript)

	s.route("GET /revisions/{id}/diff", auth.RevisionDiff, s.revisionScope("id"), s.pageRevisionDiff)
	s.route("GET /scenes/{id}", auth.SceneRead, s.sceneScope("id"), s.pageScene)
	s.route("POST /flags/{id}/review", auth.FlagReview, s.flagScope("id"), s.pageReviewFlag)
	s.consentPageRoutes()
	s.shootDayPageRoutes()
	s.schedulePageRoutes()
	s.shootPageRoutes()
	s.peoplePageRoutes()
	s.accountRoutes()
	s.alertRoutes()
	s.credentialsPageRoutes()
}

// view wraps a page's data with what the layout needs.
func (s *Server) view(rq *request, title string, page any) view {
	v := view{Title: title, Page: page, CSRF: s.csrfToken(rq)}
	if rq.User.ID != 0 {
		u := rq.User
		v.User = &u
	}
	return v
}

// liveView is view for a page that follows production productionID live:
// a consent withdrawn elsewhere shows without a reload (invariant 2).
func (s *Server) liveView(rq *request, title string, page any, productionID int64) view {
	v := s.view(rq, title, page)
	v.Live = liveURL(productionID)
	return v
}

func (s *Server) pageStatic(w http.ResponseWriter, r *http.Request, rq *request) error {
	if !serveStatic(w, r) {
		return errorf(codeNotFound, "There is no file at this address.")
	}
	return nil
}

// pageHome sends a signed-in user to their productions; the middleware
// has sent anyone else to sign in.
func (s *Server) pageHome(w http.ResponseWriter, r *http.Request, rq *request) error {
	return redirect(w, r, "/productions")
}

// Sign in and out.

func (s *Server) pageSignIn(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.User.ID != 0 {
		return redirect(w, r, nextPage(r.URL.Query().Get("next")))
	}
	next, _ := sitePath(r.URL.Query().Get("next"))
	return renderPage(w, http.StatusOK, "signin", s.view(rq, "Sign in", signinPage{Next: next}))
}

func (s *Server) pageSignInPost(w http.ResponseWriter, r *http.Request, rq *request) error {
	email, next := r.PostFormValue("email"), r.PostFormValue("next")
	if _, err := s.signIn(w, r, email, r.PostFormValue("password")); err != nil {
		e := asError(err)
		if statusOf(e.Code) >= 500 {
			return err
		}
		// wrongLogin says only "wrong email or password"; rate limiting
		// says how long to wait.
		errs := formErrorsOf(err, nil, formField{})
		return renderPage(w, statusOf(e.Code), "signin", s.view(rq, "Sign in", signinPage{Email: email, Errors: errs, Next: nextPage(next)}).withErrors(errs))
	}
	return redirect(w, r, nextPage(next))
}

func (s *Server) pageSignOut(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.signOut(w, r); err != nil {
		return err
	}
	return redirect(w, r, "/signin")
}

// Productions.

func (s *Server) pageProductions(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderProductions(w, r, rq, http.StatusOK, productionForm{Policy: consent.DefaultPolicyName, Role: string(auth.Producer)}, nil)
}

func (s *Server) renderProductions(w http.ResponseWriter, r *http.Request, rq *request, status int, form productionForm, errs formErrors) error {
	list, err := s.ops.ProductionsOf(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	page := productionsPage{List: list, Form: form, Errors: errs, Policies: consent.Policies()}
	cr, err := s.ops.MyCredentials(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	page.Expiring = cr.Expiring
	return renderPage(w, status, "productions", s.view(rq, "Productions", page).withErrors(errs))
}

func (s *Server) pageCreateProduction(w http.ResponseWriter, r *http.Request, rq *request) error {
	form := productionForm{
		Title:    r.PostFormValue("title"),
		Policy:   r.PostFormValue("policy"),
		TimeZone: strings.TrimSpace(r.PostFormValue("time_zone")),
		Role:     r.PostFormValue("role"),
	}
	np := production.NewProduction{Title: form.Title, Policy: form.Policy, TimeZone: form.TimeZone, Role: auth.Role(form.Role)}
	p, err := s.ops.CreateProduction(r.Context(), rq.caller(), np)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/productions/%d", p.ID))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderProductions(w, r, rq, status, form, formErrorsOf(err, productionFields, formField{}))
	})
}

// productionFields are the new-production form's inputs.
var productionFields = fieldTable(map[string]formField{
	"title":     {Input: "title", Label: "Title"},
	"policy":    {Input: "policy", Label: "Policy", Hint: "choose one of the policies listed"},
	"time_zone": {Input: "time_zone", Label: "Time zone", Hint: "enter a zone such as Europe/London or America/Los_Angeles, or leave it empty"},
})

// productionForms are the production page's forms as typed, with their
// errors, for re-rendering after a failed POST.
type productionForms struct {
	policyError    formErrors
	member         memberForm
	memberError    formErrors
	uploadError    formErrors
	performer      performerForm
	performerError formErrors
	// The people parts: a member's roles or an invitation refused, a
	// performer's edit refused, the link of an invitation just made.
	membersError       string
	performerEditError string
	invited            *invitedView
	// The IC of record refused (issue 16).
	icOfRecordError string
}

// errors are the failed form's errors (one form fails at a time).
func (f productionForms) errors() formErrors {
	return slices.Concat(f.policyError, f.memberError, f.uploadError, f.performerError)
}

func (s *Server) pageProduction(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderProduction(w, r, rq, http.StatusOK, productionForms{member: memberForm{Role: string(auth.Performer)}})
}

// renderProduction shows the production page: each part only to those
// whose roles may read it.
func (s *Server) renderProduction(w http.ResponseWriter, r *http.Request, rq *request, status int, forms productionForms) error {
	ctx := r.Context()
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	filter := parseFilter(r.URL.Query().Get("show"))
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page := productionPage{
		Production: p, Roles: rq.Roles, Zone: loadZone(p.TimeZone), Filters: filterLinks(filter),
		CanUpload: rq.Can(auth.ScriptUpload), UploadError: forms.uploadError,
		CanAddMember: rq.Can(auth.MemberAdd) && rq.Can(auth.MemberInvite), MemberForm: forms.member, MemberError: forms.memberError,
		RoleChoices:    roleChoices(),
		CanEditMembers: rq.Can(auth.MemberEdit), MembersError: forms.membersError, Invited: forms.invited, UserID: rq.User.ID,
		CanEditPerformers: rq.Can(auth.PerformerEdit), CanRemovePerformers: rq.Can(auth.PerformerRemove),
		PerformerEditError: forms.performerEditError,
		CanSetPolicy:       rq.Can(auth.PolicyWrite), PolicyError: forms.policyError,
	}
	if page.Policy, err = s.policyAndPack(ctx, p.ID); err != nil {
		return err
	}
	if page.Invitations, err = s.invitationsPart(r, rq); err != nil {
		return err
	}
	names := map[int64]string{}
	if rq.Can(auth.MemberList) {
		if page.Members, err = s.ops.Members(ctx, p.ID); err != nil {
			return err
		}
		for _, m := range page.Members {
			names[m.UserID] = m.Name
		}
	}
	if rq.Can(auth.ScriptRead) {
		scripts, err := s.ops.Scripts(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, sc := range scripts {
			sv := scriptView{Script: sc}
			for _, rev := range sc.Revisions {
				name, err := s.userName(ctx, names, rev.UploadedBy)
				if err != nil {
					return err
				}
				sv.Revisions = append(sv.Revisions, revisionView{Revision: rev, UploaderName: name})
			}
			page.Scripts = append(page.Scripts, sv)
		}
	}
	if rq.Can(auth.SceneList) {
		scenes, err := s.ops.CurrentScenes(ctx, p.ID)
		if err != nil {
			return err
		}
		var kept []production.Scene
		for _, sc := range s.ops.VisibleScenes(ctx, rq.caller(), scenes) {
			page.Total++
			if sc.NeedsIC {
				page.NeedIC++
			}
			if unreviewed(sc) {
				page.Unreviewed++
			}
			if len(sc.Flagged()) > 0 {
				page.Flagged++
			}
			if keep(filter, sc) {
				kept = append(kept, sc)
			}
		}
		page.Shown = len(kept)
		page.Pages = newPager(pageNo, len(kept), scenesPerPage, func(n int) string { return sceneListURL(filter, n) })
		fc := flagContext{CanReview: rq.Can(auth.FlagReview), CSRF: s.csrfToken(rq), Filter: filter, Page: page.Pages.Page, Zone: page.Zone}
		for _, sc := range kept[max(page.Pages.First-1, 0):page.Pages.Last] {
			page.Scenes = append(page.Scenes, newSceneView(sc, fc))
		}
	}
	if page.Consent, err = s.productionConsentPart(ctx, rq, forms); err != nil {
		return err
	}
	if page.ICOfRecord, err = s.icOfRecordPart(r, rq, page.Members, forms.icOfRecordError); err != nil {
		return err
	}
	return renderPage(w, status, "production", s.view(rq, p.Title, page).withErrors(forms.errors()))
}

// userName is a user's name for "uploaded by", from the members already
// loaded or else the store (someone who has since left the production).
func (s *Server) userName(ctx context.Context, names map[int64]string, id int64) (string, error) {
	if n, ok := names[id]; ok {
		return n, nil
	}
	u, err := s.ops.User(ctx, id)
	if closedset.Is(err, closedset.NotFound) {
		u.Name = "a former user"
	} else if err != nil {
		return "", err
	}
	names[id] = u.Name
	return u.Name, nil
}

// pageAddMember invites an email, whether or not it has an account: the
// invitation's link is shown on this answer, once (no redirect, so it is
// in no URL and no history).
func (s *Server) pageAddMember(w http.ResponseWriter, r *http.Request, rq *request) error {
	form := memberForm{Email: strings.TrimSpace(r.PostFormValue("email")), Role: r.PostFormValue("role")}
	got, err := s.addMember(r.Context(), rq, form)
	if err == nil {
		w.Header().Set("Cache-Control", "no-store")
		invited := &invitedView{Email: got.Invitation.Email, Role: string(got.Invitation.Role), URL: s.invitationURL(r, got.Token)}
		return s.renderProduction(w, r, rq, http.StatusOK, productionForms{member: memberForm{Role: form.Role}, invited: invited})
	}
	return formError(err, func(status int, _ string) error {
		return s.renderProduction(w, r, rq, status, productionForms{member: form, memberError: formErrorsOf(err, memberFields, formField{Input: "member-email"})})
	})
}

// memberFields are the add-member form's inputs; an error of no field
// (no such user, already a member) is the email's.
var memberFields = fieldTable(map[string]formField{
	"email": {Input: "member-email", Label: "Email", Hint: "enter an address like name@example.com"},
	"role":  {Input: "member-role", Label: "Role", Hint: "choose one of the roles listed"},
})

// pageSetPolicy tightens the production's policy from the form: the
// notice in hours, the safeguards as checkboxes, the pause word.
func (s *Server) pageSetPolicy(w http.ResponseWriter, r *http.Request, rq *request) error {
	err := s.setPolicyForm(r, rq)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/productions/%d#policy", rq.ProductionID))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderProduction(w, r, rq, status, productionForms{member: memberForm{Role: string(auth.Performer)}, policyError: formErrorsOf(err, policyFields, formField{})})
	})
}

// policyFields are the policy form's inputs, by the policy's fields.
var policyFields = fieldTable(map[string]formField{
	"notice_hours":               {Input: "policy-notice", Label: "Rider notice", Hint: "enter a whole number of hours"},
	"notice_period":              {Input: "policy-notice", Label: "Rider notice"},
	"studio_teacher_under":       {Input: "policy-teacher", Label: "Studio teacher age", Hint: "enter a whole number of years (0 for none)"},
	"pause_word":                 {Input: "policy-word", Label: "Pause word"},
	"barriers_for_simulated_sex": {Input: "policy-barriers", Label: "Barriers for simulated sex"},
	"guardian_for_minors":        {Input: "policy-guardian", Label: "A named guardian"},
})

func (s *Server) setPolicyForm(r *http.Request, rq *request) error {
	hours, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("notice_hours")), 10, 64)
	if err != nil {
		return closedset.FieldErrorf(closedset.Invalid, "notice_hours", "%q is not a whole number of hours", r.PostFormValue("notice_hours"))
	}
	teacher, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("studio_teacher_under")))
	if err != nil {
		return closedset.FieldErrorf(closedset.Invalid, "studio_teacher_under", "%q is not a whole number", r.PostFormValue("studio_teacher_under"))
	}
	barriers, guardian := r.PostFormValue("barriers_for_simulated_sex") == "on", r.PostFormValue("guardian_for_minors") == "on"
	word := r.PostFormValue("pause_word")
	in := policyIn{NoticeHours: &hours, BarriersForSimulatedSex: &barriers, StudioTeacherUnder: &teacher, GuardianForMinors: &guardian, PauseWord: &word}
	cur, err := s.policyAndPack(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	want, err := in.apply(cur.Policy)
	if err != nil {
		return err
	}
	_, err = s.ops.SetPolicy(r.Context(), rq.caller(), want)
	return err
}

// addMember invites an email to rq's production in a role.
func (s *Server) addMember(ctx context.Context, rq *request, f memberForm) (ops.Invited, error) {
	role, err := auth.ParseRole(f.Role)
	if err != nil {
		return ops.Invited{}, err
	}
	return s.ops.Invite(ctx, rq.caller(), f.Email, role, s.rand)
}

func (s *Server) pageUploadScript(w http.ResponseWriter, r *http.Request, rq *request) error {
	rev, err := s.uploadForm(r, rq)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/productions/%d#scripts", rev.ProductionID))
	}
	return formError(err, func(status int, _ string) error {
		return s.renderProduction(w, r, rq, status, productionForms{member: memberForm{Role: string(auth.Performer)},
			uploadError: formErrorsOf(err, nil, formField{Input: "file"})})
	})
}

// uploadForm reads the upload form (a file, and "new" or the script it is
// a revision of) and stores the script.
func (s *Server) uploadForm(r *http.Request, rq *request) (production.Revision, error) {
	var scriptID int64
	if v := r.PostFormValue("script"); v != "" && v != "new" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return production.Revision{}, errorf(codeBadRequest, "script %q is not a script of this production", v)
		}
		scriptID = id
	}
	f, fh, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return production.Revision{}, errorf(codeBadRequest, "choose a script file to upload")
	} else if err != nil {
		return production.Revision{}, err
	}
	defer f.Close()
	data, err := readBody(f, s.maxUpload, fh.Filename)
	if err != nil {
		return production.Revision{}, err
	}
	return s.ops.UploadScript(r.Context(), rq.caller(), scriptID, fh.Filename, data)
}

// Revisions, scenes and flags.

func (s *Server) pageRevisionDiff(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	id, _ := pathID(r, "id") // checked by the scope
	rev, err := s.ops.Revision(ctx, id)
	if err != nil {
		return err
	}
	var against int64
	if v := r.URL.Query().Get("against"); v != "" {
		if against, err = strconv.ParseInt(v, 10, 64); err != nil || against <= 0 {
			return errorf(codeBadRequest, "against %q is not a revision id", v)
		}
	} else {
		prev, err := s.ops.PreviousRevision(ctx, rev)
		if err != nil {
			return err
		}
		against = prev.ID
	}
	d, err := s.ops.RevisionDiff(ctx, rq.caller(), against, id)
	if err != nil {
		return err
	}
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	page := diffPage{Production: p, ScriptTitle: rev.Title, Old: d.Old, New: d.New}
	for _, e := range d.Entries { // the scenes the viewer may read
		v := diffEntryView{Change: e.Change, FlagsAdded: e.FlagsAdded, FlagsRemoved: e.FlagsRemoved, TextChanged: e.TextChanged, Text: e.Text}
		if e.New >= 0 {
			v.Scene = &d.NewScenes[e.New]
		}
		if e.Old >= 0 {
			old := &d.OldScenes[e.Old]
			switch {
			case e.Change == production.Removed:
				v.Scene = old
			case v.Scene != nil && (old.Number != v.Scene.Number || old.Heading != v.Scene.Heading):
				v.OldScene = old // renumbered or renamed: say what it was
			}
		}
		page.Entries = append(page.Entries, v)
	}
	return renderPage(w, http.StatusOK, "diff", s.view(rq, "Changes in "+rev.Title, page))
}

func (s *Server) pageScene(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	return s.renderScene(w, r, rq, id, http.StatusOK, sceneForms{})
}

// renderScene shows a scene with its flags and, to those who may see
// them, its consent section's parts (forms keeps what was typed into a
// form that failed, with its error).
func (s *Server) renderScene(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, forms sceneForms) error {
	ctx := r.Context()
	sc, err := s.ops.Scene(ctx, id)
	if err != nil {
		return err
	}
	if sc.ProductionID != rq.ProductionID || len(s.ops.VisibleScenes(ctx, rq.caller(), []production.Scene{sc})) == 0 {
		return errorf(codeNotFound, "not found")
	}
	p, err := s.ops.Production(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	rev, err := s.ops.Revision(ctx, sc.RevisionID)
	if err != nil {
		return err
	}
	page := scenePage{Production: p, Revision: rev, ScriptTitle: rev.Title, CanShoot: rq.Can(auth.ClosedSetRead)}
	scripts, err := s.ops.Scripts(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, script := range scripts {
		if n := len(script.Revisions); script.ID == sc.ScriptID && n > 0 {
			page.ScriptTitle = script.Title
			page.Current = script.Revisions[n-1].ID == rev.ID
		}
	}
	fc := flagContext{CanReview: rq.Can(auth.FlagReview), CSRF: s.csrfToken(rq), Return: "scene", Zone: loadZone(p.TimeZone)}
	page.Scene = newSceneView(sc, fc)
	if page.Consent, err = s.sceneConsentPart(ctx, rq, sc, p, forms); err != nil {
		return err
	}
	return renderPage(w, status, "scene", s.liveView(rq, sc.Heading, page, p.ID).withErrors(forms.errors()))
}

func (s *Server) pageReviewFlag(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	d, err := production.ParseDecision(r.PostFormValue("decision"))
	if err != nil {
		return err
	}
	f, err := s.ops.ReviewFlag(r.Context(), rq.caller(), id, d, r.PostFormValue("note"))
	if err != nil {
		return err
	}
	if r.PostFormValue("return") == "scene" {
		return redirect(w, r, fmt.Sprintf("/scenes/%d#scene-%d", f.SceneID, f.SceneID))
	}
	n, _ := strconv.Atoi(r.PostFormValue("page"))
	list, _ := strings.CutSuffix(sceneListURL(parseFilter(r.PostFormValue("show")), n), "#scenes")
	if list == "?" {
		list = ""
	}
	return redirect(w, r, fmt.Sprintf("/productions/%d%s#scene-%d", rq.ProductionID, list, f.SceneID))
}

// renderErrorPage answers a page request's error with the error page. An
// internal error shows only the request id, under which it was logged.
func (s *Server) renderErrorPage(w http.ResponseWriter, r *http.Request, rq *request, e *Error) {
	status := statusOf(e.Code)
	msg := e.Message
	if e.Code == codeInternal {
		msg = "Something went wrong on our side (request " + rq.ID + "). Try again; if it persists, tell your administrator."
	}
	page := errorPage{Heading: errorHeadings[e.Code], Message: msg}
	if page.Heading == "" {
		page.Heading = http.StatusText(status)
	}
	if err := renderPage(w, status, "error", s.view(rq, page.Heading, page)); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "request_id", rq.ID, "err", err)
		http.Error(w, msg, status)
	}
}

var errorHeadings = map[code]string{
	codeBadRequest:       "That did not work",
	codeForbidden:        "Not allowed",
	codeNotFound:         "Not found",
	codeMethodNotAllowed: "Not that way",
	codeConflict:         "Already there",
	codeTooLarge:         "Too large",
	codeUnprocessable:    "Could not read that",
	codeRateLimited:      "Too many attempts",
	codeInternal:         "Something went wrong",
	codeUnavailable:      "Try again shortly",
}
