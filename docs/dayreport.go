package docs

import (
	"fmt"
	"io"
	"time"

	"closedset/shoot"
)

// EndOfDay is a shoot day's end-of-day report as a document: the report
// (shoot.DayReport, which has no field for anything private), the
// production's time zone for its times, and its sign-off once signed.
type EndOfDay struct {
	Report   shoot.DayReport
	TimeZone *time.Location // nil: UTC
	Signoff  *Signoff       // nil: not signed off yet
}

// Signoff is who signed a version of the report off, and when.
type Signoff struct {
	Version int
	By      string
	At      time.Time
	Hash    string
}

// daySection is one part of the report, the same for HTML and PDF.
type daySection struct {
	Title  string
	Fields [][2]string
	Lists  []dayList
}

type dayList struct {
	Label string
	Items []string
}

func (d EndOfDay) title() string {
	return "End-of-day report — " + d.Report.Production + " — " + d.Report.Date.String()
}

func (d EndOfDay) at(t time.Time) string {
	tz := d.TimeZone
	if tz == nil {
		tz = time.UTC
	}
	return t.In(tz).Format("15:04 MST")
}

func countsText(c shoot.Counts) string {
	return fmt.Sprintf("yes %d · pause %d · stop %d", c.Yes, c.Pause, c.Stop)
}

// sections lays the report out: the day's totals, then each scene.
func (d EndOfDay) sections() []daySection {
	r := d.Report
	t := r.Totals
	out := []daySection{{Title: "The day", Fields: [][2]string{
		{"Scenes shot", fmt.Sprint(t.Scenes)},
		{"Takes", fmt.Sprintf("%d logged, %d rolled", t.Takes, t.Rolled)},
		{"Check-ins", countsText(t.CheckIns)},
		{"Pauses", fmt.Sprintf("%d, %s in all", t.Pauses, t.PausedFor)},
		{"Deviations", fmt.Sprintf("%d, of which incidents: %d", t.Deviations, t.Incidents)},
		{"Requests delivered", requestsText(t.Requests)},
		{"Closed set", fmt.Sprintf("approved by an IC and an AD before every take in %d of %d scenes shot", t.ClosedSetCompliant, t.Scenes)},
		{"Closure", d.dayClosureText()},
	}}}
	for _, sc := range r.Scenes {
		s := daySection{Title: sceneTitle(sc.Number, sc.Heading)}
		closed := "not closed"
		switch {
		case sc.ClosedAt != nil:
			closed = d.at(*sc.ClosedAt)
		case sc.AwaitingStepOut > 0:
			closed = fmt.Sprintf("not closed: %d in the action yet to step out", sc.AwaitingStepOut)
		}
		s.Fields = [][2]string{
			{"Check-ins", countsText(sc.CheckIns)},
			{"Requests delivered", requestsText(sc.Requests)},
			{"Closed set", d.closedSetText(sc.ClosedSet)},
			{"Closure", fmt.Sprintf("%s (%d step-outs)", closed, sc.StepOuts)},
			{"Debriefs", fmt.Sprintf("%d held, follow-up offered %d", sc.Debriefs, sc.FollowUpsOffered)},
		}
		var takes, pauses, devs, crew []string
		for _, tk := range sc.Takes {
			line := fmt.Sprintf("Take %d: %s, logged %s", tk.Number, tk.State, d.at(tk.LoggedAt))
			if tk.RolledAt != nil {
				line += ", rolled " + d.at(*tk.RolledAt)
			}
			takes = append(takes, line+" — "+countsText(tk.CheckIns))
		}
		for _, p := range sc.Pauses {
			line := fmt.Sprintf("Take %d: paused %s", p.Take, d.at(p.At))
			if p.ResumedAt != nil {
				line += ", resumed " + d.at(*p.ResumedAt)
			} else {
				line += ", not resumed"
			}
			pauses = append(pauses, line+" ("+p.Length+")")
		}
		for _, dv := range sc.Deviations {
			kind := "agreed"
			if dv.Incident {
				kind = "INCIDENT: not agreed by every performer"
			}
			devs = append(devs, fmt.Sprintf("Take %d (%s): %s", dv.Take, kind, dv.Text))
		}
		for _, c := range sc.CrewDebriefs {
			crew = append(crew, fmt.Sprintf("held by %s at %s", c.HeldBy, d.at(c.HeldAt)))
		}
		s.Lists = []dayList{{"Takes", takes}, {"Pauses", pauses}, {"Deviations", devs}, {"Crew debrief", crew}}
		out = append(out, s)
	}
	return out
}

// requestsText is "costume 2/2 done · props 1/2 done", or "none".
func requestsText(cs []shoot.DepartmentCount) string {
	if len(cs) == 0 {
		return "none"
	}
	out := ""
	for i, c := range cs {
		if i > 0 {
			out += " · "
		}
		out += fmt.Sprintf("%s %d/%d done", departmentName(c.Department), c.Done, c.Total)
	}
	return out
}

// departmentName is how a department reads on paper.
func departmentName(d string) string {
	switch d {
	case "hmu":
		return "hair and makeup"
	case "ad":
		return "ADs"
	}
	return d
}

// closedSetText says whether the scene's takes were all logged under an
// approved list.
func (d EndOfDay) closedSetText(c *shoot.ClosedSetCheck) string {
	switch {
	case c == nil:
		return "not shot"
	case c.Version == 0:
		return fmt.Sprintf("NO LIST in force at the first take (%d takes without an approved list)", c.Unapproved)
	case c.Compliant:
		return fmt.Sprintf("version %d, approved by an IC and an AD at %s, before every take", c.Version, d.at(*c.ApprovedAt))
	case c.ApprovedAt == nil:
		return fmt.Sprintf("NOT APPROVED: version %d lacked an approval (%d takes without an approved list)", c.Version, c.Unapproved)
	}
	return fmt.Sprintf("NOT APPROVED before every take: version %d approved at %s (%d takes without an approved list)", c.Version, d.at(*c.ApprovedAt), c.Unapproved)
}

// dayClosureText is the day's time of closure, or what keeps it open.
func (d EndOfDay) dayClosureText() string {
	t := d.Report.Totals
	switch {
	case t.ClosedAt != nil:
		return d.at(*t.ClosedAt)
	case t.Scenes == 0:
		return "no scene shot"
	}
	return fmt.Sprintf("not closed: %d of %d scenes shot await a step-out", t.NotClosed, t.Scenes)
}

func (d EndOfDay) signoffText() string {
	if d.Signoff == nil {
		return "Not signed off yet."
	}
	return fmt.Sprintf("Version %d, signed off by %s at %s (content %s).", d.Signoff.Version, d.Signoff.By, whenText(d.Signoff.At.In(d.zone())), shortDigest(d.Signoff.Hash))
}

func (d EndOfDay) zone() *time.Location {
	if d.TimeZone == nil {
		return time.UTC
	}
	return d.TimeZone
}

// privacyNote says what the report never carries.
const privacyNote = "For the production team. It holds no performer's boundaries, private notes, debriefs or reasons, and names no one who paused or stopped."

// RenderDayReportHTML writes the end-of-day report as one self-contained,
// printable HTML document.
func RenderDayReportHTML(w io.Writer, d EndOfDay) error {
	page := struct {
		Title    string
		Sections []daySection
		Signoff  string
		Note     string
	}{d.title(), d.sections(), d.signoffText(), privacyNote}
	return execute(w, dayReportTmpl, page)
}

// RenderDayReportPDF writes the end-of-day report as a PDF on the given
// paper; its date is the sign-off's, else the day's noon in the zone.
func RenderDayReportPDF(w io.Writer, d EndOfDay, size PageSize) error {
	when := time.Date(d.Report.Date.Year, d.Report.Date.Month, d.Report.Date.Day, 12, 0, 0, 0, d.zone())
	if d.Signoff != nil {
		when = d.Signoff.At
	}
	p, err := newPDF(size, d.title(), "End-of-day report · "+d.Report.Production, when)
	if err != nil {
		return err
	}
	p.f.SetAuthor(sanitize(d.Report.Production, false), true)
	p.f.SetSubject("End-of-day report for the production team", true)
	p.title(d.title())
	p.text("I", smallSize, 0, privacyNote)
	for _, s := range d.sections() {
		p.heading(s.Title)
		for _, f := range s.Fields {
			p.field(f[0], f[1])
		}
		for _, l := range s.Lists {
			p.list(l.Label, l.Items)
		}
	}
	p.heading("Sign-off")
	p.text("", bodySize, 0, d.signoffText())
	return p.output(w)
}
