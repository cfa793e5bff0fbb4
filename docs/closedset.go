package docs

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// ClosedSetNotice is a scene's closed-set list as it goes on the door of
// the set: who may be on set and at the monitors, the monitors allowed,
// the rules (no personal recording devices; stills or not), the robe
// person, and who approved this version. Like the top-line summary it has
// no field for anything private: names and jobs of the crew, nothing of
// the performers' boundaries or reasons.
type ClosedSetNotice struct {
	Production string
	Number     string
	Heading    string
	CallTime   time.Time // zero when not scheduled
	Version    int
	OnSet      []NoticePerson
	AtMonitors []NoticePerson
	Monitors   []string // where each monitor allowed stands
	Stills     bool
	RobePerson string
	// Approved: an IC and an AD both approved this version. A notice not
	// approved prints as a draft, so it cannot pass for the real one.
	Approved  bool
	Approvals []NoticeApproval
	// PreparedAt is when the notice was printed, in the production's zone.
	PreparedAt time.Time
}

// NoticePerson is one person allowed, by name and job.
type NoticePerson struct {
	Name string
	Role string
}

// NoticeApproval is who approved the version, in which capacity, when.
type NoticeApproval struct {
	Role string // "Intimacy coordinator", "Assistant director"
	Name string
	At   time.Time
}

// Validate reports what a notice lacks to be worth printing.
func (n ClosedSetNotice) Validate() error {
	switch {
	case n.Production == "":
		return errors.New("closed-set notice: no production title")
	case n.Number == "":
		return errors.New("closed-set notice: no scene number")
	case n.Version < 1:
		return fmt.Errorf("closed-set notice: version %d", n.Version)
	case n.PreparedAt.IsZero():
		return errors.New("closed-set notice: no preparation time")
	}
	return nil
}

// The notice's fixed words, the same in HTML and PDF.
const (
	noticeRule       = "CLOSED SET. Only the people listed here, on set and at the monitors. No personal recording devices: phones and cameras stay outside."
	noticeDraft      = "DRAFT: this version is not approved by both an intimacy coordinator and an assistant director. It is not the closed-set list until it is."
	noticeStillsNo   = "No stills."
	noticeStillsYes  = "Stills allowed: every performer consented to stills in the intimacy plan, within its limits."
	noticeNoDevices  = "No personal recording devices."
	noticeNoneListed = "nobody listed"
)

func noticeTitle(n ClosedSetNotice) string {
	return "Closed set — " + sceneTitle(n.Number, n.Heading)
}

func noticeStills(n ClosedSetNotice) string {
	if n.Stills {
		return noticeStillsYes
	}
	return noticeStillsNo
}

func noticePeople(ps []NoticePerson) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name + " — " + p.Role
	}
	return out
}

func noticeApprovals(as []NoticeApproval) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Role + ": " + a.Name + ", " + whenText(a.At)
	}
	return out
}

// RenderClosedSetHTML writes the notice as one self-contained, printable
// HTML document.
func RenderClosedSetHTML(w io.Writer, n ClosedSetNotice) error {
	if err := n.Validate(); err != nil {
		return err
	}
	page := struct {
		Title, Rule, Draft, Stills, NoDevices string
		N                                     ClosedSetNotice
		OnSet, AtMonitors, Approvals          []string
	}{noticeTitle(n), noticeRule, noticeDraft, noticeStills(n), noticeNoDevices, n,
		noticePeople(n.OnSet), noticePeople(n.AtMonitors), noticeApprovals(n.Approvals)}
	return execute(w, closedSetTmpl, page)
}

// RenderClosedSetPDF writes the notice as a PDF on the given paper.
func RenderClosedSetPDF(w io.Writer, n ClosedSetNotice, size PageSize) error {
	if err := n.Validate(); err != nil {
		return err
	}
	p, err := newPDF(size, noticeTitle(n), "Closed-set notice · "+n.Production+" · version "+fmt.Sprint(n.Version), n.PreparedAt)
	if err != nil {
		return err
	}
	p.f.SetAuthor(sanitize(n.Production, false), true)
	p.f.SetSubject("Closed-set notice for the door of the set", true)
	p.title(noticeTitle(n))
	if !n.Approved {
		p.text("B", bodySize, 0, noticeDraft)
	}
	p.text("B", bodySize, 0, noticeRule)
	p.field("Production", n.Production)
	p.field("Call time", whenText(n.CallTime))
	p.field("List version", fmt.Sprint(n.Version))
	p.list("On set", orNoneList(noticePeople(n.OnSet)))
	p.list("At the monitors", orNoneList(noticePeople(n.AtMonitors)))
	p.list("Monitors allowed", orNoneList(n.Monitors))
	p.field("Devices", noticeNoDevices)
	p.field("Stills", noticeStills(n))
	p.field("Robe person", n.RobePerson)
	p.list("Approved by", orNoneList(noticeApprovals(n.Approvals)))
	p.field("Printed", whenText(n.PreparedAt))
	return p.output(w)
}

func orNoneList(items []string) []string {
	if len(items) == 0 {
		return []string{noticeNoneListed}
	}
	return items
}
