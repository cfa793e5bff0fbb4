package docs

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

var funcs = template.FuncMap{
	"orNone":       orNone,
	"pagesText":    pagesText,
	"whenText":     whenText,
	"nudityText":   nudityText,
	"areaLines":    areaLines,
	"sceneTitle":   sceneTitle,
	"yesNo":        yesNo,
	"people":       peopleLines,
	"beyondNote":   func() string { return beyondNote },
	"withheldNote": func() string { return withheldNote },
}

var (
	riderTmpl   = template.Must(template.New("rider.html").Funcs(funcs).ParseFS(templateFS, "templates/rider.html", "templates/style.html"))
	summaryTmpl = template.Must(template.New("summary.html").Funcs(funcs).ParseFS(templateFS, "templates/summary.html", "templates/style.html"))
	// closedSetTmpl is the closed-set notice for the door.
	closedSetTmpl = template.Must(template.New("closedset.html").Funcs(funcs).ParseFS(templateFS, "templates/closedset.html", "templates/style.html"))
	// credentialsTmpl is the IC's credentials sheet.
	credentialsTmpl = template.Must(template.New("credentials.html").Funcs(funcs).ParseFS(templateFS, "templates/credentials.html", "templates/style.html"))
	dayReportTmpl   = template.Must(template.New("dayreport.html").Funcs(funcs).ParseFS(templateFS, "templates/dayreport.html", "templates/style.html"))
)

type riderPage struct {
	Title       string
	R           Rider
	Header      [][2]string
	Rights      []string
	Digest      string
	Signature   *Signature
	Statement   string
	Certificate [][2]string
}

// RenderRiderHTML writes the rider as one self-contained, printable HTML
// document: styles inline, no scripts or outside assets, every value escaped.
func RenderRiderHTML(w io.Writer, r Rider) error {
	return renderRiderHTML(w, r, nil)
}

// RenderSignedRiderHTML writes the rider with its signature certificate, on
// the same terms as [RenderSignedRiderPDF].
func RenderSignedRiderHTML(w io.Writer, r Rider, s Signature) error {
	if err := s.check(r); err != nil {
		return err
	}
	return renderRiderHTML(w, r, &s)
}

func renderRiderHTML(w io.Writer, r Rider, s *Signature) error {
	if err := r.Validate(); err != nil {
		return err
	}
	d := Digest(r)
	page := riderPage{Title: riderTitle(r), R: r, Header: riderHeader(r, d), Rights: rights, Digest: d}
	if s != nil {
		page.Signature = s
		page.Statement = certificateStatement(r, *s)
		page.Certificate = certificateFields(r, *s)
	}
	return execute(w, riderTmpl, page)
}

// RenderSummaryHTML writes the top-line summary as one self-contained,
// printable HTML document.
func RenderSummaryHTML(w io.Writer, s Summary) error {
	if err := s.Validate(); err != nil {
		return err
	}
	page := struct {
		Title string
		S     Summary
	}{summaryTitle(s), s}
	return execute(w, summaryTmpl, page)
}

// execute renders into a buffer first, so a failed template writes nothing.
func execute(w io.Writer, t *template.Template, data any) error {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("render %s: %w", t.Name(), err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func summaryTitle(s Summary) string { return "Top-line summary — " + s.Production }

func peopleLines(ps []SummaryPerson) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strings.TrimSpace(p.Name + " " + characters(p.Characters))
		if p.Bystander {
			out[i] += " (present, not in the intimate action)"
		}
	}
	return out
}
