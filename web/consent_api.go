package web

import (
	"bytes"
	"closedset"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"closedset/auth"
	"closedset/consent"
	"closedset/docs"
	"closedset/ops"
)

// consentAPIRoutes registers the consent ledger's API (issue 5). Scopes
// say whose record a request touches: a performer's own record, their
// riders, the scenes they are cast in.
func (s *Server) consentAPIRoutes() {
	const v1 = "/api/v1"
	s.route("POST "+v1+"/productions/{id}/performers", auth.PerformerCreate, s.productionScope("id"), s.apiCreatePerformer)
	s.route("GET "+v1+"/productions/{id}/performers", auth.PerformerList, s.productionScope("id"), s.apiPerformers)
	s.route("GET "+v1+"/performers/{id}", auth.PerformerRead, s.performerScope("id"), s.apiPerformer)
	s.largeRoute("PUT "+v1+"/performers/{id}/boundaries", auth.BoundariesWrite, s.performerScope("id"), s.apiPutBoundaries)
	s.route("GET "+v1+"/performers/{id}/boundaries", auth.BoundariesRead, s.performerScope("id"), s.apiBoundaries)
	s.route("GET "+v1+"/performers/{id}/boundaries/readers", auth.BoundariesRead, s.performerScope("id"), s.apiBoundaryReaders)
	s.route("GET "+v1+"/performers/{id}/riders", auth.RiderRead, s.performerScope("id"), s.apiPerformerRiders)

	s.route("PUT "+v1+"/scenes/{id}/schedule", auth.ScheduleWrite, s.sceneScope("id"), s.apiSchedule)
	s.largeRoute("PUT "+v1+"/scenes/{id}/plan", auth.PlanWrite, s.sceneScope("id"), s.apiPutPlan)
	s.route("GET "+v1+"/scenes/{id}/plan", auth.PlanRead, s.sceneScope("id"), s.apiPlan)
	s.route("GET "+v1+"/scenes/{id}/plan/versions", auth.PlanRead, s.sceneScope("id"), s.apiPlanVersions)

	s.route("POST "+v1+"/productions/{id}/performers/{pid}/riders", auth.RiderIssue, s.productionScope("id"), s.apiIssueRider)
	s.route("POST "+v1+"/scenes/{id}/cast", auth.SceneCast, s.sceneScope("id"), s.apiCastPerformer)
	s.route("GET "+v1+"/productions/{id}/riders", auth.RiderIssue, s.productionScope("id"), s.apiRiderBoard)
	// {file} is "12", "12.pdf" or "12.html": a wildcard is a whole segment.
	s.route("GET "+v1+"/riders/{file}", auth.RiderRead, s.riderScope("file"), s.apiRider)
	s.route("POST "+v1+"/riders/{id}/sign", auth.RiderSign, s.riderScope("id"), s.apiSignRider)

	s.routeOr("POST "+v1+"/scenes/{id}/consents/withdraw", auth.ConsentWithdraw, auth.ConsentWithdrawFor, s.sceneScope("id"), s.apiWithdraw)
	// Re-confirming is consenting: the performer's own act, like signing.
	s.route("POST "+v1+"/scenes/{id}/consents/reconfirm", auth.ConsentReconfirm, s.sceneScope("id"), s.apiReconfirm)
	s.route("GET "+v1+"/scenes/{id}/consents", auth.ReadinessRead, s.sceneScope("id"), s.apiConsents)
	s.route("PUT "+v1+"/scenes/{id}/safeguards", auth.SafeguardWrite, s.sceneScope("id"), s.apiSafeguards)
	s.route("GET "+v1+"/scenes/{id}/readiness", auth.ReadinessRead, s.sceneScope("id"), s.apiReadiness)
	s.route("GET "+v1+"/scenes/{id}/summary", auth.SummaryRead, s.sceneScope("id"), s.apiSummary(""))
	s.route("GET "+v1+"/scenes/{id}/summary.pdf", auth.SummaryRead, s.sceneScope("id"), s.apiSummary("pdf"))
	s.route("GET "+v1+"/scenes/{id}/summary.html", auth.SummaryRead, s.sceneScope("id"), s.apiSummary("html"))
	s.route("GET "+v1+"/productions/{id}/consents", auth.ReadinessRead, s.productionScope("id"), s.apiConsentGrid)
	s.streamRoute("GET "+v1+"/productions/{id}/events", auth.ProductionRead, s.productionScope("id"), s.apiEvents)
	s.route("GET "+v1+"/productions/{id}/policy", auth.ProductionRead, s.productionScope("id"), s.apiPolicy)
	s.route("PUT "+v1+"/productions/{id}/policy", auth.PolicyWrite, s.productionScope("id"), s.apiSetPolicy)
}

// policyOut is the policy in force beside the pack it tightens.
type policyOut struct {
	Policy consent.Policy `json:"policy"`
	Pack   consent.Policy `json:"pack"`
}

func (s *Server) policyAndPack(ctx context.Context, productionID int64) (policyOut, error) {
	prod, err := s.ops.Production(ctx, productionID)
	if err != nil {
		return policyOut{}, err
	}
	pack, err := consent.PolicyByName(prod.Policy)
	if err != nil {
		return policyOut{}, err
	}
	pol, err := s.ops.Policy(ctx, prod)
	return policyOut{Policy: pol, Pack: pack}, err
}

func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request, rq *request) error {
	out, err := s.policyAndPack(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// policyIn is a change to the policy in force: fields left out keep their
// value.
type policyIn struct {
	NoticeHours             *int64  `json:"notice_hours"`
	BarriersForSimulatedSex *bool   `json:"barriers_for_simulated_sex"`
	StudioTeacherUnder      *int    `json:"studio_teacher_under"`
	GuardianForMinors       *bool   `json:"guardian_for_minors"`
	PauseWord               *string `json:"pause_word"`
}

// apply returns cur changed by in, the notice bounded before it becomes a
// Duration.
func (in policyIn) apply(cur consent.Policy) (consent.Policy, error) {
	if in.NoticeHours != nil {
		if h := *in.NoticeHours; h < 0 || h > int64(consent.MaxNoticePeriod/time.Hour) {
			return cur, closedset.FieldErrorf(closedset.Invalid, "notice_hours", "%d is outside 0..%d", h, int64(consent.MaxNoticePeriod/time.Hour))
		}
		cur.NoticePeriod = time.Duration(*in.NoticeHours) * time.Hour
	}
	if in.BarriersForSimulatedSex != nil {
		cur.BarriersForSimulatedSex = *in.BarriersForSimulatedSex
	}
	if in.StudioTeacherUnder != nil {
		cur.StudioTeacherUnder = *in.StudioTeacherUnder
	}
	if in.GuardianForMinors != nil {
		cur.GuardianForMinors = *in.GuardianForMinors
	}
	if in.PauseWord != nil {
		cur.PauseWord = *in.PauseWord
	}
	return cur, nil
}

func (s *Server) apiSetPolicy(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in policyIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	cur, err := s.policyAndPack(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	want, err := in.apply(cur.Policy)
	if err != nil {
		return err
	}
	if _, err := s.ops.SetPolicy(r.Context(), rq.caller(), want); err != nil {
		return err
	}
	out, err := s.policyAndPack(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// performerScope: the parameter is a performer id; own when the performer
// record is the user's.
func (s *Server) performerScope(param string) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		if err != nil {
			return 0, false, err
		}
		p, err := s.ops.Performer(r.Context(), id)
		if closedset.Is(err, closedset.NotFound) {
			return 0, false, errorf(codeNotFound, "not found")
		} else if err != nil {
			return 0, false, err
		}
		return p.ProductionID, p.UserID != 0 && p.UserID == rq.User.ID, nil
	}
}

// docFile reads a document's path segment: "12", "12.pdf" or "12.html",
// as an id and an extension ("" for JSON).
func docFile(v string) (int64, string, error) {
	base, ext, _ := strings.Cut(v, ".")
	if ext != "" && ext != "pdf" && ext != "html" {
		return 0, "", errorf(codeNotFound, "%q is not a rider: want ID, ID.pdf or ID.html", clipText(v, 40))
	}
	id, err := strconv.ParseInt(base, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", errorf(codeNotFound, "%q is not an id", clipText(v, 40))
	}
	return id, ext, nil
}

// riderScope: the parameter names a rider (docFile); own when the rider
// is the user's.
func (s *Server) riderScope(param string) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, _, err := docFile(r.PathValue(param))
		if err != nil {
			return 0, false, err
		}
		rd, err := s.ops.Rider(r.Context(), id)
		if closedset.Is(err, closedset.NotFound) {
			return 0, false, errorf(codeNotFound, "not found")
		} else if err != nil {
			return 0, false, err
		}
		p, err := s.ops.Performer(r.Context(), rd.PerformerID)
		if err != nil {
			return 0, false, err
		}
		return rd.ProductionID, p.UserID != 0 && p.UserID == rq.User.ID, nil
	}
}

// Performers.

func (s *Server) apiCreatePerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in performerIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.createPerformer(r.Context(), rq, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/performers/"+strconv.FormatInt(p.ID, 10))
	return writeJSON(w, http.StatusCreated, performerJSON(p, true))
}

// apiPerformers is the cast list: names and characters for everyone, the
// records' private fields for performer.read (and for a performer, their
// own).
func (s *Server) apiPerformers(w http.ResponseWriter, r *http.Request, rq *request) error {
	ps, err := s.ops.Performers(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	out := make([]performerOut, len(ps))
	for i, p := range ps {
		out[i] = performerJSON(p, auth.Can(rq.Principal(), auth.PerformerRead, rq.caller().Owns(p)))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"performers": out})
}

func (s *Server) apiPerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id") // checked by the scope
	p, err := s.ops.Performer(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, performerJSON(p, true))
}

func (s *Server) apiPutBoundaries(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	if err := requireJSON(r); err != nil {
		return err
	}
	b, err := consent.DecodeBoundaries(r.Body)
	if err != nil {
		return err
	}
	version, err := s.ops.PutBoundaries(r.Context(), rq.caller(), id, b)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, boundariesJSON(id, b, version))
}

func (s *Server) apiBoundaries(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	b, version, err := s.ops.Boundaries(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, boundariesJSON(id, b, version))
}

// apiBoundaryReaders answers who can read the performer's boundaries now,
// each since when.
func (s *Server) apiBoundaryReaders(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	rs, err := s.ops.BoundaryReaders(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	type readerOut struct {
		Name  string    `json:"name"`
		Email string    `json:"email"`
		Role  string    `json:"role"`
		Since time.Time `json:"since"`
	}
	out := make([]readerOut, len(rs))
	for i, x := range rs {
		out[i] = readerOut{Name: x.Name, Email: x.Email, Role: string(auth.IC), Since: x.Since}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"readers": out})
}

func (s *Server) apiPerformerRiders(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	riders, err := s.ops.RidersOf(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]riderOut, len(riders))
	for i, rd := range riders {
		out[i] = riderJSON(rd, nil)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"riders": out})
}

// Scenes: schedule and plan.

func (s *Server) apiSchedule(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		CallTime string `json:"call_time"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	_, tz, err := s.ops.ProductionZone(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	at, err := parseCallTime(in.CallTime, tz)
	if err != nil {
		return err
	}
	if err := s.ops.SetCallTime(r.Context(), rq.caller(), id, at); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"scene_id": id, "call_time": at.In(tz)})
}

func (s *Server) apiPutPlan(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	if err := requireJSON(r); err != nil {
		return err
	}
	p, err := consent.DecodePlan(r.Body)
	if err != nil {
		return err
	}
	pv, err := s.ops.PutPlan(r.Context(), rq.caller(), id, p)
	if err != nil {
		return err
	}
	out := planJSON(pv, nil)
	// Saved whatever the boundaries say: the IC who saved it reads at
	// once what goes beyond them.
	if out.Conflicts, err = s.planConflicts(r.Context(), rq, id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// planConflicts are the lines of the scene's current plan beyond its
// performers' boundaries, for an IC (who reads every performer's
// boundaries); nil for anyone else, who never sees them.
func (s *Server) planConflicts(ctx context.Context, rq *request, sceneID int64) ([]consent.Conflict, error) {
	// Every performer's boundaries, not the asker's own: a performer of
	// the scene reads their own on their rider.
	if !auth.Can(rq.Principal(), auth.BoundariesRead, false) {
		return nil, nil
	}
	return s.ops.PlanConflicts(ctx, rq.caller(), sceneID)
}

func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	ctx := r.Context()
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return errorf(codeBadRequest, "version %q is not a version number", clipText(v, 20))
		}
		versions, err := s.ops.PlanVersions(ctx, id)
		if err != nil {
			return err
		}
		for _, pv := range versions {
			if pv.Version == n {
				p, err := ops.DecodeStoredPlan(pv)
				if err != nil {
					return err
				}
				return writeJSON(w, http.StatusOK, planJSON(pv, &p))
			}
		}
		return errorf(codeNotFound, "scene %d has no plan version %d", id, n)
	}
	p, pv, ok, err := s.ops.CurrentPlan(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return errorf(codeNotFound, "scene %d has no plan yet", id)
	}
	out := planJSON(pv, &p)
	if out.Conflicts, err = s.planConflicts(ctx, rq, id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiPlanVersions(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	versions, err := s.ops.PlanVersions(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]planOut, len(versions))
	for i, pv := range versions {
		out[i] = planJSON(pv, nil)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"versions": out})
}

// Riders.

func (s *Server) apiIssueRider(w http.ResponseWriter, r *http.Request, rq *request) error {
	pid, err := pathID(r, "pid")
	if err != nil {
		return err
	}
	rd, created, err := s.ops.IssueRider(r.Context(), rq.caller(), pid)
	if err != nil {
		return err
	}
	doc, _, err := s.ops.RiderDoc(r.Context(), rq.caller(), rd.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/riders/"+strconv.FormatInt(rd.ID, 10))
	status := http.StatusCreated
	if !created { // the unsigned rider for these very plans, already delivered
		status = http.StatusOK
	}
	return writeJSON(w, status, riderJSON(rd, &doc))
}

// apiRider answers a rider as JSON, or its document as PDF or HTML (with
// the signature certificate once signed).
func (s *Server) apiRider(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, ext, _ := docFile(r.PathValue("file")) // checked by the scope
	ctx := r.Context()
	rd, err := s.ops.Rider(ctx, id)
	if err != nil {
		return err
	}
	doc, sig, err := s.ops.RiderDoc(ctx, rq.caller(), id)
	if err != nil {
		return err
	}
	name := "rider-" + strconv.FormatInt(id, 10)
	switch ext {
	case "pdf":
		paper, err := s.paper(r.Context(), rq.ProductionID)
		if err != nil {
			return err
		}
		return renderDoc(w, ext, name, func(b *bytes.Buffer) error {
			if sig != nil {
				return docs.RenderSignedRiderPDF(b, doc, *sig, paper)
			}
			return docs.RenderRiderPDF(b, doc, paper)
		})
	case "html":
		return renderDoc(w, ext, name, func(b *bytes.Buffer) error {
			if sig != nil {
				return docs.RenderSignedRiderHTML(b, doc, *sig)
			}
			return docs.RenderRiderHTML(b, doc)
		})
	}
	return writeJSON(w, http.StatusOK, riderJSON(rd, &doc))
}

func (s *Server) apiSignRider(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id") // a rider, not one of its files
	if err != nil {
		return err
	}
	var in struct {
		TypedName string `json:"typed_name"`
		Agree     bool   `json:"agree"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rd, err := s.ops.SignRider(r.Context(), rq.caller(), id, in.TypedName, in.Agree, s.clientAddr(r), r.UserAgent())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, riderJSON(rd, nil))
}

// Consents.

func (s *Server) apiWithdraw(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		PerformerID int64  `json:"performer_id"`
		Reason      string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.PerformerID <= 0 {
		return errorf(codeBadRequest, "performer_id is missing")
	}
	if err := s.ops.Withdraw(r.Context(), rq.caller(), id, in.PerformerID, in.Reason); err != nil {
		return err
	}
	return s.answerConsent(w, r, id, in.PerformerID)
}

func (s *Server) apiReconfirm(w http.ResponseWriter, r *http.Request, rq *request) error {
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
	if err := s.ops.Reconfirm(r.Context(), rq.caller(), id, in.PerformerID); err != nil {
		return err
	}
	return s.answerConsent(w, r, id, in.PerformerID)
}

// answerConsent answers one performer's consent state on the scene, as
// it stands after a change.
func (s *Server) answerConsent(w http.ResponseWriter, r *http.Request, sceneID, performerID int64) error {
	out, err := s.sceneConsents(r.Context(), sceneID, performerID)
	if err != nil {
		return err
	}
	if len(out) == 0 {
		return errorf(codeNotFound, "performer %d is not cast in scene %d", performerID, sceneID)
	}
	return writeJSON(w, http.StatusOK, out[0])
}

// sceneConsents is each cast performer's consent state on the scene (only
// performerID's when it is not 0).
func (s *Server) sceneConsents(ctx context.Context, sceneID, performerID int64) ([]consentOut, error) {
	sc, err := s.ops.Scene(ctx, sceneID)
	if err != nil {
		return nil, err
	}
	f, err := s.ops.SceneFacts(ctx, sc)
	if err != nil {
		return nil, err
	}
	out := []consentOut{}
	for _, p := range f.Performers {
		if performerID != 0 && p.ID != performerID {
			continue
		}
		c := consent.Latest(f.Consents, p.ID, sc.ID)
		co := consentOut{PerformerID: p.ID, PerformerName: p.Name, State: consent.StateOf(c, f.PlanHash, f.Scene.TextHash)}
		if c != nil {
			given := c.GivenAt
			co.ConsentID, co.RiderID, co.Given = c.ID, c.RiderID, &given
			if c.Withdrawal != nil {
				at := c.Withdrawal.At
				co.Withdrawn = &at
			}
		}
		out = append(out, co)
	}
	return out, nil
}

// withdrawalReasons fills in the reasons of the withdrawn consents in out
// that the user may read (auth.WithdrawalReasonRead: own when the
// performer is the user), from the latest withdrawal of each performer on
// the scene.
func (s *Server) withdrawalReasons(ctx context.Context, rq *request, sceneID int64, out []consentOut) error {
	cs, err := s.ops.Consents(ctx, sceneID)
	if err != nil {
		return err
	}
	latest := map[int64]*consent.Withdrawal{}
	for _, c := range cs {
		if w := c.Withdrawal; w != nil && (latest[c.PerformerID] == nil || w.ID > latest[c.PerformerID].ID) {
			latest[c.PerformerID] = w
		}
	}
	for i := range out {
		if out[i].State != consent.Withdrawn {
			continue
		}
		p, err := s.ops.Performer(ctx, out[i].PerformerID)
		if err != nil {
			return err
		}
		if !auth.Can(rq.Principal(), auth.WithdrawalReasonRead, rq.caller().Owns(p)) {
			continue
		}
		reason, err := s.ops.WithdrawalReason(ctx, latest[out[i].PerformerID])
		if err != nil {
			return err
		}
		out[i].Reason = reason
	}
	return nil
}

// apiConsents answers the states of the scene's consents: everyone's for
// those who read readiness, a performer's own otherwise.
func (s *Server) apiConsents(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var only int64
	if !auth.Can(rq.Principal(), auth.ReadinessRead, false) {
		p, ok, err := s.ops.PerformerOf(r.Context(), rq.caller())
		if err != nil {
			return err
		}
		if !ok {
			return errorf(codeForbidden, "%s is not allowed for %s", auth.ReadinessRead, describeRoles(rq))
		}
		only = p.ID
	}
	out, err := s.sceneConsents(r.Context(), id, only)
	if err != nil {
		return err
	}
	// A withdrawal's reason is private like a boundary: the ICs read
	// everyone's, a performer their own; everyone else sees the state.
	if err := s.withdrawalReasons(r.Context(), rq, id, out); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"consents": out})
}

func (s *Server) apiSafeguards(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		Guardians []struct {
			PerformerID int64  `json:"performer_id"`
			Name        string `json:"name"`
		} `json:"guardians"`
		StudioTeacher string `json:"studio_teacher"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	guardians := make(map[int64]string, len(in.Guardians))
	for i, g := range in.Guardians {
		if g.PerformerID <= 0 {
			return errorf(codeBadRequest, "guardians[%d].performer_id is missing", i)
		}
		if _, dup := guardians[g.PerformerID]; dup {
			return errorf(codeBadRequest, "guardians[%d]: performer %d is named twice", i, g.PerformerID)
		}
		guardians[g.PerformerID] = g.Name
	}
	if err := s.ops.NameSafeguards(r.Context(), rq.caller(), id, guardians, in.StudioTeacher); err != nil {
		return err
	}
	sg, err := s.ops.SceneSafeguards(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, safeguardsJSON(id, sg))
}

func (s *Server) apiReadiness(w http.ResponseWriter, r *http.Request, rq *request) error {
	sc, err := s.scopedScene(r, rq)
	if err != nil {
		return err
	}
	res, err := s.ops.ReadinessOf(r.Context(), sc)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, readinessJSON(sc.ID, res))
}

// apiSummary answers a scene's top-line summary as JSON, PDF or HTML.
func (s *Server) apiSummary(ext string) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, _ := pathID(r, "id")
		sum, err := s.ops.SummaryDoc(r.Context(), id)
		if err != nil {
			return err
		}
		name := "summary-scene-" + strconv.FormatInt(id, 10)
		switch ext {
		case "pdf":
			paper, err := s.paper(r.Context(), rq.ProductionID)
			if err != nil {
				return err
			}
			return renderDoc(w, ext, name, func(b *bytes.Buffer) error { return docs.RenderSummaryPDF(b, sum, paper) })
		case "html":
			return renderDoc(w, ext, name, func(b *bytes.Buffer) error { return docs.RenderSummaryHTML(b, sum) })
		}
		return writeJSON(w, http.StatusOK, summaryDocJSON(id, sum))
	}
}

func (s *Server) apiConsentGrid(w http.ResponseWriter, r *http.Request, rq *request) error {
	g, err := s.ops.ConsentGrid(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, gridJSON(g))
}

// paper is the page size of a production's PDFs: Letter or A4 by its time
// zone (docs.PageSizeFor).
func (s *Server) paper(ctx context.Context, productionID int64) (docs.PageSize, error) {
	p, err := s.ops.Production(ctx, productionID)
	if err != nil {
		return "", err
	}
	return docs.PageSizeFor(p.TimeZone), nil
}
