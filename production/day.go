package production

import (
	"slices"
	"time"

	"closedset"
)

// Day is a shoot day of a production: its date, in the production's time
// zone, and the scenes shot on it, in the AD's order. A scene's call time
// is its own (the schedule); the day lists which scenes the day holds.
// Editing the scenes appends a new version of the list; the latest holds.
type Day struct {
	ID           int64
	ProductionID int64
	Date         Date
	SceneIDs     []int64
	// Version is the number of the scene list's version (1 when made).
	Version int
	By      int64
	At      time.Time
}

// MaxDayScenes bounds the scenes of one day: a long day shoots a few
// dozen.
const MaxDayScenes = 200

// CheckDayScenes checks a day's scene list: ids, at most MaxDayScenes,
// none twice. It returns the list as given.
func CheckDayScenes(ids []int64) ([]int64, error) {
	if len(ids) > MaxDayScenes {
		return nil, closedset.FieldErrorf(closedset.Invalid, "scene_ids", "%d scenes, at most %d a day", len(ids), MaxDayScenes)
	}
	for i, id := range ids {
		if id <= 0 {
			return nil, closedset.FieldErrorf(closedset.Invalid, "scene_ids", "%d is not a scene id", id)
		}
		if slices.Contains(ids[:i], id) {
			return nil, closedset.FieldErrorf(closedset.Invalid, "scene_ids", "scene %d is listed twice", id)
		}
	}
	if ids == nil {
		ids = []int64{}
	}
	return ids, nil
}
