package production

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/internal/strictjson"
	"closedset/textfield"
)

// ClosedSet is a scene's closed-set list (DOMAIN.md step 7): the people
// with a business purpose on set and at the monitors, by name and role;
// the monitors allowed and where; no personal recording devices; whether
// stills are allowed; the robe person. It is the body of PUT
// /api/v1/scenes/{id}/closed-set. Which people are essential is not
// defined by contract, so the list is per scene and approved by an IC and
// an AD; any change makes a new version, which needs both approvals again.
type ClosedSet struct {
	People   []ClosedSetPerson `json:"people"`
	Monitors []Monitor         `json:"monitors"`
	// NoPersonalDevices is always true: personal recording devices are
	// never allowed on a closed set [contract: SAG-AFTRA 2020]. The field
	// is written out so the notice on the door says it; a body that sets
	// it false is refused.
	NoPersonalDevices *bool `json:"no_personal_devices,omitempty"`
	// Stills allows a stills photographer; only with every performer's
	// consent in the scene's plan (consent.CheckStills).
	Stills     bool   `json:"stills"`
	RobePerson string `json:"robe_person"`
}

// ClosedSetPerson is one person allowed on the closed set.
type ClosedSetPerson struct {
	Name  string `json:"name"`
	Role  string `json:"role"`  // their job on the day: "director", "1st AC"
	Where string `json:"where"` // set or monitor
}

// Monitor is one monitor allowed, by where it stands.
type Monitor struct {
	Where string `json:"where"`
}

// Where a person of the closed set is.
const (
	WhereSet     = "set"
	WhereMonitor = "monitor"
)

// Limits of a closed-set list.
const (
	MaxClosedSetBytes    = 64 << 10
	MaxClosedSetPeople   = 100
	MaxClosedSetMonitors = 20
	MaxWhereText         = 200 // where a monitor stands
)

// RuleNoPersonalDevices names the refusal of a list that allows personal
// recording devices.
const RuleNoPersonalDevices = "no_personal_devices"

// DecodeClosedSet reads a closed-set body strictly (strictjson: at most
// MaxClosedSetBytes, no unknown, repeated or upper-case fields). It does
// not validate: see Normalize.
func DecodeClosedSet(r io.Reader) (ClosedSet, error) {
	var cs ClosedSet
	err := strictjson.Decode(r, MaxClosedSetBytes, &cs)
	var se *strictjson.Error
	if errors.As(err, &se) {
		return ClosedSet{}, closedset.FieldErrorf(closedset.Invalid, "closed_set", "%s", se.Msg)
	}
	return cs, err
}

// Normalize checks the list and returns it as it is kept: texts trimmed,
// no_personal_devices set (true), and each error naming its field
// ("people[2].where"). A list that allows personal devices is a
// RuleViolation.
func (cs ClosedSet) Normalize() (ClosedSet, error) {
	if cs.NoPersonalDevices != nil && !*cs.NoPersonalDevices {
		return ClosedSet{}, &closedset.Error{Kind: closedset.RuleViolation, Rule: RuleNoPersonalDevices, Field: "no_personal_devices",
			Msg: "personal recording devices are never allowed on a closed set"}
	}
	yes := true
	out := ClosedSet{NoPersonalDevices: &yes, Stills: cs.Stills, People: []ClosedSetPerson{}, Monitors: []Monitor{}}
	if len(cs.People) == 0 {
		return ClosedSet{}, closedset.FieldErrorf(closedset.Invalid, "people", "name at least one person allowed on the set")
	}
	if len(cs.People) > MaxClosedSetPeople {
		return ClosedSet{}, closedset.FieldErrorf(closedset.Invalid, "people", "%d people, at most %d", len(cs.People), MaxClosedSetPeople)
	}
	for i, p := range cs.People {
		f := fmt.Sprintf("people[%d]", i)
		var err error
		if p.Name, err = textfield.Line(f+".name", p.Name, textfield.MaxName, true); err != nil {
			return ClosedSet{}, err
		}
		if p.Role, err = textfield.Line(f+".role", p.Role, textfield.MaxName, true); err != nil {
			return ClosedSet{}, err
		}
		if p.Where != WhereSet && p.Where != WhereMonitor {
			return ClosedSet{}, closedset.FieldErrorf(closedset.Invalid, f+".where", "%q is not set or monitor", p.Where)
		}
		out.People = append(out.People, p)
	}
	if len(cs.Monitors) > MaxClosedSetMonitors {
		return ClosedSet{}, closedset.FieldErrorf(closedset.Invalid, "monitors", "%d monitors, at most %d", len(cs.Monitors), MaxClosedSetMonitors)
	}
	for i, m := range cs.Monitors {
		w, err := textfield.Line(fmt.Sprintf("monitors[%d].where", i), m.Where, MaxWhereText, true)
		if err != nil {
			return ClosedSet{}, err
		}
		out.Monitors = append(out.Monitors, Monitor{Where: w})
	}
	var err error
	if out.RobePerson, err = textfield.Line("robe_person", cs.RobePerson, textfield.MaxName, true); err != nil {
		return ClosedSet{}, err
	}
	return out, nil
}

// closedSetTag starts the bytes a list's hash covers.
const closedSetTag = "closedset-closed-set-v1"

// Canonical is the normalized list's JSON, as the store keeps it; two
// lists with the same content have the same bytes.
func (cs ClosedSet) Canonical() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cs); err != nil {
		// Strings, booleans and slices of them always encode.
		panic("production: a closed-set list does not encode: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Hash is the list's identity: SHA-256 of the tag and Canonical. Putting
// the same list again makes no new version.
func (cs ClosedSet) Hash() string {
	h := sha256.New()
	h.Write([]byte(closedSetTag + "\n"))
	h.Write(cs.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// OnSet and AtMonitor are the people of the list where they stand.
func (cs ClosedSet) OnSet() []ClosedSetPerson     { return cs.where(WhereSet) }
func (cs ClosedSet) AtMonitor() []ClosedSetPerson { return cs.where(WhereMonitor) }

func (cs ClosedSet) where(w string) []ClosedSetPerson {
	var out []ClosedSetPerson
	for _, p := range cs.People {
		if p.Where == w {
			out = append(out, p)
		}
	}
	return out
}

// ClosedSetVersion is one version of a scene's list with its approvals.
type ClosedSetVersion struct {
	SceneID   int64
	Version   int
	Hash      string
	List      ClosedSet
	By        int64
	At        time.Time
	Approvals []ClosedSetApproval
}

// ClosedSetApproval is an IC's or an AD's approval of one version.
type ClosedSetApproval struct {
	Version int
	Role    auth.Role // ic or ad: in which capacity
	By      int64
	ByName  string
	At      time.Time
}

// ApproverRoles are the roles whose approval a list needs, each once.
var ApproverRoles = []auth.Role{auth.IC, auth.AD}

// ApprovedBy reports whether the version has an approval in role r.
func (v ClosedSetVersion) ApprovedBy(r auth.Role) bool {
	for _, a := range v.Approvals {
		if a.Role == r && a.Version == v.Version {
			return true
		}
	}
	return false
}

// Approved reports whether an IC and an AD both approved this version.
func (v ClosedSetVersion) Approved() bool {
	for _, r := range ApproverRoles {
		if !v.ApprovedBy(r) {
			return false
		}
	}
	return true
}

// Missing are the approver roles still to approve the version.
func (v ClosedSetVersion) Missing() []auth.Role {
	var out []auth.Role
	for _, r := range ApproverRoles {
		if !v.ApprovedBy(r) {
			out = append(out, r)
		}
	}
	return out
}
