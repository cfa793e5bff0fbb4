package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"closedset/auth"
	"closedset/credentials"
	"closedset/docs"
	"closedset/ops"
	"closedset/production"
)

// The IC's own record (issue 16): the profile and its proofs, the
// pathway and a trainer's sign-offs, the trainer role, a production's IC
// of record and the proofs an IC shares with it.
func (s *Server) credentialsAPIRoutes() {
	const v1 = "/api/v1"
	s.route("GET "+v1+"/me/ic-profile", auth.CredentialsRead, s.selfScope(), s.apiICProfile)
	s.largeRoute("PUT "+v1+"/me/ic-profile", auth.CredentialsWrite, s.selfScope(), s.apiPutICProfile)
	s.proofRoute("POST "+v1+"/me/proofs", auth.CredentialsWrite, s.selfScope(), s.apiAddProof)
	s.route("GET "+v1+"/me/proofs/{id}", auth.ProofRead, s.proofScope("id"), s.apiProof)
	s.route("GET "+v1+"/me/pathway", auth.PathwayRead, s.selfScope(), s.apiMyPathway)
	s.route("GET "+v1+"/me/credentials-sheet.pdf", auth.CredentialsRead, s.selfScope(), s.apiCredentialsSheet("pdf"))
	s.route("GET "+v1+"/me/credentials-sheet.html", auth.CredentialsRead, s.selfScope(), s.apiCredentialsSheet("html"))
	s.route("GET "+v1+"/users/{user_id}/pathway", auth.PathwayRead, nil, s.apiPathway)
	s.route("POST "+v1+"/users/{user_id}/pathway/signoffs", auth.PathwaySignOff, nil, s.apiSignOff)
	s.route("PUT "+v1+"/users/{user_id}/trainer", auth.UserManage, nil, s.apiSetTrainer)
	s.route("GET "+v1+"/productions/{id}/ic-of-record", auth.ProductionRead, s.productionScope("id"), s.apiICOfRecord)
	s.route("PUT "+v1+"/productions/{id}/ic-of-record", auth.ICOfRecordWrite, s.productionScope("id"), s.apiNameICOfRecord)
	s.route("PUT "+v1+"/productions/{id}/proof-share", auth.ProofShare, s.productionScope("id"), s.apiShareProofs)
	s.route("GET "+v1+"/productions/{id}/ic-proofs/{file_id}", auth.ProofReadShared, s.productionScope("id"), s.apiSharedProof)
}

// proofBody bounds a proof file's upload.
const proofBody = credentials.MaxProof + smallBody

// proofRoute registers a route like route whose raw body is a proof file:
// up to credentials.MaxProof bytes.
func (s *Server) proofRoute(pattern string, a auth.Action, scope scopeFunc, h handler) {
	s.route(pattern, a, scope, h)
	s.routes[len(s.routes)-1].Body = proofBody
}

// proofScope: the parameter is a proof file's id; no production, and own
// when the proof is the user's. A missing proof is a not_found.
func (s *Server) proofScope(param string) scopeFunc {
	return func(r *http.Request, rq *request) (int64, bool, error) {
		id, err := pathID(r, param)
		if err != nil {
			return 0, false, err
		}
		owner, err := s.ops.ProofOwner(r.Context(), id)
		if err != nil {
			return 0, false, err
		}
		return 0, owner == rq.User.ID, nil
	}
}

// icProfileOut is a profile as its IC (or the admin) reads it.
type icProfileOut struct {
	credentials.Profile
	UserID           int64                      `json:"user_id"`
	Version          int                        `json:"version"`
	State            credentials.State          `json:"state"`
	EffectiveCert    *credentials.Certification `json:"effective_certification"`
	SetDaysIn10Years int                        `json:"set_days_in_10_years"`
	WorkedDays       []production.Date          `json:"worked_days"`
	Expiring         []credentials.Expiry       `json:"expiring"`
	Proofs           []proofOut                 `json:"proofs"`
}

type proofOut struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
}

func proofJSON(p credentials.ProofFile) proofOut {
	return proofOut{ID: p.ID, Name: p.Name, MediaType: p.MediaType, Size: p.Size}
}

func profileJSON(cr ops.Credentials, proofs []credentials.ProofFile) icProfileOut {
	p := cr.Record.Profile
	if err := p.Normalize(credentials.DefaultAreas(), cr.Today); err != nil {
		// A stored profile was valid when kept; a date since past
		// stays as it is.
		p = cr.Record.Profile
	}
	out := icProfileOut{Profile: p, UserID: cr.User.ID, Version: cr.Version, State: cr.State, EffectiveCert: cr.Cert,
		SetDaysIn10Years: cr.SetDays, WorkedDays: cr.Record.WorkedDays, Expiring: cr.Expiring, Proofs: []proofOut{}}
	if out.Trainings == nil {
		out.Trainings = []credentials.Training{}
	}
	if out.Experience == nil {
		out.Experience = []credentials.Experience{}
	}
	if out.SetDays == nil {
		out.SetDays = []credentials.SetDay{}
	}
	if out.WorkedDays == nil {
		out.WorkedDays = []production.Date{}
	}
	if out.Expiring == nil {
		out.Expiring = []credentials.Expiry{}
	}
	for _, pf := range proofs {
		out.Proofs = append(out.Proofs, proofJSON(pf))
	}
	return out
}

func (s *Server) apiICProfile(w http.ResponseWriter, r *http.Request, rq *request) error {
	cr, err := s.ops.MyCredentials(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	proofs, err := s.ops.Proofs(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, profileJSON(cr, proofs))
}

func (s *Server) apiPutICProfile(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in credentials.Profile
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.ops.PutICProfile(r.Context(), rq.caller(), in); err != nil {
		return err
	}
	return s.apiICProfile(w, r, rq)
}

// apiAddProof keeps the body as a proof file (?name=...), sealed.
func (s *Server) apiAddProof(w http.ResponseWriter, r *http.Request, rq *request) error {
	data, err := readBody(r.Body, credentials.MaxProof, "the proof file")
	if err != nil {
		return err
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "proof"
	}
	pf, err := s.ops.AddProof(r.Context(), rq.caller(), name, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, proofJSON(pf))
}

func (s *Server) apiProof(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pf, data, err := s.ops.OpenProof(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	return writeProof(w, pf, data)
}

func (s *Server) apiSharedProof(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := pathID(r, "file_id")
	if err != nil {
		return err
	}
	pf, data, err := s.ops.OpenSharedProof(r.Context(), rq.caller(), id)
	if err != nil {
		return err
	}
	return writeProof(w, pf, data)
}

// writeProof answers a proof file's bytes, as an attachment, never
// cached.
func writeProof(w http.ResponseWriter, pf credentials.ProofFile, data []byte) error {
	h := w.Header()
	h.Set("Content-Type", pf.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": pf.Name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
	return nil
}

// pathwayOut is a trainee's pathway: each stage's state, and each rule
// with what it needs and what is missing.
type pathwayOut struct {
	UserID   int64             `json:"user_id"`
	Name     string            `json:"name"`
	State    credentials.State `json:"state"`
	SetDays  int               `json:"set_days_in_10_years"`
	Complete bool              `json:"complete"`
	Stages   []stageOut        `json:"stages"`
}

type stageOut struct {
	Stage     string                  `json:"stage"`
	Name      string                  `json:"name"`
	Part      credentials.Part        `json:"part"`
	State     string                  `json:"state"`
	SignedBy  string                  `json:"signed_off_by_kind"`
	SignedOff *signOffOut             `json:"signed_off,omitempty"`
	Gates     []credentials.RuleState `json:"gates"`
	Missing   []string                `json:"missing"`
}

type signOffOut struct {
	By   string          `json:"by"`
	On   production.Date `json:"on"`
	Note string          `json:"note,omitempty"`
}

func pathwayJSON(v ops.PathwayView) pathwayOut {
	out := pathwayOut{UserID: v.User.ID, Name: v.User.Name, State: v.State, SetDays: v.SetDays, Complete: v.Complete, Stages: []stageOut{}}
	for _, p := range v.Stages {
		so := stageOut{Stage: p.Stage.Key, Name: p.Stage.Name, Part: p.Stage.Part, State: p.State, SignedBy: p.SignedBy,
			Gates: p.Rules, Missing: []string{}}
		if so.Gates == nil {
			so.Gates = []credentials.RuleState{}
		}
		for _, g := range p.Rules {
			if !g.Met {
				so.Missing = append(so.Missing, g.Missing)
			}
		}
		if p.SignOff != nil {
			so.SignedOff = &signOffOut{By: p.SignOff.ByName, On: p.SignOff.On, Note: p.SignOff.Note}
		}
		out.Stages = append(out.Stages, so)
	}
	return out
}

func (s *Server) apiMyPathway(w http.ResponseWriter, r *http.Request, rq *request) error {
	v, err := s.ops.PathwayOf(r.Context(), rq.caller(), rq.User.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pathwayJSON(v))
}

func (s *Server) apiPathway(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	v, err := s.ops.PathwayOf(r.Context(), rq.caller(), uid)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pathwayJSON(v))
}

func (s *Server) apiSignOff(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	var in struct {
		Stage string `json:"stage"`
		Note  string `json:"note"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.ops.SignOffStage(r.Context(), rq.caller(), uid, in.Stage, in.Note); err != nil {
		return err
	}
	v, err := s.ops.PathwayOf(r.Context(), rq.caller(), uid)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, pathwayJSON(v))
}

func (s *Server) apiSetTrainer(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	var in struct {
		Trainer bool `json:"trainer"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.ops.SetTrainer(r.Context(), rq.caller(), uid, in.Trainer); err != nil {
		return err
	}
	u, err := s.ops.User(r.Context(), uid)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"user": userJSON(u), "trainer": u.Trainer})
}

// icOfRecordOut is a production's lead IC of record as its members see
// them: their standing, never a proof's bytes; a producer sees the list
// of proofs only when the IC shares them with the production.
type icOfRecordOut struct {
	Named         bool                       `json:"named"`
	UserID        int64                      `json:"user_id,omitempty"`
	Name          string                     `json:"name,omitempty"`
	State         credentials.State          `json:"state,omitempty"`
	Certification *credentials.Certification `json:"certification,omitempty"`
	MHFAExpiresOn production.Date            `json:"mhfa_expires_on,omitzero"`
	Current       bool                       `json:"current"`
	Problem       string                     `json:"problem,omitempty"`
	Expiring      []credentials.Expiry       `json:"expiring"`
	ProofsShared  bool                       `json:"proofs_shared"`
	Proofs        []proofOut                 `json:"proofs,omitempty"`
}

func (s *Server) icOfRecordJSON(r *http.Request, rq *request) (icOfRecordOut, error) {
	l, ok, err := s.ops.ICOfRecordOf(r.Context(), rq.ProductionID)
	if err != nil || !ok {
		return icOfRecordOut{Expiring: []credentials.Expiry{}}, err
	}
	out := icOfRecordOut{Named: true, UserID: l.User.ID, Name: l.User.Name, State: l.State, Certification: l.Cert,
		Current: l.Problem == "", Problem: l.Problem, Expiring: l.Expiring}
	if out.Expiring == nil {
		out.Expiring = []credentials.Expiry{}
	}
	if m := l.Record.Profile.MHFA; m != nil {
		out.MHFAExpiresOn = m.ExpiresOn
	}
	shared, files, err := s.ops.SharedProofs(r.Context(), rq.caller(), l.User.ID)
	if err != nil {
		return icOfRecordOut{}, err
	}
	out.ProofsShared = shared
	for _, pf := range files {
		out.Proofs = append(out.Proofs, proofJSON(pf))
	}
	return out, nil
}

func (s *Server) apiICOfRecord(w http.ResponseWriter, r *http.Request, rq *request) error {
	out, err := s.icOfRecordJSON(r, rq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiNameICOfRecord(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		UserID int64 `json:"user_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.ops.NameICOfRecord(r.Context(), rq.caller(), in.UserID); err != nil {
		return err
	}
	return s.apiICOfRecord(w, r, rq)
}

func (s *Server) apiShareProofs(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in struct {
		Shared bool `json:"shared"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.ops.ShareProofs(r.Context(), rq.caller(), in.Shared); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"production_id": rq.ProductionID, "shared": in.Shared})
}

// apiCredentialsSheet answers the caller's credentials sheet as PDF or
// HTML: what they send a producer, without the proofs.
func (s *Server) apiCredentialsSheet(ext string) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		sheet, err := s.ops.CredentialsSheet(r.Context(), rq.caller())
		if err != nil {
			return err
		}
		return renderDoc(w, ext, "credentials", func(b *bytes.Buffer) error {
			if ext == "pdf" {
				return docs.RenderCredentialsPDF(b, sheet, docs.PageSizeFor(""))
			}
			return docs.RenderCredentialsHTML(b, sheet)
		})
	}
}
