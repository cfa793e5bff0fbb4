package auth

import (
	"fmt"
	"strings"
)

// permissions is the one permission table: who may do each action.
//
//	Y    allowed
//	own  allowed on the user's own records only (see Can and each Action)
//	.    denied: anything not granted here is denied
//
// "anyone" is any signed-in user, member of the production or not; "admin"
// the installation admin, who manages accounts (user.manage) and reads no
// production data (backups and the audit chain's check are the operator's
// CLI, on the database, not actions of this table); the other columns are
// production roles. A user
// holding several roles gets the union. Unauthenticated requests never
// reach the table: the web layer answers them 401 first.
const permissions = `
action                 anyone admin trainer ic producer director ad  costume hmu props stunts camera performer legal trainee
production.create      Y      .     .       .  .        .        .   .       .   .     .      .      .         .     .
production.list        Y      .     .       .  .        .        .   .       .   .     .      .      .         .     .
production.read        .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      Y         Y     Y
policy.write           .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
member.add             .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
member.list            .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      Y         Y     Y
member.remove          .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
member.edit            .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
member.invite          .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
script.upload          .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
script.read            .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      Y         Y     Y
revision.diff          .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      Y         Y     Y
scene.list             .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      Y         Y     Y
scene.read             .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      own       Y     Y
flag.review            .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
scene.cast             .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
performer.create       .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
performer.list         .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      Y         Y     Y
performer.read         .      .     .       Y  Y        Y        Y   .       .   .     .      .      own       Y     .
performer.edit         .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
performer.remove       .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
boundaries.read        .      .     .       Y  .        .        .   .       .   .     .      .      own       .     .
boundaries.write       .      .     .       Y  .        .        .   .       .   .     .      .      own       .     .
schedule.write         .      .     .       .  Y        .        Y   .       .   .     .      .      .         .     .
plan.write             .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
plan.read              .      .     .       Y  Y        Y        .   .       .   .     .      .      own       Y     .
rider.issue            .      .     .       Y  Y        .        .   .       .   .     .      .      .         .     .
rider.read             .      .     .       Y  Y        .        .   .       .   .     .      .      own       Y     .
rider.sign             .      .     .       .  .        .        .   .       .   .     .      .      own       .     .
consent.withdraw       .      .     .       .  .        .        .   .       .   .     .      .      own       .     .
consent.withdraw_for   .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
consent.reconfirm      .      .     .       .  .        .        .   .       .   .     .      .      own       .     .
withdrawal.reason.read .      .     .       Y  .        .        .   .       .   .     .      .      own       .     .
safeguard.write        .      .     .       Y  .        .        Y   .       .   .     .      .      .         .     .
request.create         .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
request.list           .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      .         Y     .
request.read           .      .     .       Y  Y        Y        Y   own     own own   own    own    .         Y     .
request.state          .      .     .       Y  .        .        own own     own own   own    own    .         .     .
shootday.write         .      .     .       .  Y        .        Y   .       .   .     .      .      .         .     .
shootday.read          .      .     .       Y  Y        Y        Y   .       .   .     .      .      .         Y     Y
closedset.write        .      .     .       Y  .        .        Y   .       .   .     .      .      .         .     .
closedset.approve      .      .     .       Y  .        .        Y   .       .   .     .      .      .         .     .
closedset.read         .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      own       Y     Y
readiness.read         .      .     .       Y  Y        Y        Y   .       .   .     .      .      own       Y     .
summary.read           .      .     .       Y  Y        Y        Y   Y       Y   Y     Y      Y      own       Y     Y
rehearsal.write        .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
rehearsal.read         .      .     .       Y  Y        Y        .   .       .   .     .      .      own       Y     .
take.log               .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
take.read              .      .     .       Y  Y        Y        Y   .       .   .     .      .      own       Y     .
take.check_in          .      .     .       .  .        .        .   .       .   .     .      .      own       .     .
take.check_in_for      .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
closure.write          .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
closure.read           .      .     .       Y  Y        Y        Y   .       .   .     .      .      own       Y     .
debrief.write          .      .     .       Y  .        .        .   .       .   .     .      .      own       .     .
debrief.read           .      .     .       Y  .        .        .   .       .   .     .      .      own       .     .
report.read            .      .     .       Y  Y        Y        Y   .       .   .     .      .      .         Y     .
report.sign            .      .     .       Y  .        .        .   .       .   .     .      .      .         .     .
credentials.read       own    Y     .       .  .        .        .   .       .   .     .      .      .         .     .
credentials.write      own    .     .       .  .        .        .   .       .   .     .      .      .         .     .
proof.read             own    Y     .       .  .        .        .   .       .   .     .      .      .         .     .
proof.share            .      .     .       Y  .        .        .   .       .   .     .      .      .         .     Y
proof.read_shared      .      .     .       .  Y        .        .   .       .   .     .      .      .         .     .
pathway.read           own    .     Y       .  .        .        .   .       .   .     .      .      .         .     .
pathway.signoff        .      .     Y       .  .        .        .   .       .   .     .      .      .         .     .
icofrecord.write       .      .     .       .  Y        .        .   .       .   .     .      .      .         .     .
token.create           own    .     .       .  .        .        .   .       .   .     .      .      .         .     .
token.list             own    .     .       .  .        .        .   .       .   .     .      .      .         .     .
token.revoke           own    .     .       .  .        .        .   .       .   .     .      .      .         .     .
alerts.read            own    .     .       .  .        .        .   .       .   .     .      .      .         .     .
alerts.write           own    .     .       .  .        .        .   .       .   .     .      .      .         .     .
user.manage            .      Y     .       .  .        .        .   .       .   .     .      .      .         .     .
`

// grant is one cell of the table.
type grant uint8

const (
	deny grant = iota
	allow
	ownOnly
)

func (g grant) allows(own bool) bool { return g == allow || g == ownOnly && own }

// A row holds an action's cells: anyone, admin, trainer, then the production roles
// in productionRoles order (a role's bit in Roles is its index there).
type row [3 + len(productionRoles)]grant

const (
	colAnyone  = 0
	colAdmin   = 1
	colTrainer = 2
	colRoles   = 3
)

// table is parsed once from permissions. A malformed table stops the
// program at start rather than deny or allow something by accident.
var table = mustParseTable(permissions)

func mustParseTable(text string) map[Action]row {
	t, err := parseTable(text)
	if err != nil {
		panic(err)
	}
	return t
}

func parseTable(text string) (map[Action]row, error) {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	want := append([]string{"action", "anyone", "admin", "trainer"}, roleNames()...)
	if got := strings.Fields(lines[0]); strings.Join(got, " ") != strings.Join(want, " ") {
		return nil, fmt.Errorf("auth: permission table header is %q, want %q", got, want)
	}
	known := make(map[Action]bool, len(allActions))
	for _, a := range allActions {
		known[a] = true
	}
	t := make(map[Action]row, len(allActions))
	for i, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) != len(want) {
			return nil, fmt.Errorf("auth: permission table line %d has %d cells, want %d", i+2, len(f), len(want))
		}
		a := Action(f[0])
		if !known[a] {
			return nil, fmt.Errorf("auth: permission table line %d: unknown action %q", i+2, a)
		}
		if _, dup := t[a]; dup {
			return nil, fmt.Errorf("auth: permission table line %d: %s appears twice", i+2, a)
		}
		var r row
		for j, cell := range f[1:] {
			switch cell {
			case "Y":
				r[j] = allow
			case "own":
				r[j] = ownOnly
			case ".":
				r[j] = deny
			default:
				return nil, fmt.Errorf("auth: permission table line %d: cell %q (want Y, own or .)", i+2, cell)
			}
		}
		if err := checkPrivate(a, r); err != nil {
			return nil, err
		}
		t[a] = r
	}
	for _, a := range allActions {
		if _, ok := t[a]; !ok {
			return nil, fmt.Errorf("auth: permission table has no row for %s", a)
		}
	}
	return t, nil
}

// checkPrivate enforces invariant 5 on the table itself: private actions
// go to ICs, and to performers on their own data, never to anyone else.
func checkPrivate(a Action, r row) error {
	if !a.Private() {
		return nil
	}
	for j, g := range r {
		ok := g == deny ||
			j == colRoles+roleIndex(IC) ||
			j == colRoles+roleIndex(Performer) && g == ownOnly
		if !ok {
			return fmt.Errorf("auth: permission table grants private action %s beyond ICs and the performer themself", a)
		}
	}
	return nil
}

func roleNames() []string {
	names := make([]string, len(productionRoles))
	for i, r := range productionRoles {
		names[i] = string(r)
	}
	return names
}

func roleIndex(r Role) int {
	for i, p := range productionRoles {
		if p == r {
			return i
		}
	}
	return -1
}
