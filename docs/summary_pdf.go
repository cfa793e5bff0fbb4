package docs

import "io"

// RenderSummaryPDF writes the top-line summary as a PDF on the given paper,
// "page N of M" in every footer; its dates are the summary's PreparedAt.
func RenderSummaryPDF(w io.Writer, s Summary, size PageSize) error {
	if err := s.Validate(); err != nil {
		return err
	}
	p, err := newPDF(size, summaryTitle(s), "Top-line summary · "+s.Production, s.PreparedAt)
	if err != nil {
		return err
	}
	p.f.SetAuthor(sanitize(s.Production, false), true)
	p.f.SetSubject("Top-line summary for departments and ADs", true)
	p.title(summaryTitle(s))
	p.field("Policy", s.Policy)
	p.field("Prepared", whenText(s.PreparedAt))
	p.text("I", smallSize, 0, "For departments and ADs. This summary holds no performer's private boundaries or reasons.")
	if len(s.Scenes) == 0 {
		p.f.Ln(3)
		p.text("", bodySize, 0, "No intimate scenes.")
	}
	for _, sc := range s.Scenes {
		p.heading(sceneTitle(sc.Number, sc.Heading))
		p.field("Script pages", pagesText(sc.Pages))
		p.field("Closed set", yesNo(sc.ClosedSet))
		p.field("Call time", whenText(sc.CallTime))
		p.field("What happens", sc.WhatHappens)
		p.list("Who", peopleLines(sc.People))
		p.list("Costume", sc.Costume)
		p.list("Props", sc.Props)
		p.list("Hair and makeup", sc.HMU)
		p.list("Camera", sc.Camera)
		p.list("Stunts", sc.Stunts)
	}
	return p.output(w)
}
