package auth

import (
	"closedset"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
)

// want is the permission table written out a second way: for each action,
// who may do it. "anyone" is every signed-in user; "performer:own" (and so
// on) allows a role only on their own records. A changed cell in the table
// fails TestPermissionMatrix until it is changed here too.
var want = map[Action]string{
	ProductionCreate: "anyone",
	ProductionList:   "anyone",
	ProductionRead:   "ic producer director ad costume hmu props stunts camera performer legal trainee",
	PolicyWrite:      "ic producer",
	MemberAdd:        "ic producer",
	MemberList:       "ic producer director ad costume hmu props stunts camera performer legal trainee",
	MemberRemove:     "ic producer",
	MemberEdit:       "ic producer",
	MemberInvite:     "ic producer",
	ScriptUpload:     "ic producer",
	ScriptRead:       "ic producer director ad costume hmu props stunts camera performer legal trainee",
	RevisionDiff:     "ic producer director ad costume hmu props stunts camera performer legal trainee",
	SceneList:        "ic producer director ad costume hmu props stunts camera performer legal trainee",
	SceneRead:        "ic producer director ad costume hmu props stunts camera performer:own legal trainee",
	FlagReview:       "ic",
	SceneCast:        "ic",
	PerformerCreate:  "ic producer",
	PerformerList:    "ic producer director ad costume hmu props stunts camera performer legal trainee",
	PerformerRead:    "ic producer director ad performer:own legal",
	PerformerEdit:    "ic producer",
	PerformerRemove:  "ic producer",
	BoundariesRead:   "ic performer:own",
	BoundariesWrite:  "ic performer:own",
	ScheduleWrite:    "producer ad",
	PlanWrite:        "ic",
	PlanRead:         "ic producer director performer:own legal",
	RiderIssue:       "ic producer",
	RiderRead:        "ic producer performer:own legal",
	RiderSign:        "performer:own",
	ConsentWithdraw:  "performer:own",
	SafeguardWrite:   "ic ad",
	ReadinessRead:    "ic producer director ad performer:own legal",
	RequestCreate:    "ic",
	RequestList:      "ic producer director ad costume hmu props stunts camera legal",
	RequestRead:      "ic producer director ad costume:own hmu:own props:own stunts:own camera:own legal",
	RequestState:     "ic ad:own costume:own hmu:own props:own stunts:own camera:own",
	ShootDayWrite:    "producer ad",
	ShootDayRead:     "ic producer director ad legal trainee",
	ClosedSetWrite:   "ic ad",
	ClosedSetApprove: "ic ad",
	ClosedSetRead:    "ic producer director ad costume hmu props stunts camera performer:own legal trainee",
	SummaryRead:      "ic producer director ad costume hmu props stunts camera performer:own legal trainee",
	TokenCreate:      "anyone:own",
	TokenList:        "anyone:own",
	TokenRevoke:      "anyone:own",
	AlertsRead:       "anyone:own",
	AlertsWrite:      "anyone:own",
	UserManage:       "admin",

	// The consent actions the handlers ask on the record they act on.
	ConsentWithdrawFor:   "ic",
	ConsentReconfirm:     "performer:own",
	WithdrawalReasonRead: "ic performer:own",

	// The shoot day (issue 13, part B).
	RehearsalWrite: "ic",
	RehearsalRead:  "ic producer director performer:own legal",
	TakeLog:        "ic",
	TakeRead:       "ic producer director ad performer:own legal",
	TakeCheckIn:    "performer:own",
	TakeCheckInFor: "ic",
	ClosureWrite:   "ic",
	ClosureRead:    "ic producer director ad performer:own legal",
	DebriefWrite:   "ic performer:own",
	DebriefRead:    "ic performer:own",
	ReportRead:     "ic producer director ad legal",
	ReportSign:     "ic",

	// The IC's own record (issue 16).
	CredentialsRead:  "anyone:own admin",
	CredentialsWrite: "anyone:own",
	ProofRead:        "anyone:own admin",
	ProofShare:       "ic trainee",
	ProofReadShared:  "producer",
	PathwayRead:      "anyone:own trainer",
	PathwaySignOff:   "trainer",
	ICOfRecordWrite:  "producer",
}

// TestPermissionMatrix asks Can for every action as every role alone, as the
// admin and as a stranger, on their own records and on someone else's.
func TestPermissionMatrix(t *testing.T) {
	type asker struct {
		name string
		p    Principal
	}
	askers := []asker{{"stranger", Principal{}}, {"admin", Principal{Admin: true}}, {"trainer", Principal{Trainer: true}}}
	for _, r := range ProductionRoles() {
		askers = append(askers, asker{string(r), Principal{Roles: RolesOf(r)}})
	}
	if len(want) != len(Actions()) {
		t.Errorf("want lists %d actions, the package has %d", len(want), len(Actions()))
	}
	for _, a := range Actions() {
		grants, ok := want[a]
		if !ok {
			t.Errorf("%s: no expected answers written in this test", a)
			continue
		}
		for _, k := range askers {
			for _, own := range []bool{false, true} {
				expect := expected(grants, k.name, own)
				if got := Can(k.p, a, own); got != expect {
					t.Errorf("Can(%s, %s, own=%v) = %v, want %v", k.name, a, own, got, expect)
				}
			}
		}
	}
}

// expected reads a grant list of the want table for one asker.
func expected(grants, who string, own bool) bool {
	for _, g := range strings.Fields(grants) {
		name, onlyOwn := strings.CutSuffix(g, ":own")
		if (name == "anyone" || name == who) && (!onlyOwn || own) {
			return true
		}
	}
	return false
}

// TestEveryActionHasARow reads the package's source for every constant of
// type Action, so that a new action cannot be forgotten in Actions() or in
// the permission table.
func TestEveryActionHasARow(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "actions.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []Action
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Action" {
				continue
			}
			for _, v := range vs.Values {
				lit := v.(*ast.BasicLit)
				declared = append(declared, Action(strings.Trim(lit.Value, `"`)))
			}
		}
	}
	if len(declared) < 25 {
		t.Fatalf("found only %d Action constants in actions.go; the parse is wrong", len(declared))
	}
	for _, a := range declared {
		if !slices.Contains(Actions(), a) {
			t.Errorf("%s is declared but missing from allActions", a)
		}
		if _, ok := table[a]; !ok {
			t.Errorf("%s has no row in the permission table", a)
		}
	}
	if len(declared) != len(Actions()) {
		t.Errorf("%d actions declared, %d listed", len(declared), len(Actions()))
	}
}

// TestPrivateDataOnlyForICsAndThePerformer tries every combination of
// production roles, with and without admin, on own records and others'.
func TestPrivateDataOnlyForICsAndThePerformer(t *testing.T) {
	n := len(ProductionRoles())
	for _, a := range Actions() {
		if !a.Private() {
			continue
		}
		for set := Roles(0); set < 1<<n; set++ {
			for _, admin := range []bool{false, true} {
				for _, own := range []bool{false, true} {
					p := Principal{Admin: admin, Roles: set}
					expect := set.Has(IC) || set.Has(Performer) && own
					if got := Can(p, a, own); got != expect {
						t.Fatalf("Can(roles %s, admin %v, %s, own=%v) = %v", set, admin, a, own, got)
					}
				}
			}
		}
	}
	var got []Action
	for _, a := range Actions() {
		if a.Private() {
			got = append(got, a)
		}
	}
	if want := []Action{BoundariesRead, BoundariesWrite, WithdrawalReasonRead, DebriefWrite, DebriefRead}; !slices.Equal(got, want) {
		t.Errorf("the private actions are %v, want %v", got, want)
	}
}

// TestAdminMayNothingInsideProductions: the admin manages accounts
// (user.manage) and reads ICs' credentials and proofs (issue 16); their
// other work (backups, the audit chain's check) is the operator's CLI on
// the database. Through the table they may otherwise only what any
// signed-in user may: nothing inside a production.
func TestAdminMayNothingInsideProductions(t *testing.T) {
	var got []Action
	for _, a := range Actions() {
		if Can(Principal{Admin: true}, a, true) {
			got = append(got, a)
		}
	}
	want := []Action{ProductionCreate, ProductionList, CredentialsRead, CredentialsWrite, ProofRead, PathwayRead, TokenCreate, TokenList, TokenRevoke, AlertsRead, AlertsWrite, UserManage}
	if !slices.Equal(got, want) {
		t.Errorf("admin may %v, want only %v", got, want)
	}
}

func TestStrangerMayOnlyWhatAnySignedInUserMay(t *testing.T) {
	for _, a := range Actions() {
		for _, own := range []bool{false, true} {
			got := Can(Principal{}, a, own)
			ownRecord := a == TokenCreate || a == TokenList || a == TokenRevoke || a == AlertsRead || a == AlertsWrite ||
				a == CredentialsRead || a == CredentialsWrite || a == ProofRead || a == PathwayRead
			anyone := a == ProductionCreate || a == ProductionList || ownRecord && own
			if got != anyone {
				t.Errorf("stranger: Can(%s, own=%v) = %v", a, own, got)
			}
		}
	}
}

// TestWithdrawalIsThePerformersOrAnICsOnTheirWord (invariant 2): the
// performer withdraws their own consent, an IC anyone's on the performer's
// word, and nobody else either; a performer never withdraws another's.
func TestWithdrawalIsThePerformersOrAnICsOnTheirWord(t *testing.T) {
	performer := Principal{Roles: RolesOf(Performer)}
	ic := Principal{Roles: RolesOf(IC)}
	if !Can(performer, ConsentWithdraw, true) || Can(performer, ConsentWithdraw, false) || Can(performer, ConsentWithdrawFor, false) {
		t.Error("a performer: want their own consent only")
	}
	if !Can(ic, ConsentWithdrawFor, false) || Can(ic, ConsentWithdraw, true) {
		t.Error("an IC: want on the performer's word, and no consent of their own to withdraw as an IC")
	}
	for _, r := range ProductionRoles() {
		if r == IC || r == Performer {
			continue
		}
		p := Principal{Roles: RolesOf(r)}
		if Can(p, ConsentWithdraw, true) || Can(p, ConsentWithdrawFor, false) {
			t.Errorf("%s may withdraw a performer's consent", r)
		}
	}
}

// TestOnlyThePerformerSignsAndReconfirms: nobody signs a rider or
// re-confirms a consent for a performer, an IC included.
func TestOnlyThePerformerSignsAndReconfirms(t *testing.T) {
	all := Principal{Admin: true, Roles: 1<<len(ProductionRoles()) - 1}
	for _, a := range []Action{RiderSign, ConsentReconfirm} {
		if Can(all, a, false) {
			t.Errorf("every role together may %s for someone else", a)
		}
		if !Can(Principal{Roles: RolesOf(Performer)}, a, true) || Can(Principal{Roles: RolesOf(IC)}, a, true) {
			t.Errorf("%s: want the performer on their own only", a)
		}
	}
}

func TestSeveralRolesGiveTheUnion(t *testing.T) {
	p := Principal{Roles: RolesOf(AD, Performer)}
	if !Can(p, ScheduleWrite, false) || !Can(p, RiderSign, true) || Can(p, RiderSign, false) || Can(p, PlanWrite, false) {
		t.Error("AD and performer: want schedule and own rider only")
	}
}

func TestUnknownActionIsDenied(t *testing.T) {
	all := Principal{Admin: true, Roles: 1<<len(ProductionRoles()) - 1}
	if Can(all, "production.delete", true) || Can(all, "", true) {
		t.Error("an action missing from the table was allowed")
	}
}

func TestParseTableRejectsMistakes(t *testing.T) {
	line := func(a string, cells ...string) string {
		c := slices.Repeat([]string{"."}, 3+len(ProductionRoles()))
		for i := 0; i+1 < len(cells); i += 2 {
			c[slices.Index(append([]string{"anyone", "admin", "trainer"}, roleNames()...), cells[i])] = cells[i+1]
		}
		return a + " " + strings.Join(c, " ")
	}
	header := "action anyone admin trainer " + strings.Join(roleNames(), " ")
	rows := func(skip Action, extra ...string) string {
		var ls []string
		for _, a := range Actions() {
			if a != skip {
				ls = append(ls, line(string(a)))
			}
		}
		return header + "\n" + strings.Join(append(ls, extra...), "\n")
	}
	cases := map[string]string{
		"boundaries for a producer":            rows(BoundariesRead, line("boundaries.read", "producer", "Y")),
		"boundaries for any performer":         rows(BoundariesWrite, line("boundaries.write", "performer", "Y")),
		"boundaries for the admin":             rows(BoundariesRead, line("boundaries.read", "admin", "own")),
		"boundaries for anyone":                rows(BoundariesRead, line("boundaries.read", "anyone", "own")),
		"boundaries for a trainer":             rows(BoundariesRead, line("boundaries.read", "trainer", "Y")),
		"boundaries for a trainee":             rows(BoundariesRead, line("boundaries.read", "trainee", "Y")),
		"a withdrawal's reason for a producer": rows(WithdrawalReasonRead, line("withdrawal.reason.read", "producer", "Y")),
		"any performer's withdrawal reason":    rows(WithdrawalReasonRead, line("withdrawal.reason.read", "performer", "Y")),
		"missing row":                          rows(PlanRead),
		"duplicate row":                        rows("", line("plan.read")),
		"unknown action":                       rows("", line("plan.delete")),
		"unknown cell":                         rows(PlanRead, line("plan.read", "ic", "yes")),
		"short line":                           rows("", "plan.read Y"),
		"columns in another order":             strings.Replace(rows(""), "ic producer", "producer ic", 1),
	}
	for name, text := range cases {
		if _, err := parseTable(text); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := parseTable(rows("")); err != nil {
		t.Errorf("an all-deny table was refused: %v", err)
	}
}

func TestRoles(t *testing.T) {
	r, err := ParseRole(" IC ")
	if err != nil || r != IC {
		t.Errorf("ParseRole(IC) = %q, %v", r, err)
	}
	for _, bad := range []string{"admin", "", "actor"} {
		if _, err := ParseRole(bad); !closedset.Is(err, closedset.Invalid) {
			t.Errorf("ParseRole(%q) = %v, want invalid", bad, err)
		}
	}
	s := RolesOf(Performer, IC, Admin, "nobody")
	if s.String() != "ic,performer" || !s.Has(IC) || s.Has(Admin) || s.Has(Legal) {
		t.Errorf("roles %s", s)
	}
	if Roles(0).String() != "none" {
		t.Error("empty set")
	}
}

// TestDepartmentsAreRoles: a department request goes to a production
// role, the one vocabulary of both; the IC, producer, director, performer
// and legal receive none.
func TestDepartmentsAreRoles(t *testing.T) {
	for _, r := range ProductionRoles() {
		want := slices.Contains([]Role{AD, Costume, HMU, Props, Stunts, Camera}, r)
		if r.Department() != want {
			t.Errorf("%s.Department() = %v, want %v", r, !want, want)
		}
		got, err := ParseDepartment(" " + strings.ToUpper(string(r)) + " ")
		if want && (err != nil || got != r) {
			t.Errorf("ParseDepartment(%s) = %q, %v", r, got, err)
		}
		if !want && !closedset.Is(err, closedset.Invalid) {
			t.Errorf("ParseDepartment(%s) = %q, %v; want invalid", r, got, err)
		}
	}
	if _, err := ParseDepartment("catering"); err == nil {
		t.Error("catering is no department of closedset")
	}
}
