package production

import (
	"slices"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/breakdown"
)

// NewProduction is a production to create.
type NewProduction struct {
	Title    string
	Policy   string // a policy pack: sag_aftra, equity_uk, actra, custom
	TimeZone string // IANA name, "Europe/London"
	// Role is the creator's own role in it: auth.IC or auth.Producer
	// ("" is producer, as before roles were chosen).
	Role auth.Role
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
	// Since is when each role was given: an IC's access to the
	// performers' boundaries dates from theirs.
	Since map[auth.Role]time.Time
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
	Scenes       []DraftScene
	// Carry lists the reviews of the previous revision of the script that
	// hold for this one: the IC's decision stays with a scene whose text
	// did not change (see Unchanged).
	Carry []Carry
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
	// Characters is Present, under the name the breakdown and the API
	// have always used.
	Characters []string
	// Speaking are the characters with a line in the scene (its cues).
	Speaking []string
	// Present are the characters in the scene, speaking or not: the cast
	// of the scene is the performers who play one of them.
	Present  []string
	Text     string
	TextHash string
	NeedsIC  bool
	Flags    []Flag
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
	return "", closedset.Errorf(closedset.Invalid, "unknown decision %q (want confirmed or dismissed)", s)
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

// DraftRevision is the revision a draft read from data makes
// (ReadDraft): the one mapping uploads and the demo share.
func DraftRevision(d *Draft, productionID, scriptID int64, filename string, data []byte) NewRevision {
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

// Flagged is the scene's flag categories an IC confirmed or has not
// reviewed yet (dismissed flags left out), each once, in the flags' order.
func (sc Scene) Flagged() []string {
	var out []string
	for _, fl := range sc.Flags {
		if fl.Review != nil && fl.Review.Decision == Dismissed {
			continue
		}
		if c := string(fl.Category); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
