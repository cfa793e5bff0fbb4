// Package store keeps closedset's records: users and their sessions and
// tokens, productions and their members, scripts with every revision and
// its scenes and flags, and the audit chain.
//
// Its invariant: every write happens in one transaction together with the
// audit event that records it, so there is never a change without its event
// and never an event without its change; and a write that returned nil has
// been made durable (synchronous commit) before the caller acknowledges it.
//
// One SQL implementation serves both backends (store/sqlite, store/postgres);
// a backend supplies only what truly differs, as a Dialect value.
// store/storetest holds the conformance suite every backend passes.
package store

import (
	"context"
	"io"
	"iter"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/production"
)

// Store is everything the web app and the CLI read and write. Write methods
// take the Actor who makes the change: it goes into the change's audit
// event, appended in the same transaction.
//
// Errors carry a kind (see Kind and KindOf): NotFound for a missing record,
// Conflict for a duplicate (an email already taken), Invalid for a value the
// store refuses (an unknown role). Other errors are failures of the backend.
type Store interface {
	// Users.
	CreateUser(ctx context.Context, by audit.Actor, u auth.NewUser) (auth.User, error)
	User(ctx context.Context, id int64) (auth.User, error)
	UserByEmail(ctx context.Context, email string) (auth.User, error)
	SetPassword(ctx context.Context, by audit.Actor, userID int64, hash string) error
	CountUsers(ctx context.Context) (int, error)

	// Sessions are the web app's sign-ins, kept as the hash of their id.
	// SessionUser returns the user of an unexpired session, NotFound
	// otherwise.
	CreateSession(ctx context.Context, s auth.Session) error
	SessionUser(ctx context.Context, hash []byte, now time.Time) (auth.User, auth.Session, error)
	DeleteSession(ctx context.Context, hash []byte) error

	// API tokens, kept as the hash of the plaintext (auth.NewToken).
	// TokenUser returns the user a token belongs to, NotFound otherwise.
	CreateToken(ctx context.Context, by audit.Actor, t auth.TokenRecord) (auth.Token, error)
	TokenUser(ctx context.Context, hash []byte) (auth.User, error)

	// Productions. CreateProduction makes the creator its first member as
	// producer, in the same transaction.
	CreateProduction(ctx context.Context, by audit.Actor, p production.NewProduction) (production.Production, error)
	Production(ctx context.Context, id int64) (production.Production, error)
	// ProductionsOf lists the productions the user is a member of, newest
	// first, each with the user's roles in it.
	ProductionsOf(ctx context.Context, userID int64) ([]production.Membership, error)

	// Members. A member holds one or more roles; AddMember adds a role to
	// the set (adding a role already held is not an error and records no
	// event). RemoveMember removes one role, or every role when role is "".
	AddMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) (production.Member, error)
	RemoveMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) error
	Members(ctx context.Context, productionID int64) ([]production.Member, error)
	// Roles is the user's roles in the production: zero for a stranger.
	// It is on the path of every request, so it is one indexed query.
	Roles(ctx context.Context, productionID, userID int64) (auth.Roles, error)

	// Scripts and revisions. AddRevision stores a parsed and broken-down
	// revision: a new script when r.ScriptID is 0, else the next revision
	// of that script. The original file is kept byte for byte.
	AddRevision(ctx context.Context, by audit.Actor, r production.NewRevision) (production.Revision, error)
	Scripts(ctx context.Context, productionID int64) ([]production.Script, error)
	Revision(ctx context.Context, id int64) (production.Revision, error)
	RevisionFile(ctx context.Context, id int64) ([]byte, error)

	// Scenes. Each scene carries its flags and each flag its latest review.
	Scenes(ctx context.Context, revisionID int64) ([]production.Scene, error)
	// CurrentScenes is the scenes of the latest revision of every script of
	// the production, by script then scene order.
	CurrentScenes(ctx context.Context, productionID int64) ([]production.Scene, error)
	Scene(ctx context.Context, id int64) (production.Scene, error)

	// Flag reviews: an IC confirms or dismisses a detected flag. Reviews
	// are appended, never edited; the latest is the flag's state.
	Flag(ctx context.Context, id int64) (production.Flag, error)
	ReviewFlag(ctx context.Context, by audit.Actor, flagID int64, decision production.Decision, note string) (production.Flag, error)

	// The consent ledger: performers, boundaries, call times, plans,
	// riders, signatures, consents and withdrawals (ledger.go).
	Ledger

	// Tx runs fn in one write transaction, so that one user action that
	// writes several records (a performer and their membership, a revision
	// and the plans carried to it) is stored whole or not at all, each
	// write with its audit event. fn reads and writes only through tx,
	// and sees its own writes; the transaction commits when fn returns nil.
	// Backup and Restore are refused inside it.
	Tx(ctx context.Context, fn func(tx Store) error) error

	// Audit: the whole chain in order, for audit.Verify.
	AuditEvents(ctx context.Context) iter.Seq2[audit.Event, error]
	// Head is the seq of the chain's last event (0 when empty). Every write
	// appends an event, so a moved head means "something changed", seen by
	// every server sharing the database; live page updates poll it.
	Head(ctx context.Context) (seq int64, err error)

	// Backup writes a consistent copy of the whole store to w while the
	// store keeps serving.
	Backup(ctx context.Context, w io.Writer) error
	// Restore loads a backup into this store, which must be empty (no
	// users): it refuses otherwise and writes nothing. The backup's audit
	// chain is verified before anything is written.
	Restore(ctx context.Context, r io.Reader) error

	Close() error
}
