// Command twingen writes the Final Draft and PDF twins of a Fountain test
// script, so tests can check that one script reads the same in every
// format. Run from the repository root:
//
//	go run ./screenplay/internal/twingen screenplay/testdata/twins/harbor.fountain
//
// It writes harbor.fdx and harbor.pdf beside the input. The PDF is laid out
// like a Final Draft print: Courier 12, 1.5" left margin, scene numbers in
// both margins, page numbers and a running header, (MORE) and (CONT'D)
// where speeches break across pages, a title page.
package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"closedset/screenplay"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: twingen FILE.fountain")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "twingen:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s, err := screenplay.Read(data, screenplay.Options{Name: path, Format: screenplay.Fountain})
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(path, ".fountain")
	if err := os.WriteFile(base+".fdx", []byte(fdx(s)), 0o644); err != nil {
		return err
	}
	return writePDF(s, base+".pdf")
}

var fdxTypes = map[screenplay.ElementType]string{
	screenplay.SceneHeading: "Scene Heading", screenplay.Action: "Action", screenplay.Character: "Character",
	screenplay.Parenthetical: "Parenthetical", screenplay.Dialogue: "Dialogue", screenplay.Transition: "Transition",
	screenplay.Lyrics: "Lyrics", screenplay.Centered: "Action", screenplay.Shot: "Shot", screenplay.General: "General",
}

// fdx writes the script as Final Draft XML with the quirks real files have:
// text split into several runs, a revision mark, dual dialogue wrapped in
// an empty paragraph, scene lengths in SceneProperties.
func fdx(s *screenplay.Script) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no" ?>` + "\n")
	b.WriteString(`<FinalDraft DocumentType="Script" Template="No" Version="4">` + "\n  <Content>\n")
	scene := 0
	for i := 0; i < len(s.Elements); i++ {
		e := s.Elements[i]
		typ, ok := fdxTypes[e.Type]
		if !ok {
			continue
		}
		// A dual pair: the cue before this one's block and this block.
		if e.Type == screenplay.Character && dualFollows(s.Elements, i) {
			b.WriteString("    <Paragraph>\n      <DualDialogue>\n")
			j := i
			for ; j < len(s.Elements); j++ {
				d := s.Elements[j]
				if !isSpeech(d.Type) || d.Type == screenplay.Character && j > i && !d.Dual {
					break
				}
				b.WriteString(paragraph(fdxTypes[d.Type], d, "", 8))
			}
			b.WriteString("      </DualDialogue>\n    </Paragraph>\n")
			i = j - 1
			continue
		}
		props := ""
		if e.Type == screenplay.SceneHeading {
			sc := s.Scenes[scene]
			scene++
			props = fmt.Sprintf(`<SceneProperties Length="%s" Page="%d" Title=""/>`, screenplay.FormatEighths(sc.Eighths), sc.Page)
		}
		b.WriteString(paragraph(typ, e, props, 4))
	}
	b.WriteString("  </Content>\n  <TitlePage>\n    <Content>\n")
	for _, f := range s.Title {
		for _, line := range strings.Split(f.Value, "\n") {
			align := "Center"
			if f.Key == "Contact" || f.Key == "Draft date" {
				align = "Left"
			}
			fmt.Fprintf(&b, "      <Paragraph Alignment=%q Type=\"Action\">\n        <Text>%s</Text>\n      </Paragraph>\n", align, esc(line))
		}
	}
	b.WriteString("    </Content>\n  </TitlePage>\n")
	b.WriteString(`  <Revisions ActiveSet="1" Location="7.75" RevisionMode="Yes" RevisionsShown="Active" ShowAllMarks="No" ShowAllSets="No">` + "\n")
	b.WriteString(`    <Revision Color="#00000000FFFF" FullRevision="No" ID="1" Mark="*" Name="Blue Rev." Style=""/>` + "\n  </Revisions>\n</FinalDraft>\n")
	return b.String()
}

func isSpeech(t screenplay.ElementType) bool {
	return t == screenplay.Character || t == screenplay.Dialogue || t == screenplay.Parenthetical || t == screenplay.Lyrics
}

// dualFollows reports whether the speech starting at cue i is the left
// column of a dual dialogue pair.
func dualFollows(els []screenplay.Element, i int) bool {
	for j := i + 1; j < len(els) && isSpeech(els[j].Type); j++ {
		if els[j].Type == screenplay.Character {
			return els[j].Dual
		}
	}
	return false
}

// paragraph writes one FDX paragraph. Long text is split into several runs
// mid-sentence, and dialogue containing "Tuesday" carries a revision mark,
// as Final Draft writes them.
func paragraph(typ string, e screenplay.Element, props string, indent int) string {
	pad := strings.Repeat(" ", indent)
	attrs := fmt.Sprintf("Type=%q", typ)
	if e.Number != "" {
		attrs = fmt.Sprintf("Number=%q %s", e.Number, attrs)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s<Paragraph %s>\n", pad, attrs)
	if props != "" {
		fmt.Fprintf(&b, "%s  %s\n", pad, props)
	}
	rev := ""
	if strings.Contains(e.Text, "Tuesday") {
		rev = ` RevisionID="1"`
	}
	for _, run := range runs(e.Text) {
		fmt.Fprintf(&b, "%s  <Text%s>%s</Text>\n", pad, rev, esc(run))
	}
	fmt.Fprintf(&b, "%s</Paragraph>\n", pad)
	return b.String()
}

// runs splits text in two at a space past its middle when it is long.
func runs(text string) []string {
	if len(text) < 40 {
		return []string{text}
	}
	k := strings.IndexByte(text[len(text)/2:], ' ')
	if k < 0 {
		return []string{text}
	}
	k += len(text) / 2
	return []string{text[:k], text[k:]}
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// Page geometry in points (72 an inch), as Final Draft prints US Letter.
const (
	lineHeight = 12.0
	topY       = 72.0 // first text line
	linesPage  = 55
)

// indents are the left edges of each element type, in inches.
var indents = map[screenplay.ElementType]float64{
	screenplay.Character: 3.7, screenplay.Parenthetical: 3.1, screenplay.Dialogue: 2.5, screenplay.Lyrics: 2.5,
}

// fixedTime keeps the PDF's dates, and so its bytes, the same on every run.
var fixedTime = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

type pdfWriter struct {
	pdf    *fpdf.Fpdf
	page   int
	line   int
	header string
}

func writePDF(s *screenplay.Script, out string) error {
	pdf := fpdf.New("P", "pt", "Letter", "")
	pdf.SetCompression(true)
	pdf.SetCreationDate(fixedTime)
	pdf.SetModificationDate(fixedTime)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetFont("Courier", "", 12)
	pdf.SetTitle(s.TitleValue("title"), true)
	w := &pdfWriter{pdf: pdf, header: "HARBOR LIGHTS - Blue Rev. (03/03/26)"}
	w.titlePage(s)
	w.newPage()
	var cue string
	for i := 0; i < len(s.Elements); i++ {
		e := s.Elements[i]
		if !e.Type.Printed() || e.Type == screenplay.PageBreak {
			continue
		}
		if e.Type == screenplay.Character {
			cue = screenplay.CharacterName(e.Text)
			if dualFollows(s.Elements, i) {
				i = w.dual(s.Elements, i) - 1
				continue
			}
		}
		w.element(e, cue)
	}
	return pdf.OutputFileAndClose(out)
}

func (w *pdfWriter) titlePage(s *screenplay.Script) {
	w.pdf.AddPage()
	y := 260.0
	for _, f := range s.Title {
		if f.Key == "Contact" || f.Key == "Draft date" {
			continue
		}
		for _, line := range strings.Split(f.Value, "\n") {
			w.centered(y, line)
			y += 2 * lineHeight
		}
	}
	y = 640
	for _, key := range []string{"Draft date", "Contact"} {
		for _, line := range strings.Split(s.TitleValue(key), "\n") {
			w.text(108, y, line)
			y += lineHeight
		}
	}
}

func (w *pdfWriter) newPage() {
	w.pdf.AddPage()
	w.page++
	w.line = 0
	w.text(108, 36, w.header)
	if w.page > 1 {
		num := fmt.Sprintf("%d.", w.page)
		w.text(540-w.pdf.GetStringWidth(num), 36, num)
	}
}

func (w *pdfWriter) text(x, y float64, s string) {
	w.pdf.Text(x, y, tr(s))
}

func (w *pdfWriter) centered(y float64, s string) {
	w.text((612-w.pdf.GetStringWidth(tr(s)))/2, y, s)
}

// tr maps text to the Windows-1252 bytes fpdf's core fonts expect.
func tr(s string) string {
	return strings.NewReplacer("’", "'", "‘", "'", "“", "\"", "”", "\"", "—", "--", "…", "...").Replace(s)
}

func (w *pdfWriter) y() float64 { return topY + float64(w.line)*lineHeight }

// element prints one element at the next line of the page, breaking pages
// as the standard layout does.
func (w *pdfWriter) element(e screenplay.Element, cue string) {
	lines := screenplay.StandardLayout.Wrap(e.Type, e.Text)
	space := 1
	switch e.Type {
	case screenplay.Dialogue, screenplay.Parenthetical, screenplay.Lyrics:
		space = 0
	}
	need := len(lines)
	if e.Type == screenplay.SceneHeading || e.Type == screenplay.Character {
		need += 2
	}
	if w.line > 0 && w.line+space+need > linesPage && !(e.Type == screenplay.Dialogue && w.line+space+2 < linesPage) {
		w.newPage()
	} else if w.line > 0 {
		w.line += space
	}
	for i, line := range lines {
		if w.line >= linesPage-1 && i < len(lines)-1 && e.Type == screenplay.Dialogue {
			// The speech breaks: (MORE) here, the cue again over the page.
			w.text(72*3.7, w.y(), "(MORE)")
			w.newPage()
			w.text(72*3.7, w.y(), cue+" (CONT'D)")
			w.line++
		} else if w.line >= linesPage {
			w.newPage()
		}
		w.line1(e, line)
	}
}

func (w *pdfWriter) line1(e screenplay.Element, line string) {
	y := w.y()
	switch e.Type {
	case screenplay.Transition:
		w.text(540-w.pdf.GetStringWidth(tr(line)), y, line)
	case screenplay.Centered:
		w.centered(y, line)
	default:
		x := 1.5
		if in, ok := indents[e.Type]; ok {
			x = in
		}
		w.text(72*x, y, line)
	}
	if e.Type == screenplay.SceneHeading && e.Number != "" {
		// Scene numbers sit in both margins, a touch below the baseline as
		// many printers put them.
		w.text(72*0.9, y+0.6, e.Number)
		w.text(72*7.6, y+0.6, e.Number)
	}
	w.line++
}

// dual prints a dual dialogue pair side by side in narrowed columns, as
// Final Draft does, and returns the index after the pair.
func (w *pdfWriter) dual(els []screenplay.Element, i int) int {
	type cell struct {
		x    float64
		text string
	}
	var cols [2][]cell
	col := 0
	j := i
	for ; j < len(els) && isSpeech(els[j].Type); j++ {
		e := els[j]
		if e.Type == screenplay.Character {
			if j > i && !e.Dual {
				break
			}
			if e.Dual {
				col = 1
			}
		}
		left := map[screenplay.ElementType]float64{screenplay.Character: 2.6, screenplay.Parenthetical: 2.0}[e.Type]
		width := map[screenplay.ElementType]int{screenplay.Character: 20, screenplay.Parenthetical: 20}[e.Type]
		if left == 0 {
			left, width = 1.5, 28
		}
		left += 3.0 * float64(col)
		for _, line := range screenplay.WrapText(e.Text, width) {
			cols[col] = append(cols[col], cell{left, line})
		}
	}
	rows := max(len(cols[0]), len(cols[1]))
	if w.line > 0 && w.line+1+rows > linesPage {
		w.newPage()
	} else if w.line > 0 {
		w.line++
	}
	for _, c := range cols {
		for r, cl := range c {
			w.text(72*cl.x, topY+float64(w.line+r)*lineHeight, cl.text)
		}
	}
	w.line += rows
	return j
}
