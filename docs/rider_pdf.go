package docs

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RenderRiderPDF writes the rider as a PDF on the given paper, with the
// rider's id, its short digest and "page N of M" in every footer. The PDF's
// dates are the rider's issue time, so equal riders give equal bytes.
func RenderRiderPDF(w io.Writer, r Rider, size PageSize) error {
	p, err := riderPDF(r, size)
	if err != nil {
		return err
	}
	return p.output(w)
}

// RenderSignedRiderPDF writes the rider followed by a signature certificate
// page. It refuses a signature whose digest is not the rider's, or that lacks
// the agreement to sign electronically or a typed name.
func RenderSignedRiderPDF(w io.Writer, r Rider, s Signature, size PageSize) error {
	if err := s.check(r); err != nil {
		return err
	}
	p, err := riderPDF(r, size)
	if err != nil {
		return err
	}
	p.f.AddPage()
	p.title("Signature certificate")
	p.text("", bodySize, 0, certificateStatement(r, s))
	p.f.Ln(3)
	for _, kv := range certificateFields(r, s) {
		p.field(kv[0], kv[1])
	}
	return p.output(w)
}

func riderPDF(r Rider, size PageSize) (*pdfDoc, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	digest := Digest(r)
	footer := fmt.Sprintf("Rider %s v%d · digest %s", r.ID, r.Version, shortDigest(digest))
	p, err := newPDF(size, riderTitle(r), footer, r.IssuedAt)
	if err != nil {
		return nil, err
	}
	p.f.SetAuthor(sanitize(r.Production, false), true)
	p.f.SetSubject("Intimacy rider for "+sanitize(r.Performer.Name, false), true)

	p.title(riderTitle(r))
	for _, kv := range riderHeader(r, digest) {
		p.field(kv[0], kv[1])
	}

	p.heading("Your rights")
	for _, para := range rights {
		p.ensure(10)
		p.text("", bodySize, 0, para)
		p.f.Ln(1.5)
	}

	for _, s := range r.Scenes {
		p.heading(sceneTitle(s.Number, s.Heading))
		p.field("Script pages", pagesText(s.Pages))
		if s.PlanVersion != "" {
			p.field("Intimacy plan version", s.PlanVersion)
		}
		switch {
		case len(s.Beyond) > 0:
			p.list("Beyond the boundaries you recorded", s.Beyond)
			p.text("", bodySize, 0, beyondNote)
			p.f.Ln(1.5)
		case s.Withheld():
			p.field("Beyond the performer's recorded boundaries", withheldNote)
		}
		if len(s.Changed) > 0 {
			p.list("What changed since the rider you signed", s.Changed)
		}
		p.field("Agreed intimacy", s.Description)
		p.field("How it appears in the final picture", s.FinalPicture)
		p.field("Nudity", nudityText(s.Nudity))
		p.list("Body areas that may be seen, and from which angles", areaLines(s.Nudity.Areas))
		p.list("Simulated acts", s.Acts)
		p.list("Physical contact", s.Contact)
		p.list("Limits on use of footage", s.Footage)
		p.list("Limits on use of stills", s.Stills)
		p.field("Body double terms", s.BodyDouble)
		p.field("Digital double or replica terms", s.DigitalDouble)
		p.list("Garments", s.Garments)
		p.list("Barriers", s.Barriers)
		p.list("Other conditions", s.Conditions)
	}
	return p, nil
}

// The words beside a scene's lines beyond the performer's boundaries, and
// in their place on a copy that withholds them.
const (
	beyondNote   = "These lines of the plan go beyond what you recorded with the intimacy coordinator. You do not have to agree to them: talk to the intimacy coordinator before you sign."
	withheldNote = "Some lines of this scene go beyond the performer's recorded boundaries. They are shown only to the performer and the intimacy coordinators."
)

func riderTitle(r Rider) string {
	return "Intimacy rider — " + r.Production
}

func sceneTitle(number, heading string) string {
	if heading == "" {
		return "Scene " + number
	}
	return "Scene " + number + " — " + heading
}

// riderHeader is the rider's opening block as label, value pairs.
func riderHeader(r Rider, digest string) [][2]string {
	performer := r.Performer.Name
	if c := characters(r.Performer.Characters); c != "" {
		performer += " " + c
	}
	return [][2]string{
		{"Production", r.Production},
		{"Policy", r.Policy},
		{"Performer", performer},
		{"Representative", r.Performer.Representative},
		{"Issued (delivered)", whenText(r.IssuedAt)},
		{"Rider", r.ID + ", version " + strconv.Itoa(r.Version)},
		{"Document digest (SHA-256)", digest},
	}
}

func areaLines(as []ShownArea) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = areaText(a)
	}
	return out
}

func certificateStatement(r Rider, s Signature) string {
	return strings.Join([]string{
		"The signer read this rider in closedset, typed their full name and ticked that they agree to sign it electronically. The record of that signature follows.",
		"The document digest below is the SHA-256 of the rider's canonical content (rider " + r.ID + ", version " + strconv.Itoa(r.Version) + "), and binds this signature to exactly what the preceding pages say. Any change to the rider gives another digest, and needs a new signature.",
	}, "\n\n")
}

// certificateFields lists every field of the signature.
func certificateFields(r Rider, s Signature) [][2]string {
	return [][2]string{
		{"Typed name", s.TypedName},
		{"Signed in as (user id, email)", strconv.FormatInt(s.UserID, 10) + ", " + s.UserEmail},
		{"Signed at", whenText(s.SignedAt)},
		{"IP address", s.IP},
		{"User agent", s.UserAgent},
		{"Document digest (SHA-256)", s.DocumentDigest},
		{"Agreed to sign electronically", yesNo(s.Agreed)},
		{"Rider", r.ID + ", version " + strconv.Itoa(r.Version) + ", for " + r.Performer.Name},
	}
}
