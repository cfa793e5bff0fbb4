package auth

// Principal is who asks, as far as the permission table cares.
type Principal struct {
	// Admin is the installation role: users and backups, nothing inside a
	// production.
	Admin bool
	// Trainer is the installation role of the training pathway: signing
	// off a trainee's stages, nothing inside a production.
	Trainer bool
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
	if r[colAnyone].allows(own) || p.Admin && r[colAdmin].allows(own) || p.Trainer && r[colTrainer].allows(own) {
		return true
	}
	for i := range productionRoles {
		if p.Roles&(1<<i) != 0 && r[colRoles+i].allows(own) {
			return true
		}
	}
	return false
}
