package consent

import "time"

// Consent is a performer's consent to one scene, given by signing a rider
// (or re-confirming a reduced plan on the rider already signed) and bound
// to the plan version and scene text of that moment. It carries no reason
// for a withdrawal: a reason, when the performer gives one, is private and
// stored apart.
type Consent struct {
	ID            int64
	PerformerID   int64
	SceneID       int64 // the scene it was given on (an earlier draft's, through lineage)
	RiderID       int64 // the rider signed (or re-confirmed)
	Kind          ConsentKind
	PlanHash      string // Plan.Hash of the version consented to
	SceneTextHash string // production.TextHash of the scene's text then
	By            int64  // the user who gave it: the performer
	GivenAt       time.Time
	// Withdrawal is the performer's (or an IC's on their word) taking it
	// back; nil while it stands.
	Withdrawal *Withdrawal
}

// State is what a consent is worth now.
type State string

// The consent states. Only Current counts as consent.
const (
	None      State = "none"      // no consent given
	Current   State = "current"   // given for the current plan and scene text
	Stale     State = "stale"     // the plan or the scene's text changed since
	Withdrawn State = "withdrawn" // withdrawn; wins over everything
)

// StateOf is the state of a consent against the scene's current plan hash
// and text hash. A nil consent is None; a withdrawn one is Withdrawn
// whatever the hashes; otherwise it is Current only when both hashes are
// exactly those it was given for (and not empty), else Stale.
func StateOf(c *Consent, currentPlanHash, currentSceneTextHash string) State {
	switch {
	case c == nil:
		return None
	case c.Withdrawal != nil:
		return Withdrawn
	case c.PlanHash == "" || c.SceneTextHash == "" || c.PlanHash != currentPlanHash || c.SceneTextHash != currentSceneTextHash:
		return Stale
	}
	return Current
}

// StaleReason says why a consent is stale, in words that reveal nothing
// private: "plan changed", "scene text changed" or both; "" when it is
// not stale.
func StaleReason(c *Consent, currentPlanHash, currentSceneTextHash string) string {
	if StateOf(c, currentPlanHash, currentSceneTextHash) != Stale {
		return ""
	}
	plan, text := c.PlanHash != currentPlanHash || c.PlanHash == "", c.SceneTextHash != currentSceneTextHash || c.SceneTextHash == ""
	switch {
	case plan && text:
		return "plan and scene text changed since signing"
	case plan:
		return "plan changed since signing"
	}
	return "scene text changed since signing"
}

// Latest picks, among a performer's consents to one scene, the one that
// decides their state: a withdrawal voids every consent given at or before
// it, so the result is the newest consent, reported withdrawn when any
// withdrawal is at or after the moment it was given. Nil when there are
// none for that performer and scene.
func Latest(consents []Consent, performerID, sceneID int64) *Consent {
	var latest *Consent
	var lastWithdrawal *Withdrawal
	for i := range consents {
		c := &consents[i]
		if c.PerformerID != performerID || c.SceneID != sceneID {
			continue
		}
		if latest == nil || c.GivenAt.After(latest.GivenAt) || (c.GivenAt.Equal(latest.GivenAt) && c.ID > latest.ID) {
			latest = c
		}
		if w := c.Withdrawal; w != nil && (lastWithdrawal == nil || w.At.After(lastWithdrawal.At)) {
			lastWithdrawal = w
		}
	}
	if latest == nil {
		return nil
	}
	out := *latest
	if out.Withdrawal == nil && lastWithdrawal != nil && !lastWithdrawal.At.Before(out.GivenAt) {
		w := *lastWithdrawal
		out.Withdrawal = &w
	}
	return &out
}
