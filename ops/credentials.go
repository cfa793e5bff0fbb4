package ops

import (
	"closedset"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"closedset/auth"
	"closedset/consent"
	"closedset/credentials"
	"closedset/docs"
	"closedset/production"
	"closedset/seal"
	"closedset/textfield"
)

// The IC's own record (issue 16): their profile and its proof files,
// sealed here like boundaries and opened only for the IC, the admin and
// the producers of a production the IC shares them with; the pathway and
// a trainer's sign-offs; the production's lead IC of record.

// Areas and Pathway are the training areas and pathway in force: the
// embedded data files.
func (o *Ops) Areas() credentials.Areas     { return o.areas }
func (o *Ops) Pathway() credentials.Pathway { return o.pathway }

// today is the clock's day, in UTC.
func (o *Ops) today() production.Date { return production.DateOf(o.now().UTC()) }

// Record loads what is known of the user's credentials. It checks no
// permission: callers do.
func (o *Ops) record(ctx context.Context, userID int64) (credentials.Record, error) {
	content, _, err := o.store.ICProfile(ctx, userID)
	known := err == nil
	if err != nil && !closedset.Is(err, closedset.NotFound) {
		return credentials.Record{}, err
	}
	signOffs, err := o.store.SignOffs(ctx, userID)
	if err != nil {
		return credentials.Record{}, err
	}
	worked, err := o.store.WorkedDays(ctx, userID)
	if err != nil {
		return credentials.Record{}, err
	}
	return recordFrom(userID, content, known, signOffs, worked)
}

// recordFrom is the record of what the store keeps of the user: their
// latest profile (when known), sign-offs and worked days.
func recordFrom(userID int64, profile []byte, known bool, signOffs []credentials.SignOff, worked []production.Date) (credentials.Record, error) {
	var r credentials.Record
	if known {
		var err error
		if r.Profile, err = credentials.UnmarshalProfile(profile); err != nil {
			return credentials.Record{}, fmt.Errorf("IC profile of user %d: %w", userID, err)
		}
		r.Known = true
	}
	r.SignOffs = signOffs
	r.Known = r.Known || len(r.SignOffs) > 0
	r.WorkedDays = worked
	return r, nil
}

// Credentials is a user's record as its readers see it.
type Credentials struct {
	User     auth.User
	Record   credentials.Record
	Version  int
	State    credentials.State // on Today
	Cert     *credentials.Certification
	Today    production.Date
	Expiring []credentials.Expiry
	// SetDays counts the set days of the past ten years (Module III's
	// rule): worked here and entered.
	SetDays int
}

// MyCredentials is the caller's own record.
func (o *Ops) MyCredentials(ctx context.Context, c Caller) (Credentials, error) {
	return o.CredentialsOf(ctx, c, c.User.ID)
}

// CredentialsOf is a user's record: their own, or any for the admin.
func (o *Ops) CredentialsOf(ctx context.Context, c Caller, userID int64) (Credentials, error) {
	if err := c.check(auth.CredentialsRead, userID == c.User.ID); err != nil {
		return Credentials{}, err
	}
	return o.credentials(ctx, userID)
}

func (o *Ops) credentials(ctx context.Context, userID int64) (Credentials, error) {
	u, err := o.store.User(ctx, userID)
	if err != nil {
		return Credentials{}, err
	}
	r, err := o.record(ctx, userID)
	if err != nil {
		return Credentials{}, err
	}
	_, v, err := o.store.ICProfile(ctx, userID)
	if err != nil && !closedset.Is(err, closedset.NotFound) {
		return Credentials{}, err
	}
	today := o.today()
	cr := Credentials{User: u, Record: r, Version: v, Today: today, State: r.StateOn(o.pathway, today),
		Expiring: r.Expiring(o.pathway, today), SetDays: r.SetDaysWithin(today, 10)}
	if cert, ok := r.Certification(o.pathway); ok {
		cr.Cert = &cert
	}
	return cr, nil
}

// PutICProfile keeps the caller's profile as its next version: checked
// against the areas and today, every proof it names the caller's own.
func (o *Ops) PutICProfile(ctx context.Context, c Caller, p credentials.Profile) (int, error) {
	if err := c.check(auth.CredentialsWrite, true); err != nil {
		return 0, err
	}
	if err := p.Normalize(o.areas, o.today()); err != nil {
		return 0, err
	}
	content, err := credentials.MarshalProfile(p)
	if err != nil {
		return 0, err
	}
	var v int
	err = o.store.Tx(ctx, func(tx Store) error {
		for _, id := range p.ProofIDs() {
			pf, err := tx.ProofFile(ctx, id)
			if closedset.Is(err, closedset.NotFound) || err == nil && pf.UserID != c.User.ID {
				return closedset.FieldErrorf(closedset.Invalid, "proof_file_id", "%d is none of your proof files", id)
			}
			if err != nil {
				return err
			}
		}
		v, err = tx.PutICProfile(ctx, c.Actor(), c.User.ID, content)
		return err
	})
	return v, err
}

// AddProof seals a proof file of the caller's and keeps it. Its type is
// sniffed from its bytes: one of credentials.ProofTypes.
func (o *Ops) AddProof(ctx context.Context, c Caller, name string, data []byte) (credentials.ProofFile, error) {
	if err := c.check(auth.CredentialsWrite, true); err != nil {
		return credentials.ProofFile{}, err
	}
	if len(data) == 0 {
		return credentials.ProofFile{}, closedset.FieldErrorf(closedset.Invalid, "file", "the proof file is empty")
	}
	if len(data) > credentials.MaxProof {
		return credentials.ProofFile{}, closedset.Errorf(closedset.TooLarge, "the proof file is %d bytes, at most %d", len(data), credentials.MaxProof)
	}
	name, err := cleanText("name", name, textfield.MaxFilename)
	if err != nil {
		return credentials.ProofFile{}, err
	}
	mt := proofType(data)
	if mt == "" {
		return credentials.ProofFile{}, closedset.FieldErrorf(closedset.Unprocessable, "file", "a proof file is a PDF, a JPEG or PNG image, or plain text")
	}
	sealed, err := seal.Seal(o.sealKey, data, ProofAAD(c.User.ID))
	if err != nil {
		return credentials.ProofFile{}, fmt.Errorf("seal proof file of user %d: %w", c.User.ID, err)
	}
	return o.store.AddProofFile(ctx, c.Actor(), credentials.ProofFile{UserID: c.User.ID, Name: name, MediaType: mt, Size: int64(len(data)), Sealed: sealed})
}

// proofType is a proof's media type by its content, "" for none allowed.
func proofType(data []byte) string {
	mt := http.DetectContentType(data)
	for _, t := range credentials.ProofTypes {
		if mt == t || t == "text/plain" && mt == "text/plain; charset=utf-8" {
			return t
		}
	}
	return ""
}

// Proofs lists the caller's proof files, without their bytes.
func (o *Ops) Proofs(ctx context.Context, c Caller) ([]credentials.ProofFile, error) {
	if err := c.check(auth.CredentialsRead, true); err != nil {
		return nil, err
	}
	return o.store.ProofFiles(ctx, c.User.ID)
}

// OpenProof opens a proof file for its IC or the admin; anyone else is
// told it does not exist.
func (o *Ops) OpenProof(ctx context.Context, c Caller, id int64) (credentials.ProofFile, []byte, error) {
	pf, err := o.store.ProofFile(ctx, id)
	if err != nil {
		return credentials.ProofFile{}, nil, err
	}
	if !c.Can(auth.ProofRead, pf.UserID == c.User.ID) {
		return credentials.ProofFile{}, nil, closedset.Errorf(closedset.NotFound, "proof file %d not found", id)
	}
	return o.openProof(pf)
}

// OpenSharedProof opens a proof file for a producer of the caller's
// production, only when its IC works on the production (as IC or
// trainee) and shares their proofs with it; otherwise it does not exist.
func (o *Ops) OpenSharedProof(ctx context.Context, c Caller, id int64) (credentials.ProofFile, []byte, error) {
	if err := c.check(auth.ProofReadShared, false); err != nil {
		return credentials.ProofFile{}, nil, err
	}
	pf, err := o.store.ProofFile(ctx, id)
	if err != nil {
		return credentials.ProofFile{}, nil, err
	}
	if ok, err := o.sharesWith(ctx, pf.UserID, c.ProductionID); err != nil {
		return credentials.ProofFile{}, nil, err
	} else if !ok {
		return credentials.ProofFile{}, nil, closedset.Errorf(closedset.NotFound, "proof file %d not found", id)
	}
	return o.openProof(pf)
}

// sharesWith reports whether the user works on the production as IC or
// trainee and shares their proofs with it.
func (o *Ops) sharesWith(ctx context.Context, userID, productionID int64) (bool, error) {
	roles, err := o.store.Roles(ctx, productionID, userID)
	if err != nil || !roles.Has(auth.IC) && !roles.Has(auth.Trainee) {
		return false, err
	}
	return o.store.ProofsShared(ctx, userID, productionID)
}

func (o *Ops) openProof(pf credentials.ProofFile) (credentials.ProofFile, []byte, error) {
	plain, err := seal.Open(o.sealKey, pf.Sealed, ProofAAD(pf.UserID))
	if err != nil {
		return credentials.ProofFile{}, nil, fmt.Errorf("open proof file %d: %w", pf.ID, err)
	}
	pf.Sealed = nil
	return pf, plain, nil
}

// ShareProofs shares the caller's proofs with the producers of the
// caller's production, or stops sharing them.
func (o *Ops) ShareProofs(ctx context.Context, c Caller, shared bool) error {
	if err := c.check(auth.ProofShare, false); err != nil {
		return err
	}
	return o.store.ShareProofs(ctx, c.Actor(), c.User.ID, c.ProductionID, shared)
}

// ProofsSharedWith reports whether the caller shares their proofs with
// their production.
func (o *Ops) ProofsSharedWith(ctx context.Context, c Caller) (bool, error) {
	return o.store.ProofsShared(ctx, c.User.ID, c.ProductionID)
}

// PathwayView is a trainee's pathway: each stage's state and rules.
type PathwayView struct {
	User     auth.User
	State    credentials.State
	Stages   []credentials.Progress
	SetDays  int
	Today    production.Date
	Complete bool
}

// PathwayOf is the user's pathway: their own, or any for a trainer.
func (o *Ops) PathwayOf(ctx context.Context, c Caller, userID int64) (PathwayView, error) {
	if err := c.check(auth.PathwayRead, userID == c.User.ID); err != nil {
		return PathwayView{}, err
	}
	u, err := o.store.User(ctx, userID)
	if err != nil {
		return PathwayView{}, err
	}
	r, err := o.record(ctx, userID)
	if err != nil {
		return PathwayView{}, err
	}
	today := o.today()
	v := PathwayView{User: u, State: r.StateOn(o.pathway, today), Stages: o.pathway.Progress(r, o.areas, today),
		SetDays: r.SetDaysWithin(today, 10), Today: today}
	v.Complete = !slices.ContainsFunc(v.Stages, func(p credentials.Progress) bool { return p.State != credentials.StageComplete })
	return v, nil
}

// SignOffStage is a trainer's sign-off of a trainee's stage: refused
// with the rule it breaks while the stage's rules are unmet (Module III
// without ten set days, the certifying stage without every other).
// Nobody signs off their own stage.
func (o *Ops) SignOffStage(ctx context.Context, c Caller, userID int64, stage, note string) (credentials.SignOff, error) {
	if err := c.check(auth.PathwaySignOff, false); err != nil {
		return credentials.SignOff{}, err
	}
	if userID == c.User.ID {
		return credentials.SignOff{}, closedset.Errorf(closedset.Forbidden, "nobody signs off their own stage: ask another trainer")
	}
	var so credentials.SignOff
	err := o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		if _, err := tx.User(ctx, userID); err != nil {
			return err
		}
		r, err := in.record(ctx, userID)
		if err != nil {
			return err
		}
		if err := o.pathway.CheckSignOff(stage, r, o.areas, o.today()); err != nil {
			return err
		}
		so, err = tx.SignOffStage(ctx, c.Actor(), userID, stage, note)
		return err
	})
	return so, err
}

// Trainees are the users a trainer follows: everyone whose record shows
// a pathway begun (a profile or a sign-off) and no current certification.
// Only trainers ask.
func (o *Ops) Trainees(ctx context.Context, c Caller) ([]PathwayView, error) {
	if err := c.check(auth.PathwaySignOff, false); err != nil {
		return nil, err
	}
	us, err := o.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []PathwayView
	for _, u := range us {
		if u.ID == c.User.ID {
			continue
		}
		r, err := o.record(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if !r.Known {
			continue // no profile, no sign-off: nothing says they are training
		}
		v, err := o.PathwayOf(ctx, c, u.ID)
		if err != nil {
			return nil, err
		}
		if v.State == credentials.Trainee && slices.ContainsFunc(v.Stages, func(p credentials.Progress) bool { return p.State != credentials.StageLocked }) {
			out = append(out, v)
		}
	}
	return out, nil
}

// SetTrainer grants or ends a user's trainer role: the admin's.
func (o *Ops) SetTrainer(ctx context.Context, c Caller, userID int64, trainer bool) error {
	if err := c.check(auth.UserManage, false); err != nil {
		return err
	}
	return o.store.SetTrainer(ctx, c.Actor(), userID, trainer)
}

// NameICOfRecord names the caller's production's lead IC of record: an
// IC member whose record holds a current certification and Mental
// Health First Aid today. A trainee, or a lapsed certification, is a
// RuleViolation naming the rule.
func (o *Ops) NameICOfRecord(ctx context.Context, c Caller, userID int64) error {
	if err := c.check(auth.ICOfRecordWrite, false); err != nil {
		return err
	}
	return o.store.Tx(ctx, func(tx Store) error {
		in := o.in(tx)
		u, err := tx.User(ctx, userID)
		if closedset.Is(err, closedset.NotFound) {
			return closedset.FieldErrorf(closedset.NotFound, "user_id", "no user %d", userID)
		}
		if err != nil {
			return err
		}
		roles, err := tx.Roles(ctx, c.ProductionID, userID)
		if err != nil {
			return err
		}
		r, err := in.record(ctx, userID)
		if err != nil {
			return err
		}
		if roles.Has(auth.Trainee) && !roles.Has(auth.IC) {
			return &closedset.Error{Kind: closedset.RuleViolation, Rule: credentials.RuleTraineeNotIC,
				Msg: u.Name + " is a trainee on this production: a trainee never works as an IC nor is IC of record"}
		}
		if err := r.CheckICOfRecord(o.pathway, u.Name, o.today()); err != nil {
			return err
		}
		return tx.NameICOfRecord(ctx, c.Actor(), c.ProductionID, userID)
	})
}

// LeadIC is a production's IC of record as its members see them: who,
// and their credentials' standing today, never a proof.
type LeadIC struct {
	Credentials
	// Problem says why the record does not let them lead today; "" when
	// it does.
	Problem string
}

// ICOfRecordOf is the production's IC of record; false when none is
// named.
func (o *Ops) ICOfRecordOf(ctx context.Context, productionID int64) (LeadIC, bool, error) {
	uid, ok, err := o.store.ICOfRecord(ctx, productionID)
	if err != nil || !ok {
		return LeadIC{}, false, err
	}
	cr, err := o.credentials(ctx, uid)
	if err != nil {
		return LeadIC{}, false, err
	}
	l := LeadIC{Credentials: cr}
	if err := cr.Record.CheckICOfRecord(o.pathway, cr.User.Name, cr.Today); err != nil {
		l.Problem = err.Error()
	}
	return l, true, nil
}

// checkNotTrainee refuses, in a transaction that makes userID an IC of a
// production, a user whose record says they are a trainee: a trainee
// joins a production only as a trainee.
func (o *Ops) checkNotTrainee(ctx context.Context, tx Store, userID int64) error {
	r, err := o.in(tx).record(ctx, userID)
	if err != nil {
		return err
	}
	if r.Known && r.StateOn(o.pathway, o.today()) == credentials.Trainee {
		return &closedset.Error{Kind: closedset.RuleViolation, Rule: credentials.RuleTraineeMember,
			Msg: "this user is a trainee IC (no certification on record): a trainee joins a production only as a trainee, shadowing"}
	}
	return nil
}

// leadIC is a production's IC of record with their record, read once for
// every scene of a board (productionFacts).
type leadIC struct {
	user   auth.User
	record credentials.Record
}

// leadICOn is the IC of record as readiness sees them for a scene, judged
// on its shoot date (its call time's day, else today); nil when none is
// named.
func (o *Ops) leadICOn(f consent.Facts, lead *leadIC) *consent.LeadIC {
	if lead == nil {
		return nil
	}
	day, ok := f.ShootDate()
	if !ok {
		day = o.today()
	}
	l := &consent.LeadIC{Name: lead.user.Name}
	if err := lead.record.CheckICOfRecord(o.pathway, lead.user.Name, day); err != nil {
		l.Problem = err.Error()
	}
	return l
}

// SharedProofs says whether the IC shares their proofs with the caller's
// production and lists them (without their bytes) for the callers who may
// open them there: a producer while they are shared, and the IC
// themself.
func (o *Ops) SharedProofs(ctx context.Context, c Caller, icUserID int64) (bool, []credentials.ProofFile, error) {
	shared, err := o.sharesWith(ctx, icUserID, c.ProductionID)
	if err != nil {
		return false, nil, err
	}
	if !(shared && c.Can(auth.ProofReadShared, false)) && icUserID != c.User.ID {
		return shared, nil, nil
	}
	files, err := o.store.ProofFiles(ctx, icUserID)
	return shared, files, err
}

// CredentialsSheet is the caller's credentials sheet: areas,
// certification and expiry, Mental Health First Aid, background check;
// never a proof.
func (o *Ops) CredentialsSheet(ctx context.Context, c Caller) (docs.CredentialsSheet, error) {
	cr, err := o.MyCredentials(ctx, c)
	if err != nil {
		return docs.CredentialsSheet{}, err
	}
	p := cr.Record.Profile
	s := docs.CredentialsSheet{Name: cr.User.Name, Email: cr.User.Email, State: strings.ReplaceAll(string(cr.State), "_", " "),
		SetDays: cr.SetDays, PreparedAt: o.now()}
	if cr.Cert != nil {
		s.Certification = fmt.Sprintf("%s, issued %s, expires %s", cr.Cert.Body, cr.Cert.IssuedOn, cr.Cert.ExpiresOn)
		s.ReviewDue = cr.Cert.ReviewDueOn.String()
	}
	if m := p.MHFA; m != nil {
		s.MHFA = fmt.Sprintf("completed %s, expires %s", m.CompletedOn, m.ExpiresOn)
		if m.Provider != "" {
			s.MHFA = m.Provider + ", " + s.MHFA
		}
	}
	if b := p.BackgroundCheck; b != nil {
		s.Background = fmt.Sprintf("%s (%s)", b.On, b.Scope)
	}
	for _, a := range o.areas.Training() {
		sa := docs.SheetArea{Name: a.Name}
		for _, t := range p.Trainings {
			if t.Area == a.Key {
				sa.Provider, sa.On = t.Provider, t.CompletedOn.String()
			}
		}
		s.Areas = append(s.Areas, sa)
	}
	return s, nil
}

// ProofOwner is the user whose record a proof file proves: for the web
// layer's scope of a proof's route. It reads no bytes.
func (o *Ops) ProofOwner(ctx context.Context, id int64) (int64, error) {
	pf, err := o.store.ProofFile(ctx, id)
	return pf.UserID, err
}
