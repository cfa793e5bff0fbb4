package ops_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"closedset"
	"closedset/audit"
	"closedset/auth"
	"closedset/ops"
	"closedset/production"
)

func addTestUser(t *testing.T, st ops.Store, email, name string, admin bool) auth.User {
	t.Helper()
	u, err := st.CreateUser(context.Background(), audit.System, auth.NewUser{Email: email, Name: name, Admin: admin,
		PasswordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$a2V5"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// addMember invites u to by's production in the role, and u joins.
func addMember(t *testing.T, o *ops.Ops, by ops.Caller, u auth.User, role auth.Role) error {
	t.Helper()
	got, err := o.Invite(context.Background(), by, u.Email, role, rand.Reader)
	if err != nil {
		return err
	}
	_, err = o.JoinInvitation(context.Background(), ops.Caller{User: u}, got.Token)
	return err
}

// TestNobodyGrantsARoleToThemselves: a producer cannot make themselves IC,
// by adding, by editing their roles, or by casting themselves; an IC is
// never also producer, director or AD (issue 12, item 2).
func TestNobodyGrantsARoleToThemselves(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		pat := addTestUser(t, st, "pat@example.org", "Pat Producer", false)
		if err := addMember(t, f.o, f.ic, pat, auth.Producer); err != nil {
			t.Fatal(err)
		}
		producer := ops.Caller{User: pat, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.Producer)}
		if _, err := f.o.SetMemberRoles(ctx, producer, pat.ID, auth.RolesOf(auth.Producer, auth.IC)); !closedset.Is(err, closedset.Forbidden) {
			t.Errorf("a producer editing their own roles to IC: %v, want forbidden", err)
		}
		if _, err := f.o.Invite(ctx, producer, "PAT@example.org", auth.IC, rand.Reader); !closedset.Is(err, closedset.Forbidden) {
			t.Errorf("a producer inviting themselves: %v, want forbidden", err)
		}
		if _, err := f.o.CreatePerformer(ctx, producer, production.NewPerformer{Name: "Pat", Email: pat.Email, DateOfBirth: production.Date{Year: 1980, Month: 1, Day: 1}}); !closedset.Is(err, closedset.Forbidden) {
			t.Errorf("a producer casting themselves: %v, want forbidden", err)
		}
		// Another member may not make the producer IC either: the IC is
		// held apart from the producer.
		if _, err := f.o.Invite(ctx, f.ic, pat.Email, auth.IC, rand.Reader); !closedset.Is(err, closedset.RuleViolation) {
			t.Errorf("the IC inviting the producer as IC: %v, want rule_violation", err)
		}
		if _, err := f.o.SetMemberRoles(ctx, producer, f.ic.User.ID, auth.RolesOf(auth.IC, auth.Director)); !closedset.Is(err, closedset.RuleViolation) {
			t.Errorf("the producer making the IC director: %v, want rule_violation", err)
		}
		if r, _ := st.Roles(ctx, f.ic.ProductionID, pat.ID); r != auth.RolesOf(auth.Producer) {
			t.Errorf("after the refusals the producer holds %v", r)
		}
		// Giving a role up is not granting one.
		if _, err := f.o.SetMemberRoles(ctx, producer, pat.ID, 0); err != nil {
			t.Errorf("the producer leaving: %v", err)
		}
	})
}

// TestInvitationMakesTheAccount: an IC invites an email without an
// account; accepting the link makes the account, the membership in the
// invited role, links the performer record with that email, and signs in,
// once.
func TestInvitationMakesTheAccount(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		nora, err := f.o.CreatePerformer(ctx, f.ic, production.NewPerformer{Name: "Nora Lind", Email: "nora@example.org",
			DateOfBirth: production.Date{Year: 1992, Month: 4, Day: 11}, Characters: []string{"TOMAS"}})
		if err != nil || nora.UserID != 0 {
			t.Fatalf("performer without an account: %+v, %v", nora, err)
		}
		got, err := f.o.Invite(ctx, f.ic, "Nora@Example.org", auth.Legal, rand.Reader)
		if err != nil || got.Invitation == nil || got.Token == "" {
			t.Fatalf("Invite = %+v, %v", got, err)
		}
		if _, err := f.o.AcceptInvitation(ctx, got.Token, "Nora Lind", "short", time.Hour, rand.Reader); !closedset.Is(err, closedset.Invalid) {
			t.Fatalf("a short password: %v, want invalid", err)
		}
		a, err := f.o.AcceptInvitation(ctx, got.Token, "Nora Lind", "harbour lights at dawn", time.Hour, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if a.User.Email != "nora@example.org" || a.SessionID == "" {
			t.Fatalf("accepted %+v", a)
		}
		if u, _, err := st.SessionUser(ctx, auth.HashToken(a.SessionID), time.Now()); err != nil || u.ID != a.User.ID {
			t.Fatalf("the new session: %+v, %v", u, err)
		}
		if r, _ := st.Roles(ctx, f.ic.ProductionID, a.User.ID); r != auth.RolesOf(auth.Legal, auth.Performer) {
			t.Errorf("the new member's roles: %v, want legal and performer", r)
		}
		if p, err := st.Performer(ctx, nora.ID); err != nil || p.UserID != a.User.ID {
			t.Errorf("the performer record after accepting: %+v, %v", p, err)
		}
		if _, err := f.o.AcceptInvitation(ctx, got.Token, "Someone Else", "another long password", time.Hour, rand.Reader); !closedset.Is(err, closedset.NotFound) {
			t.Errorf("the link used twice: %v, want not_found", err)
		}
		// A revoked link is refused too.
		again, err := f.o.Invite(ctx, f.ic, "june@example.org", auth.Costume, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.o.RevokeInvitation(ctx, f.ic, again.Invitation.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.o.OpenInvitation(ctx, again.Token); !closedset.Is(err, closedset.NotFound) {
			t.Errorf("a revoked link: %v, want not_found", err)
		}
		// An existing account is invited like any email (inviting reveals
		// nothing, and nobody is added unasked); it joins signed in, as
		// itself only.
		cass := addTestUser(t, st, "cass@example.org", "Cass", false)
		inv, err := f.o.Invite(ctx, f.ic, "cass@example.org", auth.Costume, rand.Reader)
		if err != nil || inv.Invitation == nil {
			t.Fatalf("inviting an existing account: %+v, %v", inv, err)
		}
		if r, _ := st.Roles(ctx, f.ic.ProductionID, cass.ID); r != 0 {
			t.Errorf("an invited account is a member before joining: %v", r)
		}
		if _, err := f.o.AcceptInvitation(ctx, inv.Token, "Cass", "a password for cass", time.Hour, rand.Reader); !closedset.Is(err, closedset.Conflict) {
			t.Errorf("making a second account with the email: %v, want conflict", err)
		}
		other := addTestUser(t, st, "mallory@example.org", "Mallory", false)
		if _, err := f.o.JoinInvitation(ctx, ops.Caller{User: other}, inv.Token); !closedset.Is(err, closedset.Forbidden) {
			t.Errorf("another account joining with the link: %v, want forbidden", err)
		}
		m, err := f.o.JoinInvitation(ctx, ops.Caller{User: cass}, inv.Token)
		if err != nil || m.Roles != auth.RolesOf(auth.Costume) {
			t.Fatalf("joining: %+v, %v", m, err)
		}
		if _, err := f.o.JoinInvitation(ctx, ops.Caller{User: cass}, inv.Token); !closedset.Is(err, closedset.NotFound) {
			t.Errorf("joining twice with one link: %v, want not_found", err)
		}
	})
}

// TestRemovedPerformerKeepsTheRecord: removing a performer keeps their
// record and riders, takes them off the cast and their account's
// performer role.
func TestRemovedPerformerKeepsTheRecord(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		mara := addTestUser(t, st, "mara@example.org", "Mara", false)
		edited, err := f.o.EditPerformer(ctx, f.ic, f.mara.ID, production.NewPerformer{Name: "Mara Actor", Email: mara.Email,
			DateOfBirth: f.mara.DateOfBirth, Characters: []string{"MARA"}})
		if err != nil || edited.UserID != mara.ID {
			t.Fatalf("editing links the account: %+v, %v", edited, err)
		}
		rd, _, err := f.o.IssueRider(ctx, f.ic, f.mara.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.o.RemovePerformer(ctx, f.ic, f.mara.ID); err != nil {
			t.Fatal(err)
		}
		if r, _ := st.Roles(ctx, f.ic.ProductionID, mara.ID); r.Has(auth.Performer) {
			t.Errorf("a removed performer's account is still performer: %v", r)
		}
		if _, err := st.Rider(ctx, rd.ID); err != nil {
			t.Errorf("the rider of a removed performer: %v", err)
		}
		cast, _ := st.Performers(ctx, f.ic.ProductionID)
		if len(cast) != 0 {
			t.Errorf("cast after removing: %+v", cast)
		}
		// Off the cast: no new rider, casting or boundaries.
		if _, _, err := f.o.IssueRider(ctx, f.ic, f.mara.ID); !closedset.Is(err, closedset.Conflict) {
			t.Errorf("a rider for a removed performer: %v, want conflict", err)
		}
		if err := f.o.CastPerformer(ctx, f.ic, f.scene.ID, f.mara.ID, true); !closedset.Is(err, closedset.Conflict) {
			t.Errorf("casting a removed performer: %v, want conflict", err)
		}
	})
}

// TestOnlyTheAdminManagesUsers: the admin creates, disables and resets
// accounts; nobody else may, and the admin cannot disable themself.
func TestOnlyTheAdminManagesUsers(t *testing.T) {
	backends(t, func(t *testing.T, st ops.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		admin := ops.Caller{User: addTestUser(t, st, "root@example.org", "Root", true)}
		if _, _, err := f.o.CreateUser(ctx, ops.Caller{User: f.ic.User}, "x@example.org", "X", false, rand.Reader); !closedset.Is(err, closedset.Forbidden) {
			t.Errorf("an IC creating a user: %v, want forbidden", err)
		}
		u, pw, err := f.o.CreateUser(ctx, admin, "new@example.org", "New Person", false, rand.Reader)
		if err != nil || len(pw) != 23 {
			t.Fatalf("CreateUser = %+v %q, %v", u, pw, err)
		}
		if err := f.o.SetUserDisabled(ctx, admin, admin.User.ID, true); !closedset.Is(err, closedset.Conflict) {
			t.Errorf("the admin disabling themself: %v, want conflict", err)
		}
		if err := f.o.SetUserDisabled(ctx, admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		pw2, err := f.o.ResetUser(ctx, admin, u.ID, rand.Reader)
		if err != nil || pw2 == pw {
			t.Fatalf("ResetUser = %q, %v", pw2, err)
		}
		got, _ := st.User(ctx, u.ID)
		if ok, _, _ := auth.CheckPassword(got.PasswordHash, pw2); !ok || !got.Disabled {
			t.Errorf("after the reset: disabled %v, the new password works %v", got.Disabled, ok)
		}
	})
}

// TestAProducersInvitationLinksNoPerformerRecord: a producer sees the link
// of the invitation they send, so accepting it must not make the new
// account a performer's own (it would read her boundaries and reasons);
// an IC's invitation links.
func TestAProducersInvitationLinksNoPerformerRecord(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	f := newFixture(t, st)
	pat := addTestUser(t, st, "pat@example.org", "Pat Producer", false)
	if err := addMember(t, f.o, f.ic, pat, auth.Producer); err != nil {
		t.Fatal(err)
	}
	producer := ops.Caller{User: pat, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.Producer)}
	nora, err := f.o.CreatePerformer(ctx, f.ic, production.NewPerformer{Name: "Nora Lind", Email: "nora@example.org",
		DateOfBirth: production.Date{Year: 1992, Month: 4, Day: 11}, Characters: []string{"TOMAS"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.o.Invite(ctx, producer, "nora@example.org", auth.Costume, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.o.AcceptInvitation(ctx, got.Token, "Not Nora", "harbour lights at dawn", time.Hour, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := st.Performer(ctx, nora.ID); err != nil || p.UserID == a.User.ID {
		t.Fatalf("a producer's invitation linked the performer record: %+v, %v", p, err)
	}
	// Nor does a producer's edit link it.
	if _, err := f.o.EditPerformer(ctx, producer, nora.ID, production.NewPerformer{Name: "Nora Lind", Email: "nora@example.org",
		DateOfBirth: nora.DateOfBirth, Characters: nora.Characters}); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Performer(ctx, nora.ID); p.UserID != 0 {
		t.Fatalf("a producer's edit linked the record to account %d", p.UserID)
	}
}
