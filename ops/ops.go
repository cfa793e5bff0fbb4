// Package ops holds closedset's operations: one function per user action
// (create a production, add a member, upload a script or a revision,
// review a flag, add a performer, record boundaries, put a plan, schedule,
// issue a rider, sign, withdraw, re-confirm, name safeguards, ...). The web
// handlers, the JSON API, the command line (the first start's demo) and the
// tests call the same functions; web only decodes, calls and encodes.
//
// Its invariants: every operation checks its permission through auth.Can
// for the Caller; an operation that writes runs in one store transaction
// (Store.Tx) with the audit event of each record it writes, so it is stored
// whole or not at all; and performer-private data (boundaries, withdrawal
// reasons) is sealed here before it reaches the store and opened here only
// for the callers the permission table lets read it, never put in an error
// message or a log.
//
// ops defines the Store it needs; store.SQL implements it. ops imports no
// storage or HTTP code.
package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"closedset"
	"closedset/audit"
	"closedset/auth"
	"closedset/credentials"
	"closedset/production"
	"closedset/seal"
	"closedset/textfield"
)

// Config is everything Ops needs, built by cmd.
type Config struct {
	Store  Store
	Logger *slog.Logger // nil: discard
	// SealKey seals performer-private data before it reaches the store.
	// Required; kept outside the database (seal.KeyFile) and never logged.
	SealKey   seal.Key
	Now       func() time.Time // nil: time.Now
	MaxUpload int64            // a script file's size limit; 0: DefaultMaxUpload
	// ReadDraft reads an uploaded script file. cmd sets it to a reader in
	// a child process with hard limits (sandbox.Reader), since a hostile
	// file can end the process that reads it; nil reads in this process
	// (production.ReadDraft), as tests and trusted files do.
	ReadDraft func(ctx context.Context, name string, data []byte) (*production.Draft, error)
	// MaxReads is how many script files are read at once, in all; 0:
	// the number of CPUs, at least 2. One user has at most
	// MaxReadsPerUser of them.
	MaxReads int
	// Alerts (issue 17). Mailer sends e-mail (nil: no --smtp, no e-mail);
	// Pusher sends Web Push with the server's VAPID keys, whose public
	// half browsers subscribe with (nil: no push). PublicURL is the
	// address people open closedset at, for the links in alerts and
	// invitations (https://closedset.example); "" makes them paths.
	Mailer         Mailer
	Pusher         Pusher
	VAPIDPublicKey string
	PublicURL      string
}

// DefaultMaxUpload is the script upload limit when Config.MaxUpload is 0:
// the screenplay reader's own bound.
const DefaultMaxUpload = 25 << 20

// Ops runs the operations over one Store. Reads that need no rule pass
// through to the store (the embedded Reader); everything that changes a
// record is a method of Ops. It is safe for concurrent use.
type Ops struct {
	Reader
	store     Store
	sealKey   seal.Key
	log       *slog.Logger
	now       func() time.Time
	maxUpload int64
	readDraft func(ctx context.Context, name string, data []byte) (*production.Draft, error)
	reads     *readSlots
	areas     credentials.Areas
	pathway   credentials.Pathway

	mailer      Mailer
	pusher      Pusher
	vapidPublic string
	publicURL   string
}

// ErrNoSealKey is New's error for a Config without a seal key.
var ErrNoSealKey = errors.New("no seal key: performer-private data cannot be kept")

// New returns the operations over cfg.Store.
func New(cfg Config) (*Ops, error) {
	if cfg.Store == nil {
		return nil, errors.New("ops: no store")
	}
	if cfg.SealKey == (seal.Key{}) {
		return nil, ErrNoSealKey
	}
	o := &Ops{Reader: cfg.Store, store: cfg.Store, sealKey: cfg.SealKey, log: cfg.Logger, now: cfg.Now, maxUpload: cfg.MaxUpload, readDraft: cfg.ReadDraft,
		mailer: cfg.Mailer, pusher: cfg.Pusher, vapidPublic: cfg.VAPIDPublicKey, publicURL: cfg.PublicURL}
	if cfg.MaxReads <= 0 {
		cfg.MaxReads = max(2, runtime.NumCPU())
	}
	o.reads = newReadSlots(cfg.MaxReads)
	o.areas, o.pathway = credentials.DefaultAreas(), credentials.DefaultPathway()
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.readDraft == nil {
		o.readDraft = o.readDraftHere
	}
	if o.maxUpload <= 0 {
		o.maxUpload = DefaultMaxUpload
	}
	return o, nil
}

// in is o working inside the transaction tx: every read and write of it
// goes through tx, and sees tx's own writes.
func (o *Ops) in(tx Store) *Ops {
	b := *o
	b.Reader, b.store = tx, tx
	return &b
}

// MaxUpload is the script file size limit in force.
func (o *Ops) MaxUpload() int64 { return o.maxUpload }

// Now is the operations' clock.
func (o *Ops) Now() time.Time { return o.now() }

// Caller is who performs an operation: a signed-in user and, when the
// operation concerns a production, that production and the user's roles
// in it.
type Caller struct {
	User         auth.User
	ProductionID int64      // 0: the operation concerns no production
	Roles        auth.Roles // in ProductionID; 0 for a stranger
}

// Principal is the caller as the permission table sees them.
func (c Caller) Principal() auth.Principal {
	return auth.Principal{Admin: c.User.Admin, Trainer: c.User.Trainer, Roles: c.Roles}
}

// Actor is the caller as the audit chain names them.
func (c Caller) Actor() audit.Actor { return c.User.Actor() }

// Can reports whether the caller may do a (own: on their own record).
func (c Caller) Can(a auth.Action, own bool) bool { return auth.Can(c.Principal(), a, own) }

// Owns reports whether the performer record is the caller's own: the own
// argument of auth.Can for the actions on a performer's records.
func (c Caller) Owns(p production.Performer) bool {
	return p.UserID != 0 && p.UserID == c.User.ID
}

// check refuses an operation the permission table does not grant: a
// stranger to the production is told nothing exists (not_found), a member
// without the right is forbidden.
func (c Caller) check(a auth.Action, own bool) error {
	if c.Can(a, own) {
		return nil
	}
	if c.ProductionID != 0 && c.Roles == 0 {
		return closedset.Errorf(closedset.NotFound, "no production %d", c.ProductionID)
	}
	return closedset.Errorf(closedset.Forbidden, "your roles do not allow %s", a)
}

// invalidText makes a textfield error an Invalid one, keeping the field
// a *closedset.Error names.
func invalidText(s string, err error) (string, error) {
	if closedset.Is(err, closedset.Invalid) {
		return "", err
	}
	if err != nil {
		return "", closedset.Errorf(closedset.Invalid, "%s", err)
	}
	return s, nil
}

// cleanText checks a required one-line text field.
func cleanText(field, s string, max int) (string, error) {
	return invalidText(textfield.Line(field, s, max, true))
}

// wrap adds context to a failure of the machine, leaving errors a person
// can act on as they are.
func wrap(err error, format string, args ...any) error {
	if err == nil || closedset.KindOf(err) != "" {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
