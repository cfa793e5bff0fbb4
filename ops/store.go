package ops

import (
	"context"
	"io"
	"iter"
	"time"

	"closedset/alert"
	"closedset/audit"
	"closedset/auth"
	"closedset/consent"
	"closedset/credentials"
	"closedset/production"
	"closedset/seal"
	"closedset/shoot"
)

// Reader is what the store answers without changing anything. The web
// layer reads through it (Ops embeds one); every change goes through an
// operation of Ops.
//
// Errors carry a closedset kind: NotFound for a missing record. Other
// errors are failures of the backend.
type Reader interface {
	User(ctx context.Context, id int64) (auth.User, error)
	UserByEmail(ctx context.Context, email string) (auth.User, error)
	CountUsers(ctx context.Context) (int, error)
	// Users lists every account by email (the admin's users page).
	Users(ctx context.Context) ([]auth.User, error)
	SessionUser(ctx context.Context, hash []byte, now time.Time) (auth.User, auth.Session, error)
	// TokenUser returns the user of an API token and the token, unless it
	// has expired at now or the user is disabled: NotFound then.
	TokenUser(ctx context.Context, hash []byte, now time.Time) (auth.User, auth.Token, error)
	// TokensOf lists the user's API tokens, newest first.
	TokensOf(ctx context.Context, userID int64) ([]auth.Token, error)
	// CalendarFeedUser is the user of a calendar feed's token, NotFound
	// when unknown, revoked or the user disabled; CalendarFeedsOf lists
	// the user's feeds, newest first.
	CalendarFeedUser(ctx context.Context, hash []byte) (auth.User, error)
	CalendarFeedsOf(ctx context.Context, userID int64) ([]auth.Token, error)
	Production(ctx context.Context, id int64) (production.Production, error)
	// ProductionsOf lists the productions the user is a member of, newest
	// first, each with the user's roles in it.
	ProductionsOf(ctx context.Context, userID int64) ([]production.Membership, error)
	Members(ctx context.Context, productionID int64) ([]production.Member, error)
	// Invitations lists the production's invitations, newest first, in
	// every state; InvitationByHash finds one by its token's hash.
	Invitations(ctx context.Context, productionID int64) ([]production.Invitation, error)
	Invitation(ctx context.Context, id int64) (production.Invitation, error)
	InvitationByHash(ctx context.Context, hash []byte) (production.Invitation, error)
	// Roles is the user's roles in the production: zero for a stranger.
	// It is on the path of every request, so it is one indexed query.
	Roles(ctx context.Context, productionID, userID int64) (auth.Roles, error)
	Scripts(ctx context.Context, productionID int64) ([]production.Script, error)
	Revision(ctx context.Context, id int64) (production.Revision, error)
	RevisionFile(ctx context.Context, id int64) ([]byte, error)

	// Scenes. Each scene carries its flags and each flag its latest review.
	Scenes(ctx context.Context, revisionID int64) ([]production.Scene, error)
	// CurrentScenes is the scenes of the latest revision of every script of
	// the production, by script then scene order.
	CurrentScenes(ctx context.Context, productionID int64) ([]production.Scene, error)
	// CurrentScenesAt is CurrentScenes with the audit head they were read
	// at (0 when it cannot say): as every write moves the head, a list
	// read at the head of now is the list of now, and whatever was made
	// of it can be kept until the head moves.
	CurrentScenesAt(ctx context.Context, productionID int64) ([]production.Scene, int64, error)
	Scene(ctx context.Context, id int64) (production.Scene, error)

	// Flag reviews: an IC confirms or dismisses a detected flag. Reviews
	// are appended, never edited; the latest is the flag's state.
	Flag(ctx context.Context, id int64) (production.Flag, error)

	// Audit: the whole chain in order, for audit.Verify.
	AuditEvents(ctx context.Context) iter.Seq2[audit.Event, error]
	// Head is the seq of the chain's last event (0 when empty). Every write
	// appends an event, so a moved head means "something changed", seen by
	// every server sharing the database; live page updates poll it.
	Head(ctx context.Context) (seq int64, err error)
	// HeadAnchor is the head's count and hash, for a verifier to compare
	// with the chain it walked.
	HeadAnchor(ctx context.Context) (audit.Anchor, error)
	// VerifyLedger recomputes the hash of every ledger row (consents,
	// withdrawals, signatures, plans, boundaries, ...) and compares it with
	// the one the event that wrote it carries (audit.Row): what it returns
	// are rows missing, changed since, or written by no event, the
	// earliest event first. It does not verify the chain itself.
	VerifyLedger(ctx context.Context) ([]audit.RowBreak, error)

	// The consent ledger's records (see Store).
	Performer(ctx context.Context, id int64) (production.Performer, error)
	Performers(ctx context.Context, productionID int64) ([]production.Performer, error)
	// PerformerByUser is the user's performer record in the production,
	// NotFound when the user plays no one in it.
	PerformerByUser(ctx context.Context, productionID, userID int64) (production.Performer, error)
	ScenePerformers(ctx context.Context, sceneID int64) ([]production.Performer, error)
	CallTime(ctx context.Context, sceneID int64) (time.Time, bool, error)
	Plan(ctx context.Context, sceneID int64) (consent.PlanVersion, error)
	PlanVersions(ctx context.Context, sceneID int64) ([]consent.PlanVersion, error)
	PlanByHash(ctx context.Context, sceneID int64, hash string) (consent.PlanVersion, error)
	// SceneLineage is the scene and the scenes it was carried from, newest
	// first.
	SceneLineage(ctx context.Context, sceneID int64) ([]int64, error)
	Rider(ctx context.Context, id int64) (consent.Rider, error)
	RidersOf(ctx context.Context, performerID int64) ([]consent.Rider, error)

	// Consents is, for each performer with a consent to the scene (through
	// its lineage), their latest consent with its withdrawal if withdrawn.
	Consents(ctx context.Context, sceneID int64) ([]consent.Consent, error)
	SceneSafeguards(ctx context.Context, sceneID int64) (consent.Safeguards, error)
	// SceneCast is the IC's latest choice for each performer put in or
	// taken out of the scene by hand (true: in).
	SceneCast(ctx context.Context, sceneID int64) (map[int64]bool, error)
	PolicyOf(ctx context.Context, productionID int64) (content []byte, ok bool, err error)

	// The shoot day (issue 13). Requests carry their latest state;
	// SceneRequests and ClosedSet read through the scene's lineage, so
	// that they follow the scene into a new draft.
	Request(ctx context.Context, id int64) (production.Request, error)
	SceneRequests(ctx context.Context, sceneID int64) ([]production.Request, error)
	ProductionRequests(ctx context.Context, productionID int64) ([]production.Request, error)
	// RequestHistory is every change of the request's state, oldest
	// first.
	RequestHistory(ctx context.Context, requestID int64) ([]production.RequestChange, error)
	ShootDay(ctx context.Context, id int64) (production.Day, error)
	ShootDays(ctx context.Context, productionID int64) ([]production.Day, error)
	// ClosedSet is the scene's latest closed-set list with the approvals
	// of that version; NotFound when none was written.
	ClosedSet(ctx context.Context, sceneID int64) (production.ClosedSetVersion, error)
	// ClosedSetVersions is every list of the scene's lineage with its
	// approvals, oldest first (none: empty).
	ClosedSetVersions(ctx context.Context, sceneID int64) ([]production.ClosedSetVersion, error)
	// The shoot day's record (see Store). Takes come with their
	// check-ins and deviations, in order; Pauses with their resumes.
	Rehearsals(ctx context.Context, sceneID int64) ([]shoot.Rehearsal, error)
	Take(ctx context.Context, id int64) (shoot.Take, error)
	Takes(ctx context.Context, sceneID int64) ([]shoot.Take, error)
	Pauses(ctx context.Context, sceneID int64) ([]shoot.Pause, error)
	// SceneRecords is what readiness reads of each of the scenes, in
	// order, in one snapshot, each kind in one query over all of their
	// lineages (NotFound when a scene is missing).
	SceneRecords(ctx context.Context, sceneIDs []int64) ([]SceneRecords, error)
	// ProductionRecords is what readiness reads of a production, the
	// same for each of its scenes, in one snapshot (NotFound when the
	// production is missing).
	ProductionRecords(ctx context.Context, productionID int64) (ProductionRecords, error)
	StepOuts(ctx context.Context, sceneID int64) ([]shoot.StepOut, error)
	// Debriefs carry their notes sealed: ops opens them for the
	// performer and the ICs only.
	Debriefs(ctx context.Context, sceneID int64) ([]shoot.Debrief, error)
	CrewDebriefs(ctx context.Context, sceneID int64) ([]shoot.CrewDebrief, error)
	// DayReports are the signed versions of a shoot day's report, oldest
	// first.
	DayReports(ctx context.Context, shootDayID int64) ([]shoot.SignedReport, error)

	// ICOfRecord is the user a production named its lead IC of record
	// last; false when none was named.
	ICOfRecord(ctx context.Context, productionID int64) (userID int64, ok bool, err error)
}

// Store is everything closedset keeps: store.SQL implements it over
// SQLite and PostgreSQL. Write methods take the Actor who makes the
// change: it goes into the change's audit event, appended in the same
// transaction. Operations that write more than one record run them in one
// Tx.
//
// Errors carry a closedset kind: NotFound for a missing record, Conflict
// for a duplicate (an email already taken), Invalid for a value the store
// refuses (an unknown role). Other errors are failures of the backend.
//
// The consent ledger: the store keeps the contents of plans and riders as
// opaque bytes (the consent and docs packages' canonical content) with the
// hashes their packages computed, and boundaries and withdrawal reasons only
// as bytes sealed by package seal: it never sees their plaintext, and no
// audit event carries them or a digest of them. History is kept:
// boundaries, call times and plans get new versions, consents and
// withdrawals are appended, and nothing is edited or deleted; the latest is
// the state. Plans belong to one scene of one revision; when a script is
// revised, CarryPlan carries a scene's latest plan to its matched scene in
// the new draft and links the two (SceneLineage), so the new scene's
// consents, call time and safeguards are read through the link.
type Store interface {
	Reader
	// Users.
	CreateUser(ctx context.Context, by audit.Actor, u auth.NewUser) (auth.User, error)
	// SetPassword changes a user's password and, in the same transaction,
	// ends every session and deletes every API token of the user: every
	// password change (the user's, the operator's, an admin's reset) goes
	// through it. RehashPassword stores a new hash of the same password
	// (stronger parameters) if the stored hash is still old, and keeps
	// them.
	SetPassword(ctx context.Context, by audit.Actor, userID int64, hash string) error
	RehashPassword(ctx context.Context, by audit.Actor, userID int64, old, hash string) error
	// SetUserDisabled disables (or enables) an account: a disabled user's
	// sessions end and their tokens are refused.
	SetUserDisabled(ctx context.Context, by audit.Actor, userID int64, disabled bool) error

	// Sessions are the web app's sign-ins, kept as the hash of their id.
	// SessionUser returns the user of an unexpired session, NotFound
	// otherwise.
	CreateSession(ctx context.Context, s auth.Session) error
	DeleteSession(ctx context.Context, hash []byte) error

	// API tokens, kept as the hash of the plaintext (auth.NewToken).
	// RevokeToken deletes one of the user's tokens; another user's is
	// NotFound. NoteTokenUse moves a token's last use forward: the one
	// write that appends no audit event (housekeeping, not a record).
	CreateToken(ctx context.Context, by audit.Actor, t auth.TokenRecord) (auth.Token, error)
	RevokeToken(ctx context.Context, by audit.Actor, userID, tokenID int64) error
	NoteTokenUse(ctx context.Context, tokenID int64, at time.Time) error
	// Calendar feeds (issue 17), kept as the hash of their token like API
	// tokens: they never expire and their use is not recorded.
	CreateCalendarFeed(ctx context.Context, by audit.Actor, t auth.TokenRecord) (auth.Token, error)
	RevokeCalendarFeed(ctx context.Context, by audit.Actor, userID, feedID int64) error

	// Productions. CreateProduction makes the creator its first member in
	// the role they chose (ic or producer), in the same transaction.
	CreateProduction(ctx context.Context, by audit.Actor, p production.NewProduction) (production.Production, error)

	// Members. A member holds one or more roles; AddMember adds a role to
	// the set (adding a role already held is not an error and records no
	// event); a role the member may not hold beside theirs
	// (auth.CheckGrant) is a RuleViolation. RemoveMember removes one role,
	// or every role when role is "".
	AddMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) (production.Member, error)
	RemoveMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) error

	// Invitations, kept with the hash of their one-time token. Revoking
	// one revoked changes nothing, one accepted is a Conflict; accepting
	// one no longer pending (used, revoked, expired) is a Conflict.
	CreateInvitation(ctx context.Context, by audit.Actor, inv production.NewInvitation) (production.Invitation, error)
	RevokeInvitation(ctx context.Context, by audit.Actor, id int64) error
	AcceptInvitation(ctx context.Context, by audit.Actor, id, userID int64) error

	// Scripts and revisions. AddRevision stores a parsed and broken-down
	// revision: a new script when r.ScriptID is 0, else the next revision
	// of that script. The original file is kept byte for byte.
	AddRevision(ctx context.Context, by audit.Actor, r production.NewRevision) (production.Revision, error)
	ReviewFlag(ctx context.Context, by audit.Actor, flagID int64, decision production.Decision, note string) (production.Flag, error)

	// Tx runs fn in one write transaction, so that one user action that
	// writes several records (a performer and their membership, a revision
	// and the plans carried to it) is stored whole or not at all, each
	// write with its audit event. fn reads and writes only through tx,
	// and sees its own writes; the transaction commits when fn returns nil.
	// Backup and Restore are refused inside it.
	Tx(ctx context.Context, fn func(tx Store) error) error

	// RecordSealKey records keyID (seal.Key.ID) as the id of the key that
	// seals this database's private data when none is recorded yet, and
	// returns the id recorded: a server compares it with its own key's.
	RecordSealKey(ctx context.Context, by audit.Actor, keyID string) (string, error)

	// Backup writes a consistent copy of the whole store to w while the
	// store keeps serving, authenticated with key (HMAC-SHA-256), a backup
	// key kept apart from the database.
	Backup(ctx context.Context, w io.Writer, key seal.Key) error
	// Restore loads a backup into this store, which must be empty (no
	// users): it refuses otherwise and writes nothing. It refuses a
	// backup made with another key (naming the key's id) or whose MAC
	// under key fails; the backup's audit chain is verified before
	// anything is written, and must end at the anchor the backup carries.
	Restore(ctx context.Context, r io.Reader, key seal.Key) error

	Close() error

	// Performers. A performer plays characters of the production's
	// scripts; ScenePerformers finds a scene's performers by its
	// characters, compared case-insensitively.
	CreatePerformer(ctx context.Context, by audit.Actor, p production.NewPerformer) (production.Performer, error)
	// UpdatePerformer replaces a performer's fields and account link.
	// RemovePerformer marks a performer removed from the cast, keeping the
	// record (its riders and consents are history): Performers,
	// PerformerByUser and ScenePerformers leave removed ones out,
	// Performer still finds them.
	UpdatePerformer(ctx context.Context, by audit.Actor, id int64, p production.NewPerformer) (production.Performer, error)
	RemovePerformer(ctx context.Context, by audit.Actor, id int64) error

	// Boundaries are sealed before they reach the store (seal.Seal with
	// BoundariesAAD). Every put is a new version; Boundaries returns the
	// latest, NotFound when none was put.
	PutBoundaries(ctx context.Context, by audit.Actor, performerID int64, sealed []byte) (version int, err error)
	Boundaries(ctx context.Context, performerID int64) (sealed []byte, version int, err error)

	// Call times: the latest set is the scene's (through its lineage).
	SetCallTime(ctx context.Context, by audit.Actor, sceneID int64, callTime time.Time) error

	// Plans. PutPlan makes a new version only when hash differs from the
	// latest version's; otherwise it returns the latest and records
	// nothing. Plan is the latest version, NotFound when none.
	PutPlan(ctx context.Context, by audit.Actor, sceneID int64, content []byte, hash string) (consent.PlanVersion, error)
	// CarryPlan copies the latest plan of fromSceneID to toSceneID, a
	// scene of a later revision of the same script that has no plan yet,
	// as its version 1 with the same content and hash, and links the two
	// scenes (SceneLineage).
	CarryPlan(ctx context.Context, by audit.Actor, fromSceneID, toSceneID int64) (consent.PlanVersion, error)

	// Riders. IssueRider records its delivery at the time of the call.
	IssueRider(ctx context.Context, by audit.Actor, r consent.NewRider) (consent.Rider, error)
	// SignRider records the performer's signature and, in the same
	// transaction, one consent per scene of the rider bound to the plan
	// hash and scene text hash the rider carries. A second signature, or
	// a digest that is not the rider's, is a Conflict and writes nothing.
	SignRider(ctx context.Context, by audit.Actor, riderID int64, sig consent.Signature) (consent.Rider, []consent.Consent, error)
	// WithdrawConsent appends a withdrawal of the performer's latest
	// consent to the scene, effective at once. sealedReason is the reason
	// sealed with WithdrawalAAD, or nil: the store keeps no plain reason.
	// Withdrawing what is already withdrawn changes nothing; withdrawing
	// with no consent at all is NotFound.
	WithdrawConsent(ctx context.Context, by audit.Actor, sceneID, performerID int64, sealedReason []byte, onBehalf bool) error
	// WithdrawalReason is a withdrawal's sealed reason, NotFound when none
	// was given.
	WithdrawalReason(ctx context.Context, withdrawalID int64) ([]byte, error)
	// ReconfirmConsent records the performer's consent to the scene's
	// current plan and text (given as hashes, which must be the scene's
	// latest) under the rider of their previous consent: a reduction
	// needs no new rider. The consent package decides when that is
	// allowed.
	ReconfirmConsent(ctx context.Context, by audit.Actor, sceneID, performerID int64, planHash, sceneTextHash string) (consent.Consent, error)

	// Safeguards of a scene with a minor: each minor performer's named
	// guardian and the studio teacher. The latest naming wins.
	NameGuardian(ctx context.Context, by audit.Actor, sceneID, performerID int64, name string) error
	// CastScene records the IC's choice that a performer is in the scene
	// or not, over what the script shows (ScenePerformers applies it).
	CastScene(ctx context.Context, by audit.Actor, sceneID, performerID int64, in bool) error
	NameStudioTeacher(ctx context.Context, by audit.Actor, sceneID int64, name string) error

	// A production's policy in force when it tightens its pack: opaque
	// JSON (consent.Policy), appended on every change. PolicyOf is false
	// while the production keeps its pack as published.
	SetPolicy(ctx context.Context, by audit.Actor, productionID int64, content []byte) error

	// Department requests: CreateRequest writes the request and its
	// first state (open); SetRequestState appends a change, checked
	// against the state it finds (production.CheckChange).
	CreateRequest(ctx context.Context, by audit.Actor, productionID int64, nr production.NewRequest) (production.Request, error)
	SetRequestState(ctx context.Context, by audit.Actor, requestID int64, state production.RequestState, note string) (production.Request, error)

	// Shoot days: one per date of a production (a second is a
	// Conflict); SetShootDayScenes appends a version of the day's scene
	// list unless it is the one it holds.
	CreateShootDay(ctx context.Context, by audit.Actor, productionID int64, date production.Date, sceneIDs []int64) (production.Day, error)
	SetShootDayScenes(ctx context.Context, by audit.Actor, dayID int64, sceneIDs []int64) (production.Day, error)

	// Closed-set lists: PutClosedSet makes a new version only when hash
	// differs from the latest's (content is the normalized list's
	// canonical JSON); ApproveClosedSet approves the latest version in
	// role ic or ad (another version is a Conflict; approving again
	// changes nothing).
	PutClosedSet(ctx context.Context, by audit.Actor, sceneID int64, content []byte, hash string) (production.ClosedSetVersion, error)
	ApproveClosedSet(ctx context.Context, by audit.Actor, sceneID int64, version int, role auth.Role) (production.ClosedSetVersion, error)
	// The shoot day's record (issue 13): every table is appended to,
	// never edited; states (a take rolled, a scene paused) are computed
	// from the rows. AddRehearsal records a rehearsal and who was there.
	AddRehearsal(ctx context.Context, by audit.Actor, r shoot.Rehearsal) (shoot.Rehearsal, error)
	// LogTake logs the scene's next take (numbered 1, 2, ...) with the
	// performers in its action and the plan it was shot under.
	LogTake(ctx context.Context, by audit.Actor, sceneID int64, performers []int64, planHash string) (shoot.Take, error)
	// CheckIn records a performer's answer on a take; the performer must
	// be in the take's action.
	CheckIn(ctx context.Context, by audit.Actor, c shoot.CheckIn) (shoot.CheckIn, error)
	// PauseScene records a pause of the take's scene by the performer;
	// ResumeScene ends every pause holding the scene (recording nothing
	// when none holds).
	PauseScene(ctx context.Context, by audit.Actor, takeID, performerID int64) (shoot.Pause, error)
	ResumeScene(ctx context.Context, by audit.Actor, sceneID int64) (resumed int, err error)
	AddDeviation(ctx context.Context, by audit.Actor, d shoot.Deviation) (shoot.Deviation, error)
	StepOut(ctx context.Context, by audit.Actor, sceneID, performerID int64) (shoot.StepOut, error)
	// AddDebrief keeps a performer's debrief, its notes sealed with
	// DebriefAAD before they reach the store.
	AddDebrief(ctx context.Context, by audit.Actor, d shoot.Debrief) (shoot.Debrief, error)
	AddCrewDebrief(ctx context.Context, by audit.Actor, d shoot.CrewDebrief) (shoot.CrewDebrief, error)
	// SignDayReport stores the report as the shoot day's next signed
	// version.
	SignDayReport(ctx context.Context, by audit.Actor, productionID, shootDayID int64, content []byte, hash string) (shoot.SignedReport, error)

	// The IC's own record (issue 16). PutICProfile stores a profile's
	// JSON (credentials.Profile) as the user's next version unless it is
	// the latest; ICProfile is the latest, NotFound when none.
	PutICProfile(ctx context.Context, by audit.Actor, userID int64, content []byte) (version int, err error)
	ICProfile(ctx context.Context, userID int64) (content []byte, version int, err error)
	// Proof files are sealed with ProofAAD before they reach the store;
	// ProofFiles lists them without their bytes.
	AddProofFile(ctx context.Context, by audit.Actor, p credentials.ProofFile) (credentials.ProofFile, error)
	ProofFile(ctx context.Context, id int64) (credentials.ProofFile, error)
	ProofFiles(ctx context.Context, userID int64) ([]credentials.ProofFile, error)
	// ShareProofs records whether the user shares their proofs with the
	// production's producers; the latest holds.
	ShareProofs(ctx context.Context, by audit.Actor, userID, productionID int64, shared bool) error
	ProofsShared(ctx context.Context, userID, productionID int64) (bool, error)
	// SignOffStage records a trainer's sign-off of a stage (a second is a
	// Conflict); SignOffs lists the user's, oldest first.
	SignOffStage(ctx context.Context, by audit.Actor, userID int64, stage, note string) (credentials.SignOff, error)
	SignOffs(ctx context.Context, userID int64) ([]credentials.SignOff, error)
	// NameICOfRecord names the production's lead IC of record: an IC
	// member of it (a Conflict otherwise).
	NameICOfRecord(ctx context.Context, by audit.Actor, productionID, userID int64) error
	// WorkedDays are the shoot days of the productions the user works on
	// as IC or trainee, from the day they joined.
	WorkedDays(ctx context.Context, userID int64) ([]production.Date, error)
	// SetTrainer grants or ends the installation role trainer.
	SetTrainer(ctx context.Context, by audit.Actor, userID int64, trainer bool) error

	// Alerts (issue 17). AlertPrefs is alert.DefaultPrefs for a user who
	// never chose. A push subscription is kept by its endpoint (the same
	// one again replaces it); ForgetPushSubscription drops one its push
	// service no longer knows.
	AlertPrefs(ctx context.Context, userID int64) (alert.Prefs, error)
	SetAlertPrefs(ctx context.Context, by audit.Actor, userID int64, p alert.Prefs) error
	AddPushSubscription(ctx context.Context, by audit.Actor, userID int64, sub alert.Subscription) error
	PushSubscriptions(ctx context.Context, userID int64) ([]alert.Subscription, error)
	ForgetPushSubscription(ctx context.Context, endpoint string) error
	// The outbox is housekeeping, written without an event but in the
	// transaction of the change that causes it (inside Tx), so a message
	// is queued exactly when its cause commits and survives a restart.
	// QueueAlertsOnce queues only for the first call with its key (a
	// time-based alert found by a periodic scan). ClaimAlerts takes due
	// messages for one attempt each, not due again until lease passes;
	// FinishAlert records the attempt: sent, due again at retry, or given
	// up (retry zero).
	QueueAlerts(ctx context.Context, msgs []alert.Message) error
	QueueAlertsOnce(ctx context.Context, key string, msgs []alert.Message) (bool, error)
	ClaimAlerts(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]alert.Message, error)
	FinishAlert(ctx context.Context, id int64, sent bool, retry time.Time, lastError string) error
	// What the periodic alert scan reads, across every production:
	// each performer's latest rider while unsigned (of a performer still
	// in the cast), and the requests due by before that are neither done
	// nor refused.
	UnsignedRiders(ctx context.Context) ([]RiderDue, error)
	OpenRequestsDue(ctx context.Context, before time.Time) ([]production.Request, error)
}

// ProofAAD binds a sealed proof file to the user whose record it proves.
func ProofAAD(userID int64) []byte {
	return []byte(audit.Object("proof:user", userID))
}

// BoundariesAAD is the additional data that binds a performer's sealed
// boundaries to their record: seal.Seal(key, plain, BoundariesAAD(id)).
func BoundariesAAD(performerID int64) []byte {
	return []byte(audit.Object("boundaries:performer", performerID))
}

// RiderAAD binds a rider's sealed content to the production and the
// performer it was issued to.
func RiderAAD(productionID, performerID int64) []byte {
	return []byte(audit.Object("rider:production", productionID) + ":" + audit.Object("performer", performerID))
}

// DebriefAAD binds a performer's sealed debrief notes to the scene and
// the performer they were written for.
func DebriefAAD(sceneID, performerID int64) []byte {
	return []byte(audit.Object("debrief:scene", sceneID) + ":" + audit.Object("performer", performerID))
}

// WithdrawalAAD binds a sealed withdrawal reason to the scene and
// performer it was given for.
func WithdrawalAAD(sceneID, performerID int64) []byte {
	return []byte(audit.Object("withdrawal:scene", sceneID) + ":" + audit.Object("performer", performerID))
}

// SceneRecords are the records readiness reads of one scene, as the
// single reads give them (CallTime, Plan, ScenePerformers, RidersOf,
// Consents, SceneSafeguards, SceneRequests, ClosedSet, Pauses,
// Boundaries), read together: a readiness request is the server's most
// frequent, and its records are all of one moment.
type SceneRecords struct {
	// Lineage is the scene and the scenes it was carried from, newest
	// first.
	Lineage    []int64
	CallTime   *time.Time                   // nil when none is set
	Plan       *consent.PlanVersion         // nil when none is written
	Cast       []production.Performer       // as ScenePerformers
	Riders     []consent.Rider              // the cast's, by performer then oldest first
	Consents   []consent.Consent            // as Consents
	Safeguards consent.Safeguards           // as SceneSafeguards
	Requests   []production.Request         // as SceneRequests
	ClosedSet  *production.ClosedSetVersion // nil when none is written
	Pauses     []shoot.Pause                // as Pauses
	// Boundaries are the cast's latest boundaries, sealed, by performer;
	// a performer with none recorded is missing.
	Boundaries map[int64]SealedBoundaries
}

// ProductionRecords are the records readiness reads of a production,
// as the single reads give them (Production, PolicyOf, ICOfRecord and
// the IC of record's User, ICProfile, SignOffs and WorkedDays), read
// together.
type ProductionRecords struct {
	Production production.Production
	Policy     []byte       // the policy the production set; nil when none
	Lead       *LeadRecords // nil when no IC of record is named
}

// LeadRecords are the production's IC of record and their record.
type LeadRecords struct {
	User       auth.User
	Profile    []byte // the latest IC profile; nil when they keep none
	SignOffs   []credentials.SignOff
	WorkedDays []production.Date
}

// SealedBoundaries is one version of a performer's boundaries, sealed.
type SealedBoundaries struct {
	Sealed  []byte
	Version int
}
