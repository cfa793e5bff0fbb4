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
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	"closedset/audit"
	"closedset/auth"
	"closedset/breakdown"
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
	CreateUser(ctx context.Context, by audit.Actor, u NewUser) (User, error)
	User(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	SetPassword(ctx context.Context, by audit.Actor, userID int64, hash string) error
	CountUsers(ctx context.Context) (int, error)

	// Sessions are the web app's sign-ins, kept as the hash of their id.
	// SessionUser returns the user of an unexpired session, NotFound
	// otherwise.
	CreateSession(ctx context.Context, s Session) error
	SessionUser(ctx context.Context, hash []byte, now time.Time) (User, Session, error)
	DeleteSession(ctx context.Context, hash []byte) error

	// API tokens, kept as the hash of the plaintext (auth.NewToken).
	// TokenUser returns the user a token belongs to, NotFound otherwise.
	CreateToken(ctx context.Context, by audit.Actor, t NewToken) (Token, error)
	TokenUser(ctx context.Context, hash []byte) (User, error)

	// Productions. CreateProduction makes the creator its first member as
	// producer, in the same transaction.
	CreateProduction(ctx context.Context, by audit.Actor, p NewProduction) (Production, error)
	Production(ctx context.Context, id int64) (Production, error)
	// ProductionsOf lists the productions the user is a member of, newest
	// first, each with the user's roles in it.
	ProductionsOf(ctx context.Context, userID int64) ([]Membership, error)

	// Members. A member holds one or more roles; AddMember adds a role to
	// the set (adding a role already held is not an error and records no
	// event). RemoveMember removes one role, or every role when role is "".
	AddMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) (Member, error)
	RemoveMember(ctx context.Context, by audit.Actor, productionID, userID int64, role auth.Role) error
	Members(ctx context.Context, productionID int64) ([]Member, error)
	// Roles is the user's roles in the production: zero for a stranger.
	// It is on the path of every request, so it is one indexed query.
	Roles(ctx context.Context, productionID, userID int64) (auth.Roles, error)

	// Scripts and revisions. AddRevision stores a parsed and broken-down
	// revision: a new script when r.ScriptID is 0, else the next revision
	// of that script. The original file is kept byte for byte.
	AddRevision(ctx context.Context, by audit.Actor, r NewRevision) (Revision, error)
	Scripts(ctx context.Context, productionID int64) ([]Script, error)
	Revision(ctx context.Context, id int64) (Revision, error)
	RevisionFile(ctx context.Context, id int64) ([]byte, error)

	// Scenes. Each scene carries its flags and each flag its latest review.
	Scenes(ctx context.Context, revisionID int64) ([]Scene, error)
	// CurrentScenes is the scenes of the latest revision of every script of
	// the production, by script then scene order.
	CurrentScenes(ctx context.Context, productionID int64) ([]Scene, error)
	Scene(ctx context.Context, id int64) (Scene, error)

	// Flag reviews: an IC confirms or dismisses a detected flag. Reviews
	// are appended, never edited; the latest is the flag's state.
	Flag(ctx context.Context, id int64) (Flag, error)
	ReviewFlag(ctx context.Context, by audit.Actor, flagID int64, decision Decision, note string) (Flag, error)

	// The consent ledger: performers, boundaries, call times, plans,
	// riders, signatures, consents and withdrawals (ledger.go).
	Ledger

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

// NewUser is a user to create. Email is compared case-insensitively and
// stored lower-cased.
type NewUser struct {
	Email        string
	Name         string
	PasswordHash string // auth.HashPassword
	Admin        bool
}

// User is a person who signs in.
type User struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
	Admin        bool
	Created      time.Time
}

// Actor is the user as the audit chain names them.
func (u User) Actor() audit.Actor { return audit.Actor{ID: u.ID, Name: u.Name} }

// Principal is the user as the permission table sees them, outside any
// production.
func (u User) Principal() auth.Principal { return auth.Principal{Admin: u.Admin} }

// Session is one sign-in of the web app.
type Session struct {
	Hash    []byte // auth.NewSessionID's hash; the plaintext lives only in the cookie
	UserID  int64
	Created time.Time
	Expires time.Time
}

// NewToken is an API token to store.
type NewToken struct {
	UserID int64
	Name   string // what the token is for, as its owner called it
	Hash   []byte // auth.NewToken's hash
}

// Token is a stored API token (never its plaintext).
type Token struct {
	ID      int64
	UserID  int64
	Name    string
	Created time.Time
}

// NewProduction is a production to create.
type NewProduction struct {
	Title    string
	Policy   string // a policy pack, one of consent.PolicyNames
	TimeZone string // IANA name, "Europe/London"
}

// Production is one film, series or game.
type Production struct {
	ID        int64
	Title     string
	Policy    string
	TimeZone  string
	CreatedBy int64
	Created   time.Time
}

// Membership is a production as one of its members sees it in a list.
type Membership struct {
	Production
	Roles auth.Roles
}

// Member is a user in a production with their roles.
type Member struct {
	ProductionID int64
	UserID       int64
	Email        string
	Name         string
	Roles        auth.Roles
	Added        time.Time
}

// NewRevision is a parsed and broken-down script file to store.
type NewRevision struct {
	ProductionID int64
	ScriptID     int64 // 0: a new script
	Title        string
	Filename     string
	Format       string // screenplay.Format
	Colour       string // revision colour ("white", "blue", ...), "" if unknown
	Date         string // the draft date as the title page gives it, "" if none
	Original     []byte // the file as uploaded
	SHA256       string // hex of Original
	Scenes       []production.DraftScene
	// Carry lists the reviews of the previous revision of the script that
	// hold for this one: the IC's decision stays with a scene whose text
	// did not change (see production.Unchanged).
	Carry []Carry
}

// DraftRevision is the revision a draft read from data makes
// (production.ReadDraft): the one mapping uploads and the demo share.
func DraftRevision(d *production.Draft, productionID, scriptID int64, filename string, data []byte) NewRevision {
	return NewRevision{
		ProductionID: productionID,
		ScriptID:     scriptID,
		Title:        d.Title,
		Filename:     filename,
		Format:       string(d.Format),
		Colour:       d.Colour,
		Date:         d.Date,
		Original:     data,
		SHA256:       d.SHA256,
		Scenes:       d.Scenes,
	}
}

// Carry is one review carried from a flag of the previous revision to the
// flag of the same category of a scene of the new one.
type Carry struct {
	Scene    int    // position in NewRevision.Scenes
	Category string // the flag's category in that scene
	From     int64  // the reviewed flag of the previous revision
}

// Script is a screenplay of a production (a film, an episode) with its
// revisions, oldest first.
type Script struct {
	ID           int64
	ProductionID int64
	Title        string
	Created      time.Time
	Revisions    []Revision
}

// Revision is one uploaded draft of a script.
type Revision struct {
	ID           int64
	ScriptID     int64
	ProductionID int64
	Seq          int // 1 for the first draft of its script, then 2, 3, ...
	Title        string
	Filename     string
	Format       string
	Colour       string
	Date         string
	SHA256       string
	Size         int64
	UploadedBy   int64
	Uploaded     time.Time
	SceneCount   int
	FlaggedCount int // scenes that need an IC
}

// Scene is one scene of one revision.
type Scene struct {
	ID           int64
	RevisionID   int64
	ScriptID     int64
	ProductionID int64
	Index        int
	Number       string
	Heading      string
	Line         int
	Page         int
	Eighths      int
	Characters   []string
	Text         string
	TextHash     string
	NeedsIC      bool
	Flags        []Flag
}

// Flag is one breakdown flag of a scene with its latest review (nil until
// an IC reviews it).
type Flag struct {
	ID      int64
	SceneID int64
	breakdown.Flag
	Review *Review
}

// Decision is an IC's ruling on a detected flag.
type Decision string

// The decisions.
const (
	Confirmed Decision = "confirmed"
	Dismissed Decision = "dismissed"
)

// ParseDecision reads a decision by name.
func ParseDecision(s string) (Decision, error) {
	switch d := Decision(s); d {
	case Confirmed, Dismissed:
		return d, nil
	}
	return "", Errorf(Invalid, "unknown decision %q (want confirmed or dismissed)", s)
}

// Review is who confirmed or dismissed a flag, and when.
type Review struct {
	Decision Decision
	Note     string
	By       int64
	ByName   string
	At       time.Time
	// CarriedFrom is the revision (its Seq) the review was made on, when
	// it was carried to this draft because the scene is unchanged; 0 when
	// it was made on this flag.
	CarriedFrom int
}

// Kind is what went wrong, for the caller to answer with (404, 409, 400).
type Kind string

// The kinds of store errors.
const (
	NotFound Kind = "not_found"
	Conflict Kind = "conflict"
	Invalid  Kind = "invalid"
)

// Error is a store error with a kind and a message a user can act on.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Errorf makes an *Error.
func Errorf(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, "" if none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}
