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
	}}}
	for _, sc := range r.Scenes {
		s := daySection{Title: sceneTitle(sc.Number, sc.Heading)}
		closed := "not closed"
		if sc.ClosedAt != nil {
			closed = d.at(*sc.ClosedAt)
		}
		s.Fields = [][2]string{
			{"Check-ins", countsText(sc.CheckIns)},
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
