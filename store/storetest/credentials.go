package storetest

import (
	"bytes"
	"closedset"
	"context"
	"slices"
	"testing"
	"time"

	"closedset/auth"
	"closedset/credentials"
	"closedset/production"
	"closedset/store"
)

// testICRecordIsAppended: an IC's profile gets a version only when it
// changes; proof files keep their sealed bytes as given; sharing, sign-offs
// and the IC of record are appended, the latest holding; a sign-off is
// once per stage; the IC of record is an IC of the production; the
// trainer role is a user's.
func testICRecordIsAppended(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, store.WithClock(func() time.Time { return t0 }))
	ic := addUser(t, s, "ivy@example.org", "Ivy IC")
	producer := addUser(t, s, "pat@example.org", "Pat Producer")
	p := addProduction(t, s, producer, "Harbour")
	if _, err := s.AddMember(ctx, producer.Actor(), p.ID, ic.ID, auth.IC); err != nil {
		t.Fatal(err)
	}

	_, _, err := s.ICProfile(ctx, ic.ID)
	wantKind(t, "no profile yet", err, closedset.NotFound)
	v1, err := s.PutICProfile(ctx, ic.Actor(), ic.ID, []byte(`{"trainings":[]}`))
	if err != nil || v1 != 1 {
		t.Fatalf("first profile: %d, %v", v1, err)
	}
	n := len(events(t, s))
	if again, err := s.PutICProfile(ctx, ic.Actor(), ic.ID, []byte(`{"trainings":[]}`)); err != nil || again != 1 || len(events(t, s)) != n {
		t.Fatalf("the same profile again: %d, %v, %d events (want %d)", again, err, len(events(t, s)), n)
	}
	if v2, err := s.PutICProfile(ctx, ic.Actor(), ic.ID, []byte(`{"trainings":[],"set_days":[]}`)); err != nil || v2 != 2 {
		t.Fatalf("a changed profile: %d, %v", v2, err)
	}
	if got, v, err := s.ICProfile(ctx, ic.ID); err != nil || v != 2 || string(got) != `{"trainings":[],"set_days":[]}` {
		t.Fatalf("ICProfile = %s, %d, %v", got, v, err)
	}

	sealed := []byte("sealed bytes \x00\x01")
	pf, err := s.AddProofFile(ctx, ic.Actor(), credentials.ProofFile{UserID: ic.ID, Name: "cert.pdf", MediaType: "application/pdf", Size: 10, Sealed: sealed})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AddProofFile(ctx, ic.Actor(), credentials.ProofFile{UserID: ic.ID, Name: "x.exe", MediaType: "application/x-msdownload", Size: 1, Sealed: sealed})
	wantKind(t, "a proof of another type", err, closedset.Invalid)
	if got, err := s.ProofFile(ctx, pf.ID); err != nil || !bytes.Equal(got.Sealed, sealed) || got.UserID != ic.ID || got.Name != "cert.pdf" {
		t.Fatalf("ProofFile = %+v, %v", got, err)
	}
	if list, err := s.ProofFiles(ctx, ic.ID); err != nil || len(list) != 1 || list[0].Sealed != nil {
		t.Fatalf("ProofFiles = %+v, %v", list, err)
	}
	_, err = s.ProofFile(ctx, 9999)
	wantKind(t, "a missing proof", err, closedset.NotFound)

	for _, shared := range []bool{true, false, true} {
		if err := s.ShareProofs(ctx, ic.Actor(), ic.ID, p.ID, shared); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ProofsShared(ctx, ic.ID, p.ID); err != nil || got != shared {
			t.Fatalf("ProofsShared = %v, %v, want %v", got, err, shared)
		}
	}

	trainee := addUser(t, s, "tia@example.org", "Tia Trainee")
	if _, err := s.SignOffStage(ctx, producer.Actor(), trainee.ID, "module_1", "well done"); err != nil {
		t.Fatal(err)
	}
	_, err = s.SignOffStage(ctx, producer.Actor(), trainee.ID, "module_1", "")
	wantKind(t, "a second sign-off", err, closedset.Conflict)
	if sos, err := s.SignOffs(ctx, trainee.ID); err != nil || len(sos) != 1 || sos[0].ByName != "Pat Producer" || sos[0].On != production.DateOf(t0) {
		t.Fatalf("SignOffs = %+v, %v", sos, err)
	}

	if _, ok, err := s.ICOfRecord(ctx, p.ID); err != nil || ok {
		t.Fatalf("no IC of record yet: %v, %v", ok, err)
	}
	err = s.NameICOfRecord(ctx, producer.Actor(), p.ID, trainee.ID)
	wantKind(t, "naming a non-member", err, closedset.Conflict)
	if err := s.NameICOfRecord(ctx, producer.Actor(), p.ID, ic.ID); err != nil {
		t.Fatal(err)
	}
	if uid, ok, err := s.ICOfRecord(ctx, p.ID); err != nil || !ok || uid != ic.ID {
		t.Fatalf("ICOfRecord = %d, %v, %v", uid, ok, err)
	}

	// Shoot days count for the production's ICs and trainees only.
	if _, err := s.AddMember(ctx, producer.Actor(), p.ID, trainee.ID, auth.Trainee); err != nil {
		t.Fatal(err)
	}
	for _, d := range []production.Date{{Year: 2026, Month: 3, Day: 2}, {Year: 2026, Month: 3, Day: 4}, {Year: 2026, Month: 3, Day: 5}} {
		if _, err := s.CreateShootDay(ctx, producer.Actor(), p.ID, d, nil); err != nil {
			t.Fatal(err)
		}
	}
	want := []production.Date{{Year: 2026, Month: 3, Day: 4}, {Year: 2026, Month: 3, Day: 5}}
	for _, u := range []auth.User{ic, trainee} {
		if got, err := s.WorkedDays(ctx, u.ID); err != nil || !slices.Equal(got, want) {
			t.Errorf("WorkedDays(%s) = %v, %v; want the days from joining on %v", u.Name, got, err, want)
		}
	}
	if got, err := s.WorkedDays(ctx, producer.ID); err != nil || len(got) != 0 {
		t.Errorf("a producer's worked days: %v, %v", got, err)
	}

	if err := s.SetTrainer(ctx, producer.Actor(), trainee.ID, true); err != nil {
		t.Fatal(err)
	}
	if u, err := s.User(ctx, trainee.ID); err != nil || !u.Trainer {
		t.Fatalf("a trainer: %+v, %v", u, err)
	}
	err = s.SetTrainer(ctx, producer.Actor(), 9999, true)
	wantKind(t, "a missing user", err, closedset.NotFound)
}
