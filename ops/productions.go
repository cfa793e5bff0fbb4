package ops

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"closedset"
	"closedset/auth"
	"closedset/consent"
	"closedset/production"
	"closedset/textfield"
)

// CreateProduction makes a production with the caller as its first
// member in the role they chose: its IC or its producer (np.Role; "" is
// producer). An empty time zone is the policy pack's usual one
// (consent.Policy.TimeZone): the one default for the API, the pages and the
// command line.
func (o *Ops) CreateProduction(ctx context.Context, c Caller, np production.NewProduction) (production.Production, error) {
	if err := c.check(auth.ProductionCreate, false); err != nil {
		return production.Production{}, err
	}
	np, err := ValidProduction(np)
	if err != nil {
		return production.Production{}, err
	}
	if np.Role == auth.IC {
		if err := o.checkNotTrainee(ctx, o.store, c.User.ID); err != nil {
			return production.Production{}, err
		}
	}
	return o.store.CreateProduction(ctx, c.Actor(), np)
}

// ValidProduction checks a new production's fields and fills its default
// time zone.
func ValidProduction(np production.NewProduction) (production.NewProduction, error) {
	title, err := cleanText("title", np.Title, textfield.MaxTitle)
	if err != nil {
		return production.NewProduction{}, err
	}
	pack, err := consent.PolicyByName(np.Policy)
	if err != nil {
		return production.NewProduction{}, closedset.FieldErrorf(closedset.Invalid, "policy", "%q is not one of %s", np.Policy, strings.Join(consent.PolicyNames(), ", "))
	}
	tz := strings.TrimSpace(np.TimeZone)
	if tz == "" {
		tz = pack.TimeZone
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" || utf8.RuneCountInString(tz) > textfield.MaxTimeZone {
		return production.NewProduction{}, closedset.FieldErrorf(closedset.Invalid, "time_zone", "%q is not an IANA time zone (e.g. Europe/London)", tz)
	}
	role := auth.Role(strings.ToLower(strings.TrimSpace(string(np.Role))))
	switch role {
	case "":
		role = auth.Producer
	case auth.IC, auth.Producer:
	default:
		return production.NewProduction{}, closedset.Errorf(closedset.Invalid, "role %q: you create a production as its ic or its producer", np.Role)
	}
	return production.NewProduction{Title: title, Policy: np.Policy, TimeZone: tz, Role: role}, nil
}

// notSelf refuses a grant of a role to the caller themself: a producer
// cannot make themselves IC and read the performers' boundaries.
func notSelf(c Caller, userID int64) error {
	if userID == c.User.ID {
		return closedset.Errorf(closedset.Forbidden, "nobody grants a role to themselves: ask another producer or IC of the production")
	}
	return nil
}

// cleanEmail checks an email address typed into a form.
func cleanEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" || len(email) > textfield.MaxEmail {
		return "", closedset.FieldErrorf(closedset.Invalid, "email", "must be 1 to %d bytes", textfield.MaxEmail)
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || a.Name != "" {
		return "", closedset.FieldErrorf(closedset.Invalid, "email", "%q is not an email address", email)
	}
	return strings.ToLower(email), nil
}

// RemoveMember takes a role (every role when role is "") from a member of
// the caller's production.
func (o *Ops) RemoveMember(ctx context.Context, c Caller, userID int64, role auth.Role) error {
	if err := c.check(auth.MemberRemove, false); err != nil {
		return err
	}
	return o.store.Tx(ctx, func(tx Store) error {
		had, err := hasIC(ctx, tx, c.ProductionID)
		if err != nil {
			return err
		}
		if err := tx.RemoveMember(ctx, c.Actor(), c.ProductionID, userID, role); err != nil {
			return err
		}
		return keepAnIC(ctx, tx, c, had)
	})
}

// keepAnIC refuses, inside the transaction of a change of roles, to leave
// without an IC a production that had one, unless an IC makes the change:
// the people who run the shoot cannot remove the performers' advocate.
func keepAnIC(ctx context.Context, tx Store, c Caller, had bool) error {
	if !had || c.Roles.Has(auth.IC) {
		return nil
	}
	if has, err := hasIC(ctx, tx, c.ProductionID); err != nil || has {
		return err
	}
	return closedset.Errorf(closedset.Forbidden, "this would leave the production without an intimacy coordinator: only an IC may remove the last IC")
}

// hasIC reports whether any member of the production is an IC.
func hasIC(ctx context.Context, tx Store, productionID int64) (bool, error) {
	ms, err := tx.Members(ctx, productionID)
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if m.Roles.Has(auth.IC) {
			return true, nil
		}
	}
	return false, nil
}

// StartSession records a sign-in the caller has proven (web checks the
// password and the rate limits).
func (o *Ops) StartSession(ctx context.Context, s auth.Session) error {
	return o.store.CreateSession(ctx, s)
}

// EndSession ends a sign-in; one already gone is no error.
func (o *Ops) EndSession(ctx context.Context, hash []byte) error {
	if err := o.store.DeleteSession(ctx, hash); err != nil && !closedset.Is(err, closedset.NotFound) {
		return err
	}
	return nil
}

// RehashPassword replaces the user's stored hash (u.PasswordHash) with a
// new hash of the same password (auth.HashPassword, when CheckPassword
// asks for a rehash): the password is unchanged, so sessions and tokens
// stay.
func (o *Ops) RehashPassword(ctx context.Context, u auth.User, hash string) error {
	return o.store.RehashPassword(ctx, u.Actor(), u.ID, u.PasswordHash, hash)
}
