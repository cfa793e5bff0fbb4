package consent

import "time"

// The consent ledger's records, as the store keeps them.

// PlanVersion is one version of a scene's intimacy plan.
type PlanVersion struct {
	SceneID int64
	Version int
	Hash    string
	Content []byte
	By      int64
	At      time.Time
	// CarriedFrom is the scene of the earlier draft the plan was carried
	// from, 0 when it was written for this scene.
	CarriedFrom int64
}

// NewRider is a rider to issue.
type NewRider struct {
	ProductionID int64
	PerformerID  int64
	Scenes       []RiderScene
	Digest       string // of Content: what the performer signs
	Content      []byte // the rider's canonical content, for re-rendering
}

// Signature is a performer's electronic signature of a rider.
type Signature struct {
	UserID    int64
	TypedName string
	IP        string
	UserAgent string
	Digest    string    // the digest of the document signed
	At        time.Time // set by the store
}

// ConsentKind is how a consent was given.
type ConsentKind string

// The kinds of consent.
const (
	Signed      ConsentKind = "signed"      // by signing a rider
	Reconfirmed ConsentKind = "reconfirmed" // a reduction confirmed without a new rider
)

// Withdrawal is the end of a consent. Its reason, if any, is read apart
// (WithdrawalReason).
type Withdrawal struct {
	ID          int64
	ConsentID   int64
	SceneID     int64
	PerformerID int64
	OnBehalf    bool // an IC recorded the performer's word
	By          int64
	At          time.Time
	HasReason   bool
}

// Safeguards are the people a scene with a minor requires.
type Safeguards struct {
	SceneID       int64
	Guardians     []Guardian // one per minor performer named, by performer
	StudioTeacher string     // "" when none is named
}

// Guardian is the guardian named for a minor performer in a scene.
type Guardian struct {
	PerformerID int64
	Name        string
	By          int64
	At          time.Time
}
