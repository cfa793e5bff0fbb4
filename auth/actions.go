package auth

// Action is one operation of the API or the web app, named as its audit
// events are ("member.add"). Every Action has a row in the permission
// table; a test fails when one is added without it.
type Action string

// The actions. "Own" in a comment says what the own argument of Can means
// for that action; an action without it ignores own unless the table grants
// a role only its own.
const (
	ProductionCreate Action = "production.create" // any signed-in user; they become its first member, as ic or producer
	ProductionList   Action = "production.list"   // any signed-in user; lists only productions they are a member of
	ProductionRead   Action = "production.read"
	// PolicyWrite tightens the production's policy pack (a longer notice,
	// more safeguards, its own pause word); never below the pack's floor.
	PolicyWrite Action = "policy.write"

	MemberAdd    Action = "member.add"
	MemberList   Action = "member.list"
	MemberRemove Action = "member.remove"
	// MemberEdit changes the roles of a member (adding and removing in one
	// change). Nobody grants a role to themselves (see CheckGrant).
	MemberEdit Action = "member.edit"
	// MemberInvite invites someone by email to a role: an existing account
	// is added, anyone else gets a one-time link that makes their account.
	// It also lists and revokes the production's invitations.
	MemberInvite Action = "member.invite"

	ScriptUpload Action = "script.upload"
	ScriptRead   Action = "script.read"
	RevisionDiff Action = "revision.diff"

	SceneList  Action = "scene.list"  // each listed scene is then filtered by SceneRead
	SceneRead  Action = "scene.read"  // own: the performer is cast in the scene
	FlagReview Action = "flag.review" // confirm or dismiss a detected flag
	// SceneCast puts a performer into a scene, or takes them out, by hand:
	// the IC's call when the script does not show who is there.
	SceneCast Action = "scene.cast"

	PerformerCreate Action = "performer.create"
	PerformerList   Action = "performer.list" // names and characters: the cast list
	PerformerRead   Action = "performer.read" // the record (date of birth, contact); own: it is the user's record
	PerformerEdit   Action = "performer.edit" // name, contact, date of birth, characters
	// PerformerRemove takes a performer off the cast. Their riders,
	// consents and withdrawals stay (the ledger is append-only): the record
	// is marked removed, never deleted.
	PerformerRemove Action = "performer.remove"

	// Boundaries are private (DESIGN.md invariant 5): only the performer
	// and the production's ICs. Own: the boundaries are the user's.
	BoundariesRead  Action = "boundaries.read"
	BoundariesWrite Action = "boundaries.write"

	ScheduleWrite Action = "schedule.write" // a scene's call time

	PlanWrite Action = "plan.write"
	PlanRead  Action = "plan.read" // own: the performer is in the scene

	RiderIssue Action = "rider.issue"
	RiderRead  Action = "rider.read" // own: the rider is the user's
	RiderSign  Action = "rider.sign" // own: the rider is the user's; nobody signs for a performer

	// Withdrawal is always possible (invariant 2): the performer withdraws
	// their own consent (ConsentWithdraw; own: the consent is the user's,
	// and at the route, where the consent is not known yet, the user is
	// cast in the scene), and an IC withdraws a performer's consent on the
	// performer's word (ConsentWithdrawFor, recorded as such). No other
	// permission is needed for either.
	ConsentWithdraw    Action = "consent.withdraw"
	ConsentWithdrawFor Action = "consent.withdraw_for"
	// ConsentReconfirm carries the performer's consent on the rider they
	// signed over to a plan that only takes something away. Own: the
	// consent is the user's (at the route: the user is cast in the scene);
	// nobody re-confirms for a performer.
	ConsentReconfirm Action = "consent.reconfirm"
	// WithdrawalReasonRead reads why a performer withdrew, when they said:
	// private like a boundary (invariant 5). Own: the withdrawal is the
	// user's. Everyone else who reads consents sees only the state.
	WithdrawalReasonRead Action = "withdrawal.reason.read"

	// SafeguardWrite names a minor's guardian and the studio teacher of a
	// scene: the IC and the AD, who runs the set.
	SafeguardWrite Action = "safeguard.write"

	// Department requests (DOMAIN.md step 5): the IC raises them; each
	// department's head sees and closes only their own. RequestList lets
	// a member ask for lists, each request then filtered by RequestRead;
	// own for both RequestRead and RequestState: the request's department
	// is one of the user's roles.
	RequestCreate Action = "request.create"
	RequestList   Action = "request.list"
	RequestRead   Action = "request.read"
	RequestState  Action = "request.state"

	// Shoot days: the AD's (and a producer's) schedule of the day's
	// scenes, and the day board with each scene's readiness.
	ShootDayWrite Action = "shootday.write"
	ShootDayRead  Action = "shootday.read"

	// The closed-set list of a scene: proposed by an IC or an AD,
	// approved by both; read by everyone who works the set, and by a
	// performer of the scene (own).
	ClosedSetWrite   Action = "closedset.write"
	ClosedSetApprove Action = "closedset.approve"
	ClosedSetRead    Action = "closedset.read"

	ReadinessRead Action = "readiness.read" // own: the performer is in the scene
	SummaryRead   Action = "summary.read"   // the top-line summary; own: the performer is in the scene

	// The shoot day (issue 13, part B). RehearsalWrite records a rehearsal
	// (who was there, what was walked, the choreography's changes);
	// RehearsalRead reads them (own: the performer is in the scene).
	RehearsalWrite Action = "rehearsal.write"
	RehearsalRead  Action = "rehearsal.read"
	// TakeLog logs a take of an intimate scene (refused while the scene
	// is not ready), records its deviations and resumes a paused scene:
	// the IC's calls on set. TakeRead reads takes, check-ins and pauses
	// (own: the performer is in the scene).
	TakeLog  Action = "take.log"
	TakeRead Action = "take.read"
	// TakeCheckIn is the performer's own check-in before a take (own: the
	// check-in is the user's, and at the route the user is in the scene);
	// TakeCheckInFor is an IC's on the performer's word, recorded as such.
	// A stop is a withdrawal, so the two mirror ConsentWithdraw and
	// ConsentWithdrawFor.
	TakeCheckIn    Action = "take.check_in"
	TakeCheckInFor Action = "take.check_in_for"
	// ClosureWrite records a performer's step-out at wrap and the crew's
	// debrief; ClosureRead reads them (never a performer's debrief notes).
	ClosureWrite Action = "closure.write"
	ClosureRead  Action = "closure.read"
	// DebriefWrite and DebriefRead are a performer's debrief: private like
	// boundaries (invariant 5). Own: the debrief is the user's.
	DebriefWrite Action = "debrief.write"
	DebriefRead  Action = "debrief.read"
	// ReportRead reads a shoot day's end-of-day report; ReportSign signs
	// it off (a correction is a new version).
	ReportRead Action = "report.read"
	ReportSign Action = "report.sign"

	// The IC's own record (issue 16). CredentialsRead and
	// CredentialsWrite read and keep a user's IC profile (own: it is the
	// user's; the admin reads any). ProofRead reads a proof file's bytes
	// (own: the user's proof; the admin reads any). ProofShare shares the
	// user's proofs with a production they work on as IC or trainee, or
	// stops sharing; ProofReadShared is a producer reading the proofs an
	// IC shared with their production, which the record decides.
	CredentialsRead  Action = "credentials.read"
	CredentialsWrite Action = "credentials.write"
	ProofRead        Action = "proof.read"
	ProofShare       Action = "proof.share"
	ProofReadShared  Action = "proof.read_shared"
	// PathwayRead reads a trainee's pathway (own: the user's; a trainer
	// reads any); PathwaySignOff is a trainer's sign-off of a stage.
	PathwayRead    Action = "pathway.read"
	PathwaySignOff Action = "pathway.signoff"
	// ICOfRecordWrite names the production's lead IC of record: a
	// producer's, since the production hires them.
	ICOfRecordWrite Action = "icofrecord.write"

	// TokenCreate makes an API token. Own: the token is for the user
	// themself. Nobody, the admin included, makes tokens for others over
	// the API: that would be signing in as them. (The operator's CLI,
	// `closedset token create`, works on the database directly.)
	TokenCreate Action = "token.create"
	// TokenList and TokenRevoke list and revoke API tokens. Own: the
	// user's own tokens; nobody, the admin included, sees or revokes
	// another's (an admin's reset ends them all).
	TokenList   Action = "token.list"
	TokenRevoke Action = "token.revoke"

	// AlertsRead and AlertsWrite read and set the user's own choice of
	// alert channels and keep their browsers' push subscriptions. Own:
	// nobody chooses for another.
	AlertsRead  Action = "alerts.read"
	AlertsWrite Action = "alerts.write"

	// UserManage is the installation admin's: list, create, disable,
	// enable and reset the accounts of the installation. It grants nothing
	// inside a production.
	UserManage Action = "user.manage"
)

// allActions lists every action, in the order of the table.
var allActions = []Action{
	ProductionCreate, ProductionList, ProductionRead, PolicyWrite,
	MemberAdd, MemberList, MemberRemove, MemberEdit, MemberInvite,
	ScriptUpload, ScriptRead, RevisionDiff,
	SceneList, SceneRead, FlagReview, SceneCast,
	PerformerCreate, PerformerList, PerformerRead, PerformerEdit, PerformerRemove,
	BoundariesRead, BoundariesWrite,
	ScheduleWrite,
	PlanWrite, PlanRead,
	RiderIssue, RiderRead, RiderSign,
	ConsentWithdraw, ConsentWithdrawFor, ConsentReconfirm, WithdrawalReasonRead,
	SafeguardWrite,
	RequestCreate, RequestList, RequestRead, RequestState,
	ShootDayWrite, ShootDayRead,
	ClosedSetWrite, ClosedSetApprove, ClosedSetRead,
	ReadinessRead, SummaryRead,
	RehearsalWrite, RehearsalRead,
	TakeLog, TakeRead, TakeCheckIn, TakeCheckInFor,
	ClosureWrite, ClosureRead, DebriefWrite, DebriefRead,
	ReportRead, ReportSign,
	CredentialsRead, CredentialsWrite, ProofRead, ProofShare, ProofReadShared,
	PathwayRead, PathwaySignOff, ICOfRecordWrite,
	TokenCreate, TokenList, TokenRevoke,
	AlertsRead, AlertsWrite,
	UserManage,
}

// Actions returns every action, in a fixed order: for matrix tests and
// documentation.
func Actions() []Action { return append([]Action(nil), allActions...) }

// private lists the actions on performer-private data. The table may grant
// them only to ICs and to the performer on their own data; anything else
// stops the program at start (see parseTable), so a careless edit of the
// table cannot open them.
var private = map[Action]bool{
	BoundariesRead:       true,
	BoundariesWrite:      true,
	WithdrawalReasonRead: true,
	DebriefWrite:         true,
	DebriefRead:          true,
}

// Private reports whether a touches performer-private data.
func (a Action) Private() bool { return private[a] }
