package auth

import "fmt"

// Principal is who asks, as far as the permission table cares.
type Principal struct {
	// Admin is the installation role: users and backups, nothing inside a
	// production.
	Admin bool
	// Roles are the roles held in the production the request is about;
	// zero for a stranger to it, or for an action outside any production.
	Roles Roles
}

// Can reports whether p may do a. own says the target is p's own record:
// their performer record, boundaries, rider or consent, a scene they are
// cast in, a token for themself (each Action says which); the caller
// decides it from the data, Can never guesses. Anything the table does not
// grant is denied, including actions it does not know.
func Can(p Principal, a Action, own bool) bool {
	r, ok := table[a]
	if !ok {
		return false
	}
	if r[colAnyone].allows(own) || p.Admin && r[colAdmin].allows(own) {
		return true
	}
	for i := range productionRoles {
		if p.Roles&(1<<i) != 0 && r[colRoles+i].allows(own) {
			return true
		}
	}
	return false
}

// Check is Can as an error: nil when allowed, a Forbidden *Error when not.
func Check(p Principal, a Action, own bool) error {
	if Can(p, a, own) {
		return nil
	}
	return errorf(Forbidden, "%s is not allowed (%s)", a, describe(p))
}

func describe(p Principal) string {
	switch {
	case p.Roles != 0:
		return fmt.Sprintf("roles %s", p.Roles)
	case p.Admin:
		return "admin, not a member of this production"
	default:
		return "not a member of this production"
	}
}
