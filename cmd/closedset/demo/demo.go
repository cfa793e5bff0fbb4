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
