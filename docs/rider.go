package docs

import (
	"errors"
	"fmt"
	"time"
)

// Rider is one performer's rider: the written consent, attached to their
// contract, for the intimate scenes they are in. Every field is shown on the
// document and is part of its [Digest].
type Rider struct {
	ID         string // the rider's id, as the web layer names it
	Version    int    // 1 for the first rider issued to this performer, then 2, ...
	Production string // production title
	Policy     string // policy pack name, e.g. "SAG-AFTRA"
	Performer  Performer
	// IssuedAt is the issue (delivery) time, in the production's time zone:
	// the document shows it in IssuedAt's own location.
	IssuedAt time.Time
	Scenes   []RiderScene
	// Salt is random bytes (hex) set at issue when a scene has lines
	// beyond the performer's boundaries, and part of the digest then: a
	// reader of a withheld copy, who sees the digest and the plan, cannot
	// test guesses of the withheld lines against it.
	Salt string

	// issued is the digest of the document as issued, set on a copy whose
	// private lines are withheld (see [Rider.WithholdPrivate]): what is
	// shown then is less than what was signed, and the digest still names
	// what was signed.
	issued string
}

// Performer names the performer a rider is for.
type Performer struct {
	Name           string
	Characters     []string
	Representative string // agent or union representative, name and contact; may be empty
}

// ScriptPages are the script pages of a scene and the revision they come from.
type ScriptPages struct {
	First, Last  string    // page numbers as printed ("34", "34A"); Last may be empty or equal First
	Colour       string    // revision colour: white, blue, pink, ...
	RevisionDate time.Time // date of that revision; zero if unknown
}

// ShownArea is one intimate body area that may be seen, and from which angles.
type ShownArea struct {
	Area   string   // "breasts/chest", "buttocks", "genitals/pubic area", ...
	Angles []string // "front", "rear", "side"
}

// Nudity is what of the performer's body may be seen in a scene.
type Nudity struct {
	Level string // none, implied, partial or full
	Areas []ShownArea
}

// RiderScene is the agreement for one scene.
type RiderScene struct {
	Number      string // scene number as in the script, "42A"
	Heading     string // slugline
	Pages       ScriptPages
	PlanVersion string // the intimacy plan version this consent binds to (its number and hash)
	// Description is the agreed intimacy in clinical words.
	Description string
	// FinalPicture is how it will appear in the final picture.
	FinalPicture string
	Nudity       Nudity
	Acts         []string // simulated acts, in plain clinical language
	Contact      []string // type of physical contact
	Footage      []string // limits on use of footage, e.g. "not in trailers"
	Stills       []string // limits on stills
	BodyDouble   string   // body double terms; empty means none agreed
	// DigitalDouble is the digital double or replica terms; empty means none.
	// A digital replica needs its own, separate consent: see [Rights].
	DigitalDouble string
	Garments      []string
	Barriers      []string
	Conditions    []string // other conditions
	// Beyond are the lines of the plan that go beyond the boundaries the
	// performer had recorded when the rider was issued, in plain words
	// ("contact: hands: breasts — beyond the recorded boundary: no touch
	// on breasts"): shown plainly to the performer who signs. They say
	// what the boundaries are, so only the performer and the ICs read
	// them; a copy for anyone else withholds them.
	Beyond []string
	// Changed says what changed for the performer since the rider they
	// signed for this scene before: lines added to or taken from their
	// part of the plan, and the script's changed words. Empty on a first
	// rider, or when nothing they signed changed.
	Changed []string

	withheld bool // Beyond was withheld from this copy
}

// Withheld reports whether this copy of the scene withholds lines beyond
// the performer's boundaries.
func (s RiderScene) Withheld() bool { return s.withheld }

// WithholdPrivate returns the rider as someone without need to know may
// read it (invariant 5): each scene's lines beyond the performer's
// boundaries are left out, and the scene says that some were. Its
// [Digest] is still the issued document's, so the signature certificate
// it carries stays true to what the performer signed.
func (r Rider) WithholdPrivate() Rider {
	out := r
	out.issued = Digest(r)
	out.Salt = ""
	out.Scenes = make([]RiderScene, len(r.Scenes))
	for i, s := range r.Scenes {
		if len(s.Beyond) > 0 {
			s.Beyond, s.withheld = nil, true
		}
		out.Scenes[i] = s
	}
	return out
}

// Signature is the record of a performer signing a rider in the app.
type Signature struct {
	TypedName      string    // the full name the performer typed
	UserID         int64     // the signed-in user who signed
	UserEmail      string    // that user's email
	SignedAt       time.Time // shown in its own location (the production's time zone)
	IP             string
	UserAgent      string
	DocumentDigest string // the rider's Digest at signing
	Agreed         bool   // the performer ticked that they agree to sign electronically
}

// Errors a signed document is refused with.
var (
	ErrDigestMismatch = errors.New("signature does not match this rider: its document digest differs")
	ErrNotAgreed      = errors.New("signature lacks the agreement to sign electronically")
	ErrNoTypedName    = errors.New("signature has no typed name")
)

// Validate reports what a rider lacks to be a document worth issuing.
func (r Rider) Validate() error {
	switch {
	case r.ID == "":
		return errors.New("rider: no id")
	case r.Production == "":
		return errors.New("rider: no production title")
	case r.Performer.Name == "":
		return errors.New("rider: no performer name")
	case r.IssuedAt.IsZero():
		return errors.New("rider: no issue time")
	case len(r.Scenes) == 0:
		return errors.New("rider: no scenes")
	}
	for i, s := range r.Scenes {
		if s.Number == "" {
			return fmt.Errorf("rider: scene %d has no number", i+1)
		}
	}
	return nil
}

// check refuses a signature that does not belong to r.
func (s Signature) check(r Rider) error {
	switch {
	case s.DocumentDigest != Digest(r):
		return ErrDigestMismatch
	case !s.Agreed:
		return ErrNotAgreed
	case s.TypedName == "":
		return ErrNoTypedName
	case s.SignedAt.IsZero():
		return errors.New("signature has no signing time")
	}
	return nil
}

// rights is the standing statement of the performer's rights printed on every
// rider. Its wording is part of the digest: what was signed is what was read.
var rights = []string{
	"You may withdraw your consent to any scene in this rider at any time before that scene is filmed, even after you have signed it. You do not have to give a reason, and you may not be penalised for withdrawing.",
	"If you withdraw, footage already filmed with your consent may still be used within the limits written here, and a body or digital double may be used only within the terms this rider allows.",
	"This rider says what may happen in each scene, not what must happen. You are never obliged to do all that it describes, and anything beyond it needs your new consent and a new rider, delivered with the notice your production's policy requires.",
	"You may have your representative or union review this rider and negotiate its terms with the production before you sign. No one may pressure you to sign.",
	"A digital replica of you, or digitally altered nudity, needs your separate, specific and informed consent. Signing this rider does not give it.",
	"Minimum protections in your contract and union agreement still apply; nothing in this rider waives them.",
}

// Rights returns the statement of the performer's rights that every rider
// carries, one paragraph per element.
func Rights() []string { return append([]string(nil), rights...) }
