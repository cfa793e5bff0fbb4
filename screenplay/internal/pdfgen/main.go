// Command pdfgen writes the screenplay-layout PDFs under
// screenplay/testdata/pdf that the PDF reader's tests read. They are made
// here, with Courier 12 at the standard margins, so every layout feature the
// reader handles (scene numbers in both margins, a running header, (MORE)
// and (CONT'D), a title page, dual dialogue) is in a file we may ship.
//
//	go run ./screenplay/internal/pdfgen -out screenplay/testdata/pdf
package main

import (
	"flag"
	"log"
	"path/filepath"

	"github.com/go-pdf/fpdf"
)

// Margins in points: action at 1.5", dialogue 2.5", parenthetical 3.1",
// cue 3.7", page right edge of text 7.5".
const (
	left   = 108.0
	dlg    = left + 72
	paren  = left + 115
	cue    = left + 158
	right  = 540.0
	top    = 84.0 // baseline of the first body line
	lineH  = 12.0
	charW  = 7.2
	header = 48.0
)

type page struct {
	pdf  *fpdf.Fpdf
	line int
}

func (p *page) at(x float64, s string) {
	p.pdf.Text(x, top+float64(p.line)*lineH, s)
	p.line++
}

func (p *page) blank() { p.line++ }

func (p *page) rightAligned(s string) {
	p.at(right-float64(len(s))*charW, s)
}

// heading prints a scene heading with its number in both margins, the
// numbers 1.5 pt off the baseline as Final Draft prints them.
func (p *page) heading(num, text string) {
	y := top + float64(p.line)*lineH
	if num != "" {
		p.pdf.Text(left-54, y-1.5, num)
		p.pdf.Text(right+14, y-1.5, num)
	}
	p.pdf.Text(left, y, text)
	p.line++
}

func newPage(f *fpdf.Fpdf, n int, furniture bool) *page {
	f.AddPage()
	f.SetFont("Courier", "", 12)
	if furniture {
		f.Text(left, header, `NIGHT SHIFT #101 "PILOT" BLUE REV. 03/04/25`)
		num := itoa(n) + "."
		f.Text(right-float64(len(num))*charW+charW, header, num)
		f.Text(left+100, 770, "Printed with an unregistered version")
	}
	return &page{pdf: f}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func titlePage(f *fpdf.Fpdf) {
	f.AddPage()
	f.SetFont("Courier", "", 12)
	f.Text(306-9*charW/2, 250, "NIGHT SHIFT")
	f.Text(306-11*charW/2, 290, `"The Pilot"`)
	f.Text(306-10*charW/2, 330, "Written by")
	f.Text(306-12*charW/2, 354, "Ada Lovelace")
	f.Text(306-22*charW/2, 400, "Based on the novel by")
	f.Text(306-12*charW/2, 412, "Mary Shelley")
	f.Text(left-36, 660, "Agency Management")
	f.Text(left-36, 672, "ada@example.com")
	f.Text(400, 660, "Blue Revision")
	f.Text(400, 672, "March 4, 2025")
}

func script(f *fpdf.Fpdf) {
	titlePage(f)

	p := newPage(f, 1, true)
	p.at(306-7*charW/2, "COLD OPEN")
	p.blank()
	p.heading("1", "INT. HOSPITAL CORRIDOR - NIGHT")
	p.blank()
	p.at(left, "NORA (34) pushes a gurney through the swinging doors. The")
	p.at(left, "lights flicker.")
	p.blank()
	p.at(cue, "NORA")
	p.at(paren, "(to herself)")
	p.at(dlg, "Not tonight. Please, not")
	p.at(dlg, "tonight.")
	p.blank()
	p.at(left, "ANGLE ON the clock: 3:14.")
	p.blank()
	p.rightAligned("CUT TO:")
	p.blank()
	p.heading("A1", "EXT. HOSPITAL PARKING LOT - CONTINUOUS")
	p.blank()
	p.at(left, "Rain. MARK (40s) runs for the entrance.")
	p.blank()
	p.at(cue, "MARK")
	p.at(dlg, "Nora! Nora, wait. I have to tell")
	p.at(dlg, "you something before the board")
	p.at(dlg, "meets.")
	p.at(cue+7*charW, "(MORE)")

	p = newPage(f, 2, true)
	p.at(left-54, "A1")
	p.line--
	p.at(left, "CONTINUED:")
	p.at(cue, "MARK (CONT'D)")
	p.at(dlg, "It's about the transfer.")
	p.blank()
	p.at(306-7*charW/2, "END OF COLD OPEN")
	p.blank()
	p.at(306-7*charW/2, "ACT ONE")
	p.blank()
	p.heading("2", "INT. NORA'S APARTMENT - BEDROOM - LATER THAT NIGHT WHEN THE")
	p.at(left, "STORM HAS PASSED")
	p.blank()
	p.at(left, "Nora and Mark sit on the edge of the bed.")
	p.blank()
	// Dual dialogue: two columns, each with its own cue.
	p.at(left+100, "NORA")
	p.line--
	p.at(left+330, "MARK")
	p.at(left+20, "You should have")
	p.line--
	p.at(left+250, "I know. I know.")
	p.at(left+20, "told me.")
	p.blank()
	p.heading("2A", "OMITTED")
	p.blank()
	p.heading("2.14", "TITLE CARD: THREE WEEKS LATER")
	p.blank()
	p.at(left, "NEW SHOT")
	p.blank()
	p.at(left, "They kiss.")
	p.blank()
	p.at(cue, "NORA (cont'd)")
	p.at(dlg, "Goodnight.")
	p.blank()
	p.rightAligned("FADE OUT.")
	p.blank()
	p.at(306-7*charW/2, "END OF SHOW")
}

func main() {
	out := flag.String("out", "screenplay/testdata/pdf", "folder to write the PDFs to")
	flag.Parse()
	write := func(name string, build func(*fpdf.Fpdf)) {
		f := fpdf.New("P", "pt", "Letter", "")
		f.SetCompression(true)
		build(f)
		if err := f.OutputFileAndClose(filepath.Join(*out, name)); err != nil {
			log.Fatal(err)
		}
	}
	write("pilot.pdf", script)
	// A password-protected copy: the reader must say so, not fail oddly.
	write("encrypted.pdf", func(f *fpdf.Fpdf) {
		f.SetProtection(fpdf.CnProtectPrint, "secret", "owner")
		script(f)
	})
	// A scan: pages with drawings and no text layer.
	write("scanned.pdf", func(f *fpdf.Fpdf) {
		for range 2 {
			f.AddPage()
			f.SetFillColor(200, 200, 200)
			f.Rect(72, 72, 468, 648, "F")
		}
	})
}
