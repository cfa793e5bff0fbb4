package docs

import (
	"io"
	"strconv"
	"time"

	"closedset"
)

// CredentialsSheet is what an IC sends a producer before being hired: the
// training areas on their record, their Mental Health First Aid,
// background check and certification with its expiry, and nothing else:
// never a proof file, which stays sealed with the IC.
type CredentialsSheet struct {
	Name          string
	Email         string
	State         string // trainee, certified, review due, lapsed: on PreparedOn
	Certification string // "IPA, issued 2025-03-01, expires 2027-02-28", or ""
	ReviewDue     string
	MHFA          string // "completed 2025-01-01, expires 2028-01-01", or ""
	Background    string // "2025-02-01 (national)", or ""
	Areas         []SheetArea
	SetDays       int // in the past ten years
	PreparedAt    time.Time
}

// SheetArea is one training area of the sheet.
type SheetArea struct {
	Name     string
	Provider string // "" when not on the record
	On       string
}

// Validate checks what the sheet must say.
func (s CredentialsSheet) Validate() error {
	if s.Name == "" || s.State == "" {
		return closedset.Errorf(closedset.Invalid, "a credentials sheet names its IC and their state")
	}
	return nil
}

func sheetTitle(s CredentialsSheet) string { return "Credentials — " + s.Name }

// sheetNote is the sheet's footer: what it holds and what it does not.
const sheetNote = "Prepared by the IC from their record in closedset. Proof files are not included; the IC shares them with a production on request."

// RenderCredentialsHTML writes the sheet as one self-contained, printable
// HTML document.
func RenderCredentialsHTML(w io.Writer, s CredentialsSheet) error {
	if err := s.Validate(); err != nil {
		return err
	}
	page := struct {
		Title string
		S     CredentialsSheet
		Note  string
	}{sheetTitle(s), s, sheetNote}
	return execute(w, credentialsTmpl, page)
}

// RenderCredentialsPDF writes the sheet as a PDF on the given paper.
func RenderCredentialsPDF(w io.Writer, s CredentialsSheet, size PageSize) error {
	if err := s.Validate(); err != nil {
		return err
	}
	p, err := newPDF(size, sheetTitle(s), "Credentials · "+s.Name, s.PreparedAt)
	if err != nil {
		return err
	}
	p.f.SetAuthor(sanitize(s.Name, false), true)
	p.f.SetSubject("An intimacy coordinator's credentials", true)
	p.title(sheetTitle(s))
	p.field("Email", s.Email)
	p.field("State", s.State)
	p.field("Certification", orNone(s.Certification))
	if s.ReviewDue != "" {
		p.field("Review due", s.ReviewDue)
	}
	p.field("Mental Health First Aid", orNone(s.MHFA))
	p.field("Background check", orNone(s.Background))
	p.field("Set days, past 10 years", strconv.Itoa(s.SetDays))
	p.field("Prepared", whenText(s.PreparedAt))
	p.heading("Training areas")
	for _, a := range s.Areas {
		v := "not on record"
		if a.Provider != "" {
			v = a.Provider + ", " + a.On
		}
		p.field(a.Name, v)
	}
	p.f.Ln(3)
	p.text("I", smallSize, 0, sheetNote)
	return p.output(w)
}
