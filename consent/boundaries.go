package consent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The body areas boundaries and plans may name: a closed vocabulary, so a
// rider, a boundary and a plan can be compared word for word. Intimate
// areas are those a rider must name when shown (DOMAIN.md, step 4).
var bodyAreas = []struct {
	name     string
	intimate bool
}{
	{"breasts", true}, {"chest", false}, {"nipples", true}, {"buttocks", true},
	{"genitals", true}, {"pubic_area", true}, {"groin", true}, {"inner_thighs", true},
	{"back", false}, {"lower_back", false}, {"stomach", false}, {"torso", false},
	{"hips", false}, {"waist", false}, {"thighs", false}, {"legs", false},
	{"knees", false}, {"feet", false}, {"neck", false}, {"lips", false},
	{"mouth", false}, {"face", false}, {"ears", false}, {"hair", false},
	{"hands", false}, {"arms", false}, {"shoulders", false}, {"whole_body", true},
}

// BodyAreas lists the body area vocabulary.
func BodyAreas() []string {
	out := make([]string, len(bodyAreas))
	for i, a := range bodyAreas {
		out[i] = a.name
	}
	return out
}

// IsBodyArea reports whether s is in the body area vocabulary.
func IsBodyArea(s string) bool {
	for _, a := range bodyAreas {
		if a.name == s {
			return true
		}
	}
	return false
}

// Angles are the camera angles an exposure is agreed for.
var angles = []string{"front", "rear", "side"}

// Angles lists the angle vocabulary.
func Angles() []string { return slices.Clone(angles) }

// Who may touch, besides a named performer ("performer:7").
const (
	ByScenePartner = "scene partner"
	ByNobody       = "nobody"
	byPerformer    = "performer:"
)

// ByPerformer is the TouchRule.By naming one performer.
func ByPerformer(id int64) string { return byPerformer + strconv.FormatInt(id, 10) }

// Boundaries is a performer's agreement of touch and exposure, recorded
// privately with the IC: readable only by that performer and the
// production's ICs, and sealed (encrypted) before it reaches the store.
// The sealing layer handles it as bytes: see MarshalBoundaries and
// UnmarshalBoundaries. Nothing in it ever reaches a readiness blocker, a
// summary or a log.
type Boundaries struct {
	// Touch says which areas may (or may not) be touched, and by whom.
	Touch []TouchRule `json:"touch"`
	// NoTouch are areas nobody may touch.
	NoTouch []string `json:"no_touch"`
	// Exposure says which areas may be seen, from which angles.
	Exposure []ExposureRule `json:"exposure"`
	// Garments the performer needs (modesty garments, robes).
	Garments []string `json:"garments"`
	// Notes are free notes from the private conversation.
	Notes string `json:"notes"`
}

// TouchRule is one line of the agreement of touch.
type TouchRule struct {
	Area string `json:"area"`
	// By is who: ByScenePartner, ByNobody or ByPerformer(id).
	By      string `json:"by"`
	Allowed bool   `json:"allowed"`
}

// ExposureRule is whether an area may be seen, and from which angles.
type ExposureRule struct {
	Area    string   `json:"area"`
	Angles  []string `json:"angles"` // front, rear, side; empty means all
	Allowed bool     `json:"allowed"`
}

// Limits on boundaries.
const (
	MaxBoundariesBytes = 64 << 10
	MaxTouchRules      = 100
	MaxExposureRules   = 60
	MaxGarments        = 30
	MaxItemLen         = 200
	MaxNotes           = 16000
)

// Validate checks the boundaries: areas and angles from their
// vocabularies, who-may-touch well formed, sizes bounded, and no area both
// allowed and refused.
func (b Boundaries) Validate() error {
	if len(b.Touch) > MaxTouchRules {
		return invalid("touch", "%d rules, at most %d", len(b.Touch), MaxTouchRules)
	}
	rule := map[string]bool{} // area + by -> allowed
	for i, t := range b.Touch {
		f := fmt.Sprintf("touch[%d]", i)
		if !IsBodyArea(t.Area) {
			return invalid(f+".area", "unknown body area %q", t.Area)
		}
		if err := checkBy(f+".by", t.By); err != nil {
			return err
		}
		if t.By == ByNobody && t.Allowed {
			return invalid(f, "touch by nobody cannot be allowed")
		}
		k := t.Area + "\x00" + t.By
		if prev, ok := rule[k]; ok && prev != t.Allowed {
			return invalid(f, "%s by %s is both allowed and not", t.Area, t.By)
		}
		rule[k] = t.Allowed
	}
	if len(b.NoTouch) > len(bodyAreas) {
		return invalid("no_touch", "%d areas, at most %d", len(b.NoTouch), len(bodyAreas))
	}
	for i, a := range b.NoTouch {
		if !IsBodyArea(a) {
			return invalid(fmt.Sprintf("no_touch[%d]", i), "unknown body area %q", a)
		}
		for _, t := range b.Touch {
			if t.Area == a && t.Allowed {
				return invalid(fmt.Sprintf("no_touch[%d]", i), "%s is also allowed in touch", a)
			}
		}
	}
	if len(b.Exposure) > MaxExposureRules {
		return invalid("exposure", "%d rules, at most %d", len(b.Exposure), MaxExposureRules)
	}
	for i, e := range b.Exposure {
		f := fmt.Sprintf("exposure[%d]", i)
		if !IsBodyArea(e.Area) {
			return invalid(f+".area", "unknown body area %q", e.Area)
		}
		if err := checkAngles(f+".angles", e.Angles); err != nil {
			return err
		}
	}
	if err := checkList("garments", b.Garments, MaxGarments, MaxItemLen); err != nil {
		return err
	}
	return checkText("notes", b.Notes, MaxNotes, false, false)
}

func checkBy(field, by string) error {
	switch {
	case by == ByScenePartner || by == ByNobody:
		return nil
	case strings.HasPrefix(by, byPerformer):
		if id, err := strconv.ParseInt(by[len(byPerformer):], 10, 64); err == nil && id > 0 && ByPerformer(id) == by {
			return nil
		}
	}
	return invalid(field, "%q is not %q, %q or \"performer:ID\"", by, ByScenePartner, ByNobody)
}

func checkAngles(field string, as []string) error {
	if len(as) > len(angles) {
		return invalid(field, "%d angles, at most %d", len(as), len(angles))
	}
	for i, a := range as {
		if !slices.Contains(angles, a) {
			return invalid(fmt.Sprintf("%s[%d]", field, i), "unknown angle %q (want front, rear or side)", a)
		}
	}
	return nil
}

// MarshalBoundaries validates b and encodes it as JSON, the bytes the
// sealing layer encrypts.
func MarshalBoundaries(b Boundaries) ([]byte, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("consent: encode boundaries: %w", err)
	}
	return out, nil
}

// UnmarshalBoundaries decodes boundaries strictly (at most
// MaxBoundariesBytes, one JSON object, no unknown or repeated fields) and
// validates them.
func UnmarshalBoundaries(data []byte) (Boundaries, error) {
	return DecodeBoundaries(bytes.NewReader(data))
}

// DecodeBoundaries is UnmarshalBoundaries reading a request body.
func DecodeBoundaries(r io.Reader) (Boundaries, error) {
	var b Boundaries
	if err := decodeStrict(r, MaxBoundariesBytes, "boundaries", &b); err != nil {
		return Boundaries{}, err
	}
	if err := b.Validate(); err != nil {
		return Boundaries{}, err
	}
	return b, nil
}
