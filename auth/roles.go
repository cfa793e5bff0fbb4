package auth

import (
	"closedset"
	"math/bits"
	"strings"
)

// Role is what someone is in a production (ic, producer, ...), or Admin,
// the one installation-wide role.
type Role string

// The roles of DESIGN.md. A member may hold several in one production.
const (
	IC        Role = "ic"
	Producer  Role = "producer"
	Director  Role = "director"
	AD        Role = "ad"
	Costume   Role = "costume"
	HMU       Role = "hmu"
	Props     Role = "props"
	Stunts    Role = "stunts"
	Camera    Role = "camera"
	Performer Role = "performer"
	Legal     Role = "legal"
	// Trainee is a trainee IC shadowing the production: they read what a
	// department reads, never a performer's private data, and are never
	// its IC (credentials: a trainee never works as an IC).
	Trainee Role = "trainee"
	// Admin runs the installation (users, backups). It is not a production
	// role: it grants nothing inside a production.
	Admin Role = "admin"
	// Trainer is the other installation role: a trainer or mentor of the
	// training pathway, who signs off a trainee's stages. The admin grants
	// it; like Admin it grants nothing inside a production.
	Trainer Role = "trainer"
)

// productionRoles lists the production roles in a fixed order: a role's
// index is its bit in Roles.
var productionRoles = [...]Role{IC, Producer, Director, AD, Costume, HMU, Props, Stunts, Camera, Performer, Legal, Trainee}

// ProductionRoles returns every production role, in a fixed order.
func ProductionRoles() []Role { return productionRoles[:] }

// ParseRole reads a production role by name ("ic", "producer", ...). Admin
// and Trainer are not accepted: they are given to users, never to members.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.bit() == 0 {
		return "", closedset.Errorf(closedset.Invalid, "unknown role %q (want one of %s)", s, Roles(1<<len(productionRoles)-1))
	}
	return r, nil
}

func (r Role) bit() Roles {
	for i, p := range productionRoles {
		if p == r {
			return 1 << i
		}
	}
	return 0
}

// Roles is a set of production roles: the roles one user holds in one
// production. The zero value is no role: a stranger to the production.
type Roles uint16

// RolesOf returns the set of the given production roles; other roles
// (Admin, unknown names) are ignored.
func RolesOf(rs ...Role) Roles {
	var s Roles
	for _, r := range rs {
		s |= r.bit()
	}
	return s
}

// Has reports whether r is in the set.
func (s Roles) Has(r Role) bool {
	b := r.bit()
	return b != 0 && s&b != 0
}

// List returns the roles in the set, in the fixed order.
func (s Roles) List() []Role {
	out := make([]Role, 0, bits.OnesCount16(uint16(s)))
	for i, r := range productionRoles {
		if s&(1<<i) != 0 {
			out = append(out, r)
		}
	}
	return out
}

// String lists the roles separated by commas, "none" for the empty set.
func (s Roles) String() string {
	if s == 0 {
		return "none"
	}
	var names []string
	for _, r := range s.List() {
		names = append(names, string(r))
	}
	return strings.Join(names, ",")
}

// apart are the roles an IC never holds beside IC in the same production:
// the IC is the performers' advocate, independent of the people who run
// the production and direct the shoot (DESIGN.md "Any signed-in user may
// create a production ...").
var apart = RolesOf(Producer, Director, AD)

// CheckGrant says whether a member holding held may be given role r too:
// a RuleViolation when r is IC and they are producer, director or AD, or
// r is one of those and they are IC. Adding a role already held is fine.
func CheckGrant(held Roles, r Role) error {
	switch {
	case held.Has(r):
		return nil
	case r == IC && held&apart != 0:
		return closedset.Errorf(closedset.RuleViolation,
			"an IC is never also producer, director or AD of the same production: this member is %s", held&apart)
	case r == Trainee && held.Has(IC) || r == IC && held.Has(Trainee):
		return closedset.Errorf(closedset.RuleViolation,
			"a trainee shadows the production and is never also its IC: this member is %s", held&RolesOf(IC, Trainee))
	case apart.Has(r) && held.Has(IC):
		return closedset.Errorf(closedset.RuleViolation,
			"an IC is never also producer, director or AD of the same production: this member is the IC, so cannot be %s", r)
	}
	return nil
}

// departments are the roles whose heads receive department requests from
// the IC (DOMAIN.md step 5): costume, hair and makeup, props, stunts,
// camera, and the ADs (closed set, schedule). A request's department is
// one of these roles, so a member holding it is that department's head.
var departments = RolesOf(AD, Costume, HMU, Props, Stunts, Camera)

// Departments returns the roles that receive department requests, in the
// fixed order.
func Departments() []Role { return departments.List() }

// Department reports whether r is a department that receives requests.
func (r Role) Department() bool { return departments.Has(r) }

// ParseDepartment reads a department by its role name ("costume", "hmu",
// ...): an Invalid error naming the field for anything else.
func ParseDepartment(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Department() {
		return "", closedset.FieldErrorf(closedset.Invalid, "department", "unknown department %q (want one of %s)", s, departments)
	}
	return r, nil
}
