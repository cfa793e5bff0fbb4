package web

import (
	"closedset"
	"context"
	"mime"
	"net/http"
	"strconv"
	"time"
	_ "time/tzdata" // production time zones are validated the same on every host

	"closedset/auth"
	"closedset/production"
)

// apiRoutes registers the JSON API (DESIGN.md "HTTP API"). Each handler
// decodes and validates, calls one operation of package ops (or a read), and
// encodes.
func (s *Server) apiRoutes() {
	const v1 = "/api/v1"
	s.route("GET "+v1+"/openapi.json", public, nil, s.apiOpenAPI)

	s.route("POST "+v1+"/session", public, nil, s.apiSignIn)
	s.route("DELETE "+v1+"/session", signedIn, nil, s.apiSignOut)
	s.route("GET "+v1+"/me", signedIn, nil, s.apiMe)
	s.route("POST "+v1+"/tokens", auth.TokenCreate, s.selfScope(), s.apiCreateToken)
	s.route("GET "+v1+"/tokens", auth.TokenList, s.selfScope(), s.apiTokens)
	s.route("DELETE "+v1+"/tokens/{id}", auth.TokenRevoke, s.selfScope(), s.apiRevokeToken)

	s.route("POST "+v1+"/productions", auth.ProductionCreate, nil, s.apiCreateProduction)
	s.route("GET "+v1+"/productions", auth.ProductionList, nil, s.apiProductions)
	s.route("GET "+v1+"/productions/{id}", auth.ProductionRead, s.productionScope("id"), s.apiProduction)

	s.route("POST "+v1+"/productions/{id}/members", auth.MemberAdd, s.productionScope("id"), s.apiAddMember)
	s.route("GET "+v1+"/productions/{id}/members", auth.MemberList, s.productionScope("id"), s.apiMembers)
	s.route("DELETE "+v1+"/productions/{id}/members/{user_id}", auth.MemberRemove, s.productionScope("id"), s.apiRemoveMember)

	s.uploadRoute("POST "+v1+"/productions/{id}/scripts", auth.ScriptUpload, s.productionScope("id"), s.apiUploadScript)
	s.route("GET "+v1+"/productions/{id}/scripts", auth.ScriptRead, s.productionScope("id"), s.apiScripts)
	s.route("GET "+v1+"/revisions/{id}", auth.ScriptRead, s.revisionScope("id"), s.apiRevision)
	s.route("GET "+v1+"/revisions/{id}/file", auth.ScriptRead, s.revisionScope("id"), s.apiRevisionFile)
	s.route("GET "+v1+"/revisions/{id}/diff", auth.RevisionDiff, s.revisionScope("id"), s.apiRevisionDiff)

	s.route("GET "+v1+"/productions/{id}/scenes", auth.SceneList, s.productionScope("id"), s.apiScenes)
	s.route("GET "+v1+"/scenes/{id}", auth.SceneRead, s.sceneScope("id"), s.apiScene)
	s.route("POST "+v1+"/flags/{id}/review", auth.FlagReview, s.flagScope("id"), s.apiReviewFlag)

	s.consentAPIRoutes()
	s.shootAPIRoutes()
	s.peopleAPIRoutes()
	s.shootDayAPIRoutes()
	s.scheduleRoutes()
	s.breakdownFDXRoutes()
	s.dayReportAPIRoutes()
	s.credentialsAPIRoutes()
}

// Session and tokens.

func (s *Server) apiSignIn(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.signIn(w, r, in.Email, in.Password)
	if err != nil {
		return err
	}
	rq.User = u
	return writeJSON(w, http.StatusOK, map[string]any{"user": userJSON(u)})
}

func (s *Server) apiSignOut(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.signOut(w, r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiMe answers who is signed in, and for a session the CSRF token its
// writes must carry.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, rq *request) error {
	out := map[string]any{"user": userJSON(rq.User)}
	if t := s.csrfToken(rq); t != "" {
		out["csrf_token"] = t
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		Name string `json:"name"`
		// ExpiresInDays is how long the token works; absent or 0: until
		// it is revoked.
		ExpiresInDays int `json:"expires_in_days"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	t, plain, err := s.ops.CreateToken(r.Context(), rq.caller(), in.Name, in.ExpiresInDays, s.rand)
	if err != nil {
		return err
	}
	out := tokenJSON(t)
	out["token"] = plain
	return writeJSON(w, http.StatusCreated, out)
}

// apiTokens lists the caller's own tokens: never a secret or a hash.
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request, rq *request) error {
	ts, err := s.ops.Tokens(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(ts))
	for i, t := range ts {
		out[i] = tokenJSON(t)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}

// apiRevokeToken revokes one of the caller's tokens; anyone else's is 404.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.ops.RevokeToken(r.Context(), rq.caller(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tokenJSON is a token as its owner sees it: last_used and expires are
// null when never used, or never expiring.
func tokenJSON(t auth.Token) map[string]any {
	return map[string]any{"id": t.ID, "name": t.Name, "created": t.Created,
		"last_used": optTime(t.LastUsed), "expires": optTime(t.Expires)}
}

// optTime is t, or nil (JSON null) for the zero time.
func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// Productions and members.

func (s *Server) apiCreateProduction(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		Title    string `json:"title"`
		Policy   string `json:"policy"`
		TimeZone string `json:"time_zone"`
		// Role is the creator's own: ic or producer (the default).
		Role string `json:"role"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	np := production.NewProduction{Title: in.Title, Policy: in.Policy, TimeZone: in.TimeZone, Role: auth.Role(in.Role)}
	p, err := s.ops.CreateProduction(r.Context(), rq.caller(), np)
	if err != nil {
		return err
	}
	roles, err := s.ops.Roles(r.Context(), p.ID, rq.User.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/productions/"+strconv.FormatInt(p.ID, 10))
	return writeJSON(w, http.StatusCreated, productionJSON(p, roles))
}

func (s *Server) apiProductions(w http.ResponseWriter, r *http.Request, rq *request) error {
	ms, err := s.ops.ProductionsOf(r.Context(), rq.User.ID)
	if err != nil {
		return err
	}
	out := make([]productionOut, len(ms))
	for i, m := range ms {
		out[i] = productionJSON(m.Production, m.Roles)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"productions": out})
}

func (s *Server) apiProduction(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.ops.Production(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, productionJSON(p, rq.Roles))
}

// apiAddMember adds an existing account as a member (the member's JSON),
// or invites an email without one ({"invitation": ... with its one-time
// url}).
func (s *Server) apiAddMember(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.invite(w, r, rq)
}

func (s *Server) apiMembers(w http.ResponseWriter, r *http.Request, rq *request) error {
	ms, err := s.ops.Members(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	out := make([]memberOut, len(ms))
	for i, m := range ms {
		out[i] = memberJSON(m)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"members": out})
}

func (s *Server) apiRemoveMember(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	var role auth.Role
	if v := r.URL.Query().Get("role"); v != "" {
		if role, err = auth.ParseRole(v); err != nil {
			return err
		}
	}
	if err := s.ops.RemoveMember(r.Context(), rq.caller(), uid, role); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Scripts and revisions.

func (s *Server) apiUploadScript(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	var scriptID int64
	if v := q.Get("script_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errorf(codeBadRequest, "script_id %q is not an id", v)
		}
		scriptID = id
	}
	if r.ContentLength > s.maxUpload {
		return errorf(codeTooLarge, "the file is %d bytes, over the %d-byte upload limit", r.ContentLength, s.maxUpload)
	}
	data, err := readBody(r.Body, s.maxUpload, "the file")
	if err != nil {
		return err
	}
	rev, err := s.ops.UploadScript(r.Context(), rq.caller(), scriptID, q.Get("filename"), data)
	if err != nil {
		return err
	}
	scenes, err := s.ops.Scenes(r.Context(), rev.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/revisions/"+strconv.FormatInt(rev.ID, 10))
	return writeJSON(w, http.StatusCreated, map[string]any{"revision": revisionJSON(rev), "summary": summaryJSON(scenes)})
}

func (s *Server) apiScripts(w http.ResponseWriter, r *http.Request, rq *request) error {
	scripts, err := s.ops.Scripts(r.Context(), rq.ProductionID)
	if err != nil {
		return err
	}
	out := make([]scriptOut, len(scripts))
	for i, sc := range scripts {
		out[i] = scriptJSON(sc)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"scripts": out})
}

func (s *Server) apiRevision(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id") // checked by the scope
	rev, err := s.ops.Revision(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, revisionJSON(rev))
}

// fileTypes are the Content-Types of the script formats.
var fileTypes = map[string]string{
	"fountain": "text/plain; charset=utf-8",
	"text":     "text/plain; charset=utf-8",
	"fdx":      "application/xml",
	"pdf":      "application/pdf",
}

// apiRevisionFile answers the file as uploaded, byte for byte, as an
// attachment: never rendered by the browser in the app's origin.
func (s *Server) apiRevisionFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	rev, err := s.ops.Revision(r.Context(), id)
	if err != nil {
		return err
	}
	data, err := s.ops.RevisionFile(r.Context(), id)
	if err != nil {
		return err
	}
	ct := fileTypes[rev.Format]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rev.Filename}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
	return nil
}

func (s *Server) apiRevisionDiff(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var against int64
	if v := r.URL.Query().Get("against"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return errorf(codeBadRequest, "against %q is not a revision id", v)
		}
		against = n
	} else {
		rev, err := s.ops.Revision(r.Context(), id)
		if err != nil {
			return err
		}
		prev, err := s.ops.PreviousRevision(r.Context(), rev)
		if err != nil {
			return err
		}
		against = prev.ID
	}
	d, err := s.ops.RevisionDiff(r.Context(), rq.caller(), against, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, diffJSON(d))
}

// Scenes and flags.

func (s *Server) apiScenes(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	var scenes []production.Scene
	var err error
	if v := r.URL.Query().Get("revision"); v != "" {
		id, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || id <= 0 {
			return errorf(codeBadRequest, "revision %q is not an id", v)
		}
		rev, err := s.ops.Revision(ctx, id)
		if closedset.Is(err, closedset.NotFound) || err == nil && rev.ProductionID != rq.ProductionID {
			return errorf(codeNotFound, "no revision %d in this production", id)
		} else if err != nil {
			return err
		}
		scenes, err = s.ops.Scenes(ctx, id)
		if err != nil {
			return err
		}
	} else if auth.Can(rq.Principal(), auth.SceneRead, false) {
		return s.writeCurrentScenes(w, r, rq)
	} else if scenes, err = s.ops.CurrentScenes(ctx, rq.ProductionID); err != nil {
		return err
	}
	scenes = s.ops.VisibleScenes(ctx, rq.caller(), scenes)
	body, err := encodeJSON(scenesJSON(scenes))
	if err != nil {
		return err
	}
	writeJSONBody(w, http.StatusOK, body)
	return nil
}

// writeCurrentScenes answers the production's current scenes, all of
// them, to one who may read every scene: encoded once for everyone, until
// the next write anywhere (sceneLists).
func (s *Server) writeCurrentScenes(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	head, err := s.ops.Head(ctx)
	if err != nil {
		return err
	}
	if body, ok := s.sceneLists.get(rq.ProductionID, head); ok {
		writeJSONBody(w, http.StatusOK, body)
		return nil
	}
	scenes, at, err := s.ops.CurrentScenesAt(ctx, rq.ProductionID)
	if err != nil {
		return err
	}
	body, err := encodeJSON(scenesJSON(scenes))
	if err != nil {
		return err
	}
	s.sceneLists.put(rq.ProductionID, at, body)
	writeJSONBody(w, http.StatusOK, body)
	return nil
}

// scenesJSON is the API's scene list.
func scenesJSON(scenes []production.Scene) map[string]any {
	out := make([]sceneOut, len(scenes))
	for i, sc := range scenes {
		out[i] = sceneJSON(sc)
	}
	return map[string]any{"scenes": out}
}

func (s *Server) apiScene(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	sc, err := s.ops.Scene(r.Context(), id)
	if err != nil {
		return err
	}
	out := sceneJSON(sc)
	if rq.Can(auth.PerformerList) {
		if out.Cast, err = s.sceneCast(r.Context(), sc.ID); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// sceneCast is the scene's performers as the API lists them.
func (s *Server) sceneCast(ctx context.Context, sceneID int64) ([]castOut, error) {
	cast, err := s.ops.ScenePerformers(ctx, sceneID)
	if err != nil {
		return nil, err
	}
	pl, _, hasPlan, err := s.ops.CurrentPlan(ctx, sceneID)
	if err != nil {
		return nil, err
	}
	out := make([]castOut, len(cast))
	for i, p := range cast {
		_, in := pl.For(p.ID)
		out[i] = castOut{PerformerID: p.ID, Name: p.Name, Characters: nonNil(p.Characters), InAction: !hasPlan || in}
	}
	return out, nil
}

// apiCastPerformer puts a performer into the scene or takes them out, by
// the IC's hand, and answers the scene's cast.
func (s *Server) apiCastPerformer(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		PerformerID int64 `json:"performer_id"`
		In          *bool `json:"in"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.PerformerID <= 0 || in.In == nil {
		return errorf(codeBadRequest, "performer_id and in (true: in the scene, false: not) are required")
	}
	if err := s.ops.CastPerformer(r.Context(), rq.caller(), id, in.PerformerID, *in.In); err != nil {
		return err
	}
	cast, err := s.sceneCast(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"cast": cast})
}

func (s *Server) apiReviewFlag(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := pathID(r, "id")
	var in struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := production.ParseDecision(in.Decision)
	if err != nil {
		return err
	}
	f, err := s.ops.ReviewFlag(r.Context(), rq.caller(), id, d, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, flagJSON(f))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
