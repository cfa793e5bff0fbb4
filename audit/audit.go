// Package audit is closedset's tamper-evident record: an append-only log of
// events in which every event's hash covers the previous event's hash, so
// that changing, removing or reordering a recorded event breaks the chain
// from that event on.
//
// An event says who did what, when, to which object, and carries a digest of
// the change, never the change itself: the log may be read and verified by
// people who must not see performer-private data. Corrections are new
// events; nothing here edits an event.
//
// The invariant: for every event e with Seq n > 1,
//
//	e.PrevHash == (event n-1).Hash  and  e.Hash == ComputeHash(e)
//
// and the first event's PrevHash is Genesis. The package is pure: time,
// actors and changes are inputs, and it holds no storage.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"closedset/textfield"
)

// Genesis is the PrevHash of the first event: 32 zero bytes in hex.
var Genesis = strings.Repeat("0", 2*sha256.Size)

// Limits on an event's text fields, so that an event always fits a database
// row and a log line. Next enforces them; Verify does not, so that a later
// change of limits never breaks an older chain.
const (
	MaxActorName = 256
	MaxAction    = 64
	MaxObject    = 128
)

// Event is one entry of the audit chain.
type Event struct {
	// Seq is the event's position in the chain, 1-based and contiguous.
	Seq int64
	// At is when the event was recorded, in UTC, truncated to microseconds
	// so that it survives SQLite and PostgreSQL round trips unchanged. Only
	// the instant is recorded: a store may return it in another location.
	At time.Time
	// Actor is who did it.
	Actor Actor
	// Action is what was done, e.g. "production.create" or "flag.confirm".
	Action string
	// Object is what it was done to, as "kind:id", e.g. "production:7".
	Object string
	// Digest is the SHA-256 (lowercase hex) of the change's canonical JSON
	// (see Digest), or one the caller computed (see NextDigest).
	Digest string
	// PrevHash is the previous event's Hash, or Genesis for the first.
	PrevHash string
	// Hash is ComputeHash of this event: lowercase hex SHA-256.
	Hash string
	// Rows are the records outside the chain the event wrote, with their
	// contents' hashes (see Row); none for most events.
	Rows []Row `json:",omitempty"`
}

// Actor is who caused an event.
type Actor struct {
	// ID is the user's id; 0 is the system itself (migrations, jobs).
	ID int64
	// Name is how the user was known when the event was recorded (an email
	// or display name), kept so that the log reads without the users table.
	Name string
}

// System is the actor of events no user caused.
var System = Actor{ID: 0, Name: "system"}

// Object names an object as Event.Object expects: kind ":" id.
func Object(kind string, id int64) string {
	return fmt.Sprintf("%s:%d", kind, id)
}

// Next builds the event that follows prev (nil for the first event of a
// chain), recording that actor did action to object at the given time, with
// a digest of change (see Digest). It fails when the change does not encode
// as JSON or a field is out of bounds; it never reads a clock.
func Next(prev *Event, at time.Time, actor Actor, action, object string, change any) (Event, error) {
	d, err := Digest(change)
	if err != nil {
		return Event{}, err
	}
	return NextDigest(prev, at, actor, action, object, d)
}

// NextDigest is Next with a digest computed by the caller, for changes whose
// plain digest could be guessed (see Digest).
func NextDigest(prev *Event, at time.Time, actor Actor, action, object, digest string) (Event, error) {
	return NextRows(prev, at, actor, action, object, digest, nil)
}

// NextRows is NextDigest for an event that also commits to the rows it
// wrote (see Row).
func NextRows(prev *Event, at time.Time, actor Actor, action, object, digest string, rows []Row) (Event, error) {
	if err := checkFields(actor, action, object); err != nil {
		return Event{}, err
	}
	for _, r := range rows {
		if err := checkRow(r); err != nil {
			return Event{}, err
		}
	}
	if !isHash(digest) {
		return Event{}, fmt.Errorf("audit: digest %q is not a lowercase hex SHA-256", digest)
	}
	if at.IsZero() {
		return Event{}, fmt.Errorf("audit: event time is missing")
	}
	e := Event{
		Seq:      1,
		At:       at.UTC().Truncate(time.Microsecond),
		Actor:    actor,
		Action:   action,
		Object:   object,
		Digest:   digest,
		PrevHash: Genesis,
		Rows:     rows,
	}
	if prev != nil {
		if !isHash(prev.Hash) {
			return Event{}, fmt.Errorf("audit: previous event %d has no valid hash", prev.Seq)
		}
		e.Seq = prev.Seq + 1
		e.PrevHash = prev.Hash
	}
	e.Hash = ComputeHash(e)
	return e, nil
}

func checkFields(actor Actor, action, object string) error {
	if actor.ID < 0 {
		return fmt.Errorf("audit: actor id %d is negative", actor.ID)
	}
	if err := checkText("actor name", actor.Name, MaxActorName); err != nil {
		return err
	}
	if action == "" || len(action) > MaxAction || strings.Trim(action, "abcdefghijklmnopqrstuvwxyz0123456789_.") != "" {
		return fmt.Errorf("audit: action %q must be 1 to %d of a-z, 0-9, '_' and '.'", action, MaxAction)
	}
	kind, id, ok := strings.Cut(object, ":")
	if !ok || kind == "" || id == "" || len(object) > MaxObject {
		return fmt.Errorf("audit: object %q must be kind:id, at most %d bytes", object, MaxObject)
	}
	return checkText("object", object, MaxObject)
}

// checkText keeps control characters and broken UTF-8 out of the log, where
// they could fake line breaks in a printed report; it is the one text
// check (textfield), counting characters, on the text as given.
func checkText(what, s string, max int) error {
	t, err := textfield.Line(what, s, max, false)
	if err != nil {
		// %v: the text was the caller's to check; refused here, it is a
		// failure of the machine, not of the input (no closedset kind).
		return fmt.Errorf("audit: %v", err)
	}
	if t != s {
		// The log keeps s as given: a trailing line break would be kept.
		return fmt.Errorf("audit: %s has blanks or a control character at either end", what)
	}
	return nil
}

// isHash reports whether s is a SHA-256 in lowercase hex: the only spelling
// accepted, so that one hash has one spelling and a re-spelled hash is not a
// silent change.
func isHash(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func mustDecode(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != sha256.Size {
		panic("audit: invalid hash " + h) // callers check isHash first
	}
	return b
}
