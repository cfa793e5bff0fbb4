package web

import (
	"context"
	"net/http"
	"testing"

	"closedset/auth"
	"closedset/credentials"
	"closedset/production"
)

// currentProfile is an IC's profile certified a year before today, with
// Mental Health First Aid for two years more: a lead IC of record.
func currentProfile(today production.Date) credentials.Profile {
	year := credentials.AddYears(today, -1)
	return credentials.Profile{
		Certification: &credentials.Certification{Body: "Intimacy Professionals Association", IssuedOn: year},
		MHFA:          &credentials.MHFA{Provider: "MHFA England", CompletedOn: year, ExpiresOn: credentials.AddYears(today, 2)},
	}
}

// certifyICOfRecord gives the world's IC a current certification and
// Mental Health First Aid, and the producer names them IC of record: the
// readiness gate ic_of_record passes.
func (w *world) certifyICOfRecord(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	if _, err := w.srv.ops.PutICProfile(ctx, w.asIC().caller(), currentProfile(production.DateOf(w.srv.ops.Now().UTC()))); err != nil {
		t.Fatal(err)
	}
	producer := &request{User: w.users["producer"], ProductionID: w.prod.ID, Roles: auth.RolesOf(auth.Producer)}
	if err := w.srv.ops.NameICOfRecord(ctx, producer.caller(), w.users["ic"].ID); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.proof, err = w.srv.ops.AddProof(ctx, w.asIC().caller(), "certificate.txt", []byte("Certificate of the world's IC.\n")); err != nil {
		t.Fatal(err)
	}
	if err := w.srv.ops.ShareProofs(ctx, w.asIC().caller(), true); err != nil {
		t.Fatal(err)
	}
}

// certifyICOfRecord is the same for the ledger, through the API: the IC
// keeps their profile, the producer names them.
func (l *ledger) certifyICOfRecord() {
	l.t.Helper()
	today := production.DateOf(l.srv.ops.Now().UTC())
	l.json(call2("PUT", "/api/v1/me/ic-profile", l.as("ic"), currentProfile(today)), http.StatusOK, nil)
	l.json(call2("PUT", l.prodPath("/ic-of-record"), l.as("producer"), map[string]any{"user_id": l.users["ic"].ID}), http.StatusOK, nil)
}

// trainer makes a user and grants them the trainer role, as the admin
// does.
func (w *world) trainer(t testing.TB, email, name string) auth.User {
	t.Helper()
	u := w.user(email, name, false)
	if err := w.st.SetTrainer(context.Background(), u.Actor(), u.ID, true); err != nil {
		t.Fatal(err)
	}
	u.Trainer = true
	return u
}

// certifyLead gives ic a current certification and Mental Health First
// Aid and names them the production's IC of record, as its producer
// would: for the setups that seed a production directly.
func certifyLead(t testing.TB, srv *Server, productionID int64, ic auth.User) {
	t.Helper()
	ctx := context.Background()
	me := &request{User: ic}
	if _, err := srv.ops.PutICProfile(ctx, me.caller(), currentProfile(production.DateOf(srv.ops.Now().UTC()))); err != nil {
		t.Fatal(err)
	}
	producer := &request{User: ic, ProductionID: productionID, Roles: auth.RolesOf(auth.Producer)}
	if err := srv.ops.NameICOfRecord(ctx, producer.caller(), ic.ID); err != nil {
		t.Fatal(err)
	}
}
