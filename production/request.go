package production

import (
	"fmt"
	"strings"
	"time"

	"closedset"
	"closedset/auth"
	"closedset/textfield"
)

// A department request is what the IC asks of one department for one
// scene (DOMAIN.md step 5): modesty garments by performer and size,
// barriers, body makeup, heating, coverage and the monitor plan,
// closed-set signage. Its department is a production role
// (auth.Departments): the members holding it are that department's head.
// Its state is a history of changes, appended and never edited; the
// latest change is the request's state.

// RequestState is where a request stands.
type RequestState string

// The states of a request. Every request begins open; a department moves
// it to in progress, done (with a note of what was done) or can't do
// (with why).
const (
	RequestOpen       RequestState = "open"
	RequestInProgress RequestState = "in_progress"
	RequestDone       RequestState = "done"
	RequestCantDo     RequestState = "cant_do"
)

// Limits of a request's texts, in characters.
const (
	MaxRequestText = 2000
	MaxRequestNote = textfield.MaxNote
)

// ParseRequestState reads a state a department may set: in_progress,
// done or cant_do. Open is where a request begins, never a change.
func ParseRequestState(s string) (RequestState, error) {
	switch st := RequestState(strings.TrimSpace(s)); st {
	case RequestInProgress, RequestDone, RequestCantDo:
		return st, nil
	}
	return "", closedset.FieldErrorf(closedset.Invalid, "state", "%q is not in_progress, done or cant_do", s)
}

// Label is the state as pages print it.
func (s RequestState) Label() string {
	switch s {
	case RequestInProgress:
		return "in progress"
	case RequestCantDo:
		return "can't do"
	}
	return string(s)
}

// NewRequest is a request to raise.
type NewRequest struct {
	SceneID    int64
	Department auth.Role
	Text       string
	Due        time.Time
	// PerformerID is the performer the request is for (a garment by
	// their size), 0 when it is for the scene.
	PerformerID int64
}

// Request is a raised request with its latest state.
type Request struct {
	ID           int64
	ProductionID int64
	SceneID      int64
	Department   auth.Role
	Text         string
	Due          time.Time
	PerformerID  int64
	By           int64
	At           time.Time
	// State, Note, StateBy and StateAt are the latest change's; an open
	// request's are its raising's (empty note).
	State   RequestState
	Note    string
	StateBy int64
	StateAt time.Time
}

// RequestChange is one change of a request's state, as the history keeps
// it.
type RequestChange struct {
	ID        int64
	RequestID int64
	State     RequestState
	Note      string
	By        int64
	At        time.Time
}

// Validate checks a new request against the scene's call time (nil when
// none is set): a known department, a text, a due time, and the due time
// before the call, since what is due after it is of no use on the day.
func (nr NewRequest) Validate(callTime *time.Time) (NewRequest, error) {
	if !nr.Department.Department() {
		return nr, closedset.FieldErrorf(closedset.Invalid, "department", "unknown department %q (want one of %s)", nr.Department, auth.RolesOf(auth.Departments()...))
	}
	text, err := textfield.Para("text", nr.Text, MaxRequestText, true)
	if err != nil {
		return nr, err
	}
	nr.Text = text
	if nr.Due.IsZero() || nr.Due.Year() < 1970 || nr.Due.Year() > 9999 {
		return nr, closedset.FieldErrorf(closedset.Invalid, "due", "a due time between 1970 and 9999 is needed")
	}
	if callTime != nil && !nr.Due.Before(*callTime) {
		return nr, closedset.FieldErrorf(closedset.Invalid, "due", "must be before the scene's call time, %s", callTime.Format("2006-01-02 15:04 MST"))
	}
	if nr.PerformerID < 0 {
		return nr, closedset.FieldErrorf(closedset.Invalid, "performer_id", "%d is not a performer", nr.PerformerID)
	}
	return nr, nil
}

// CheckChange says whether a request in state from may be moved to to with
// note, and returns the note trimmed: done needs a note of what was done,
// can't do a note of why; a change to the state it is in is a Conflict
// (nothing would change). A department may reopen its own answer: done
// back to in progress when a garment does not fit, can't do to done when
// a supplier is found.
func CheckChange(from, to RequestState, note string) (string, error) {
	if _, err := ParseRequestState(string(to)); err != nil {
		return "", err
	}
	note, err := textfield.Para("note", note, MaxRequestNote, false)
	if err != nil {
		return "", err
	}
	switch {
	case from == to:
		return "", closedset.Errorf(closedset.Conflict, "the request is already %s", to.Label())
	case to == RequestDone && note == "":
		return "", closedset.FieldErrorf(closedset.Invalid, "note", "say what was done (\"two nude thongs, size S, fitted\")")
	case to == RequestCantDo && note == "":
		return "", closedset.FieldErrorf(closedset.Invalid, "note", "say why it can't be done, so the IC can find another way")
	}
	return note, nil
}

// Describe names a request without its text, for a readiness blocker or
// a log line: its department and number.
func (r Request) Describe() string {
	return fmt.Sprintf("%s request %d", r.Department, r.ID)
}
