// Package demo holds the sample production a new installation starts with:
// an original short screenplay, "Harbour Lights", in two revisions (white,
// then blue) so that the breakdown, flag review and the intimacy diff all
// have something to show on the first sign-in.
//
// Its invariant: the scripts are embedded in the binary and their
// breakdown is pinned by a test, so the demo cannot silently stop showing
// what it was written to show.
package demo

import _ "embed"

// Title, Policy and TimeZone describe the demo production.
const (
	Title    = "Harbour Lights (demo)"
	Policy   = "sag_aftra"
	TimeZone = "Europe/London"
)

// Draft is one revision of the demo script as a file.
type Draft struct {
	Filename string
	Data     []byte
}

var (
	//go:embed harbour-lights.fountain
	white []byte
	//go:embed harbour-lights-blue.fountain
	blue []byte
)

// Drafts returns the demo script's revisions in upload order: the white
// draft, then the blue revision (one flagged scene's action changed, one
// intimate scene added, one flagged scene omitted).
func Drafts() []Draft {
	return []Draft{
		{Filename: "harbour-lights.fountain", Data: white},
		{Filename: "harbour-lights-blue.fountain", Data: blue},
	}
}

// CastMember is a performer of the demo, with no account: the IC adds
// accounts later, as on a real production.
type CastMember struct {
	Name, DateOfBirth string
	Characters        []string
}

// Cast is the demo's performers. Finn and Jory are played by minors, so
// the consent grid shows the minors' rules at work.
func Cast() []CastMember {
	return []CastMember{
		{"Ellen Hart", "1986-04-12", []string{"MARA"}},
		{"Daniel Osei", "1983-09-30", []string{"TOMAS"}},
		{"Kit Morgan", "2011-02-03", []string{"FINN"}},
		{"Sam Tregear", "2010-07-21", []string{"JORY"}},
	}
}

// PlannedScene is the scene of the blue revision the demo plans: the kiss
// on the quay, so that the grid has a plan, a call time and performers
// waiting for a rider.
const PlannedScene = "7"
