package ops_test

import (
	"context"
	"testing"

	"closedset/auth"
	"closedset/credentials"
	"closedset/ops"
	"closedset/production"
)

// currentProfile is an IC's profile certified a year before today, with
// Mental Health First Aid for two years more.
func currentProfile(today production.Date) credentials.Profile {
	year := credentials.AddYears(today, -1)
	return credentials.Profile{
		Certification: &credentials.Certification{Body: "Intimacy Professionals Association", IssuedOn: year},
		MHFA:          &credentials.MHFA{Provider: "MHFA England", CompletedOn: year, ExpiresOn: credentials.AddYears(today, 2)},
	}
}

// certifyICOfRecord gives the fixture's IC a current certification and
// Mental Health First Aid, and has a producer name them the production's
// lead IC of record: the readiness gate ic_of_record passes.
func (f fixture) certifyICOfRecord(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.o.PutICProfile(ctx, f.ic, currentProfile(production.DateOf(f.o.Now().UTC()))); err != nil {
		t.Fatal(err)
	}
	producer := ops.Caller{User: f.ic.User, ProductionID: f.ic.ProductionID, Roles: auth.RolesOf(auth.Producer)}
	if err := f.o.NameICOfRecord(ctx, producer, f.ic.User.ID); err != nil {
		t.Fatal(err)
	}
}
