package report

import (
	"math"
	"strings"

	"closedset/breakdown"
	"closedset/screenplay"
)

// Estimate is a first guess at the intimacy coordinator days a script
// needs, for budgeting before a schedule exists.
type Estimate struct {
	PrepDays  float64 `json:"prep_days"`
	ShootDays int     `json:"shoot_days"`
}

// The numbers of the rule, named so EstimateRule and Estimate cannot drift.
const (
	prepBase         = 1.0  // script breakdown, director and producer meetings
	prepPerScene     = 0.25 // performer meetings, top-line summary, department requests
	prepPerRider     = 0.5  // rider with 48 h notice, garment and barrier fittings, choreography rehearsal
	prepPerMinor     = 0.25 // guardian conversations, studio teacher
	pagesPerShootDay = 3    // a feature's pace, slowed by closed-set resets
)

// EstimateRule states the rule of EstimateDays for people; closedset scan -h
// prints it.
const EstimateRule = `IC prep days = 0 when no scene is flagged; otherwise
  1 (script breakdown, director and producer meetings)
  + 1/4 per flagged scene (performer meetings, top-line summary, department requests)
  + 1/2 per scene with nudity, simulated sex or sexual violence
        (rider with 48 hours' notice, garment and barrier fittings, choreography rehearsal)
  + 1/4 per scene with a minor (guardian conversations, studio teacher)
  rounded up to the half day.
IC shoot days = 0 when no scene is flagged; otherwise the larger of
  the number of locations with flagged scenes (a location's scenes shoot
  together; the location is the heading without INT/EXT, sub-location and
  time of day: INT. NORA'S HOUSE - BEDROOM - NIGHT is NORA'S HOUSE), and
  flagged pages / 3 rounded up (closed-set resets slow a feature's pace to
  about 3 pages a day).
An estimate for budgeting before a schedule exists; the stripboard decides.`

// EstimateDays applies EstimateRule to a breakdown. It is a pure function
// of the flagged scenes.
func EstimateDays(b *breakdown.Breakdown) Estimate {
	prep := 0.0
	locations := map[string]bool{}
	eighths := 0
	for _, sc := range b.Scenes {
		if !sc.NeedsIC {
			continue
		}
		prep += prepPerScene
		if hasCategory(sc, breakdown.Nudity, breakdown.SimulatedSex, breakdown.SexualViolence) {
			prep += prepPerRider
		}
		if hasCategory(sc, breakdown.Minor) {
			prep += prepPerMinor
		}
		locations[Location(sc.Heading)] = true
		eighths += sc.Eighths
	}
	if prep == 0 {
		return Estimate{}
	}
	prep = math.Ceil((prepBase+prep)*2) / 2
	byPages := (eighths + pagesPerShootDay*8 - 1) / (pagesPerShootDay * 8)
	return Estimate{PrepDays: prep, ShootDays: max(len(locations), byPages)}
}

func hasCategory(sc breakdown.Scene, cats ...breakdown.Category) bool {
	for _, f := range sc.Flags {
		for _, c := range cats {
			if f.Category == c {
				return true
			}
		}
	}
	return false
}

// Location is the place a heading names, as a schedule groups scenes: no
// INT/EXT, no time of day, no sub-location after a dash, in upper case.
func Location(heading string) string {
	_, loc, _ := screenplay.SplitHeading(heading)
	for _, sep := range []string{" - ", " – ", " — ", " -- "} {
		if k := strings.Index(loc, sep); k > 0 {
			loc = loc[:k]
		}
	}
	return strings.ToUpper(strings.TrimSpace(loc))
}
