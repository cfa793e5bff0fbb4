package report

import (
	_ "embed"
	"html/template"
	"io"

	"closedset/breakdown"
)

//go:embed report.html
var htmlSource string

// htmlTemplate is parsed once; html/template escapes every piece of script
// text for the context it lands in.
var htmlTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"eighths":   pagesOf,
	"pages":     eighthsOfPage,
	"label":     Label,
	"flagTitle": flagTitle,
	"cats":      categoryList,
	"highlight": highlight,
	"dash":      dashIfEmpty,
	"none":      orNone,
	"clean":     printable,
	"people":    people,
}).Parse(htmlSource))

// htmlPage is what the template sees.
type htmlPage struct {
	Title      string
	B          *breakdown.Breakdown
	Counts     []count
	Flagged    []breakdown.Scene
	Disclaimer string
}

// Cat and N let the template read a count.
func (c count) Cat() breakdown.Category { return c.cat }
func (c count) N() int                  { return c.n }

// WriteHTML writes the producer's report as one self-contained HTML file:
// inline CSS, no scripts, no external assets, readable on a phone and in
// print.
func WriteHTML(w io.Writer, b *breakdown.Breakdown) error {
	return htmlTemplate.Execute(w, htmlPage{
		Title:      printable(title(b)),
		B:          b,
		Counts:     categoryCounts(b.Summary, true),
		Flagged:    flagged(b),
		Disclaimer: Disclaimer,
	})
}
