package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"closedset/auth"
	"closedset/credentials"
	"closedset/ops"
	"closedset/production"
)

// The IC's own record as pages (issue 16): their profile and pathway on
// one phone-width page, each section's form posting back to it; the
// trainer's page of trainees with a sign-off form per open stage; and, on
// the production page, the IC of record (credentialsPart).
func (s *Server) credentialsPageRoutes() {
	s.route("GET /credentials", auth.CredentialsRead, s.selfScope(), s.pageCredentials)
	s.route("POST /credentials", auth.CredentialsWrite, s.selfScope(), s.pagePutCredentials)
	s.proofRoute("POST /credentials/proofs", auth.CredentialsWrite, s.selfScope(), s.pageAddProof)
	s.route("GET /trainer", auth.PathwaySignOff, nil, s.pageTrainer)
	s.route("POST /trainer/users/{user_id}/signoffs", auth.PathwaySignOff, nil, s.pageSignOff)
	s.route("POST /productions/{id}/ic-of-record", auth.ICOfRecordWrite, s.productionScope("id"), s.pageNameICOfRecord)
	s.route("POST /productions/{id}/proof-share", auth.ProofShare, s.productionScope("id"), s.pageShareProofs)
}

type credentialsPage struct {
	Cred    ops.Credentials
	Areas   []credentials.Area
	Proofs  []credentials.ProofFile
	Pathway ops.PathwayView
	Error   string
	Section string // the form the error is about
}

func (s *Server) pageCredentials(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderCredentials(w, r, rq, http.StatusOK, "", "")
}

func (s *Server) renderCredentials(w http.ResponseWriter, r *http.Request, rq *request, status int, section, msg string) error {
	ctx := r.Context()
	cr, err := s.ops.MyCredentials(ctx, rq.caller())
	if err != nil {
		return err
	}
	page := credentialsPage{Cred: cr, Areas: s.ops.Areas().Training(), Error: msg, Section: section}
	if page.Proofs, err = s.ops.Proofs(ctx, rq.caller()); err != nil {
		return err
	}
	if page.Pathway, err = s.ops.PathwayOf(ctx, rq.caller(), rq.User.ID); err != nil {
		return err
	}
	return renderPage(w, status, "credentials", s.view(rq, "My credentials", page))
}

// pagePutCredentials changes one section of the caller's profile (a
// training area, Mental Health First Aid, the background check, the
// certification, a set day) and keeps the profile's next version.
func (s *Server) pagePutCredentials(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	cr, err := s.ops.MyCredentials(ctx, rq.caller())
	if err != nil {
		return err
	}
	p := cr.Record.Profile
	section := r.PostFormValue("section")
	err = editProfile(&p, section, r)
	if err == nil {
		_, err = s.ops.PutICProfile(ctx, rq.caller(), p)
	}
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderCredentials(w, r, rq, status, section, msg) })
	}
	return redirect(w, r, "/credentials#"+section)
}

// editProfile applies one section's form to the profile.
func editProfile(p *credentials.Profile, section string, r *http.Request) error {
	date := func(field string) (production.Date, error) {
		v := strings.TrimSpace(r.PostFormValue(field))
		if v == "" {
			return production.Date{}, nil
		}
		d, err := production.ParseDate(v)
		if err != nil {
			return d, fmt.Errorf("%s: %w", field, err)
		}
		return d, nil
	}
	proof := func() int64 {
		id, _ := strconv.ParseInt(r.PostFormValue("proof_file_id"), 10, 64)
		return id
	}
	switch section {
	case "training":
		on, err := date("completed_on")
		if err != nil {
			return err
		}
		t := credentials.Training{Area: r.PostFormValue("area"), Provider: r.PostFormValue("provider"), CompletedOn: on, ProofFileID: proof()}
		kept := p.Trainings[:0:0]
		for _, x := range p.Trainings {
			if x.Area != t.Area {
				kept = append(kept, x)
			}
		}
		p.Trainings = append(kept, t)
	case "mhfa":
		done, err := date("completed_on")
		if err != nil {
			return err
		}
		exp, err := date("expires_on")
		if err != nil {
			return err
		}
		p.MHFA = &credentials.MHFA{Provider: r.PostFormValue("provider"), CompletedOn: done, ExpiresOn: exp, ProofFileID: proof()}
	case "background":
		on, err := date("on")
		if err != nil {
			return err
		}
		p.BackgroundCheck = &credentials.BackgroundCheck{On: on, Scope: r.PostFormValue("scope"), ProofFileID: proof()}
	case "certification":
		issued, err := date("issued_on")
		if err != nil {
			return err
		}
		exp, err := date("expires_on")
		if err != nil {
			return err
		}
		review, err := date("review_due_on")
		if err != nil {
			return err
		}
		p.Certification = &credentials.Certification{Body: r.PostFormValue("body"), IssuedOn: issued, ExpiresOn: exp, ReviewDueOn: review, ProofFileID: proof()}
	case "set_day":
		on, err := date("on")
		if err != nil {
			return err
		}
		p.SetDays = append(p.SetDays, credentials.SetDay{On: on, Production: r.PostFormValue("production"), Department: r.PostFormValue("department"), ProofFileID: proof()})
	default:
		return errorf(codeBadRequest, "unknown section %q of the profile", section)
	}
	return nil
}

// pageAddProof keeps an uploaded proof file (multipart field file).
func (s *Server) pageAddProof(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return s.renderCredentials(w, r, rq, http.StatusBadRequest, "proofs", "Choose a file to upload.")
	}
	defer f.Close()
	data, err := readBody(f, credentials.MaxProof, "the proof file")
	if err == nil {
		_, err = s.ops.AddProof(r.Context(), rq.caller(), hdr.Filename, data)
	}
	if err != nil {
		return formError(err, func(status int, msg string) error { return s.renderCredentials(w, r, rq, status, "proofs", msg) })
	}
	return redirect(w, r, "/credentials#proofs")
}

type trainerPage struct {
	Trainees []ops.PathwayView
	Error    string
}

func (s *Server) pageTrainer(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.renderTrainer(w, r, rq, http.StatusOK, "")
}

func (s *Server) renderTrainer(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	ts, err := s.ops.Trainees(r.Context(), rq.caller())
	if err != nil {
		return err
	}
	return renderPage(w, status, "trainer", s.view(rq, "Trainees", trainerPage{Trainees: ts, Error: msg}))
}

func (s *Server) pageSignOff(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	if _, err := s.ops.SignOffStage(r.Context(), rq.caller(), uid, r.PostFormValue("stage"), r.PostFormValue("note")); err != nil {
		return formError(err, func(status int, msg string) error { return s.renderTrainer(w, r, rq, status, msg) })
	}
	return redirect(w, r, fmt.Sprintf("/trainer#trainee-%d", uid))
}

func (s *Server) pageNameICOfRecord(w http.ResponseWriter, r *http.Request, rq *request) error {
	uid, _ := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	if err := s.ops.NameICOfRecord(r.Context(), rq.caller(), uid); err != nil {
		return formError(err, func(status int, msg string) error {
			return s.renderProduction(w, r, rq, status, productionForms{member: memberForm{Role: string(auth.Performer)}, icOfRecordError: msg})
		})
	}
	return redirect(w, r, fmt.Sprintf("/productions/%d#ic-of-record", rq.ProductionID))
}

func (s *Server) pageShareProofs(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.ops.ShareProofs(r.Context(), rq.caller(), r.PostFormValue("shared") == "1"); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/productions/%d#ic-of-record", rq.ProductionID))
}

// icOfRecordPart is the production page's IC of record: who, their
// standing and expiries, the producer's form to name one among the
// production's ICs, and the IC's own switch to share their proofs.
type icOfRecordPart struct {
	Lead     *ops.LeadIC
	Shared   bool
	Proofs   []credentials.ProofFile
	CanName  bool
	ICs      []production.Member
	CanShare bool
	MyShare  bool
	Error    string
}

func (s *Server) icOfRecordPart(r *http.Request, rq *request, members []production.Member, msg string) (icOfRecordPart, error) {
	ctx := r.Context()
	part := icOfRecordPart{CanName: rq.Can(auth.ICOfRecordWrite), CanShare: rq.Can(auth.ProofShare), Error: msg}
	for _, m := range members {
		if m.Roles.Has(auth.IC) {
			part.ICs = append(part.ICs, m)
		}
	}
	l, ok, err := s.ops.ICOfRecordOf(ctx, rq.ProductionID)
	if err != nil {
		return part, err
	}
	if ok {
		part.Lead = &l
		if part.Shared, part.Proofs, err = s.ops.SharedProofs(ctx, rq.caller(), l.User.ID); err != nil {
			return part, err
		}
	}
	if part.CanShare {
		if part.MyShare, err = s.ops.ProofsSharedWith(ctx, rq.caller()); err != nil {
			return part, err
		}
	}
	return part, nil
}
