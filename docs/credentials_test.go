package docs

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func sampleSheet() CredentialsSheet {
	return CredentialsSheet{Name: "Ivy Coordinator", Email: "ivy@example.org", State: "certified",
		Certification: "Intimacy Professionals Association, issued 2025-03-01, expires 2027-02-28",
		MHFA:          "MHFA England, completed 2025-01-10, expires 2028-01-09", Background: "2025-02-01 (national)",
		Areas: []SheetArea{{Name: "Consent", Provider: "IPA", On: "2025-01-05"}, {Name: "Barriers"}}, SetDays: 42,
		PreparedAt: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}
}

// TestCredentialsSheetPDFReadsBack: the PDF a producer gets names the IC,
// their certification with its expiry, MHFA and each area, and says the
// proofs are not in it.
func TestCredentialsSheetPDFReadsBack(t *testing.T) {
	var b bytes.Buffer
	if err := RenderCredentialsPDF(&b, sampleSheet(), A4); err != nil {
		t.Fatal(err)
	}
	text := flat(pdfText(t, b.Bytes()))
	for _, want := range []string{"Credentials — Ivy Coordinator", "expires 2027-02-28", "MHFA England", "Consent", "IPA, 2025-01-05", "Barriers", "not on record", "Proof files are not included"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q:\n%s", want, text)
		}
	}
}

func TestCredentialsSheetHTMLEscapes(t *testing.T) {
	s := sampleSheet()
	s.Name = "<script>x</script>"
	var b bytes.Buffer
	if err := RenderCredentialsHTML(&b, s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>x") || !strings.Contains(b.String(), "not on record") {
		t.Errorf("HTML: %.400s", b.String())
	}
	if err := RenderCredentialsHTML(&b, CredentialsSheet{}); err == nil {
		t.Error("a sheet naming no one was rendered")
	}
}
