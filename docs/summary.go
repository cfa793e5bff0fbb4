package docs

import (
	"errors"
	"fmt"
	"time"
)

// Summary is the top-line summary of a production's intimate scenes for
// departments and ADs: what happens, who, what each department prepares, and
// whether the set is closed.
//
// It structurally cannot carry private data: neither Summary nor SummaryScene
// nor SummaryPerson has a field for a performer's boundaries, their reasons,
// private notes, or why anyone withdrew or asked for an IC. Whatever the web
// layer holds, only these fields reach the page. Keep it that way: a test
// fails when a field with such a name is added.
type Summary struct {
	Production string
	Policy     string
	// PreparedAt is when the summary was made, in the production's time zone.
	PreparedAt time.Time
	Scenes     []SummaryScene
}

// SummaryScene is what departments and ADs need to know of one scene.
type SummaryScene struct {
	Number      string
	Heading     string
	Pages       ScriptPages
	WhatHappens string // clinical, non-private description of the action
	People      []SummaryPerson
	// Department requests: modesty garments and barriers, body makeup,
	// coverage and monitor plan, overlapping physical action.
	Costume   []string
	Props     []string
	HMU       []string // hair and makeup
	Camera    []string
	Stunts    []string
	ClosedSet bool
	CallTime  time.Time // zero when not scheduled yet
}

// SummaryPerson is a performer in a scene, by name and character only.
type SummaryPerson struct {
	Name       string
	Characters []string
	// Bystander: present in the scene but not in its intimate action (the
	// plan does not name them): no rider, no consent, on the closed set.
	Bystander bool
}

// Validate reports what a summary lacks to be worth handing out.
func (s Summary) Validate() error {
	switch {
	case s.Production == "":
		return errors.New("summary: no production title")
	case s.PreparedAt.IsZero():
		return errors.New("summary: no preparation time")
	}
	for i, sc := range s.Scenes {
		if sc.Number == "" {
			return fmt.Errorf("summary: scene %d has no number", i+1)
		}
	}
	return nil
}
