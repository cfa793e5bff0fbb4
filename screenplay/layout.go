package screenplay

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Layout: both the PDF reader and the laid-out text reader turn their input
// into rows of positioned text segments, and the code in layout*.go reads
// the screenplay from those rows. Positions are in points from the page's
// left edge (a text column is 7.2 pt, one Courier 12 character), and
// vertical positions in 12-point lines from the top of the page, so the same
// indent bands serve both inputs.

const (
	lineHeight = 12.0 // points per printed line (Courier 12, six lines an inch)
	inch       = 72.0
	charWidth  = 7.2 // points per Courier 12 character: one text column
)

// seg is a run of text on a row, separated from its neighbours by a wide gap.
type seg struct {
	x, end float64 // start and end, points from the left edge
	text   string
}

// row is one printed line of a page.
type row struct {
	page int     // 1-based
	y    float64 // 12-point lines from the top of the page
	segs []seg   // left to right
	line int     // 1-based index of the row in Script.Lines (or the input)

	number string  // scene number printed in a margin of this row
	text   string  // body text: the segments without margin numbers
	x, end float64 // extent of the body text
	drop   bool    // page furniture: page number, header, (MORE), CONTINUED
}

// layoutDoc is a document of rows, read into a Script.
type layoutDoc struct {
	format      Format
	pages       int       // page count; 0 when the input has no page breaks
	pageHeights []float64 // in lines, per page; nil for text
	rows        []*row
	lines       []string // Script.Lines, for PDF

	left   float64 // body left margin: where action and headings start
	dlg    float64 // dialogue indent relative to left
	cueMin float64 // smallest indent of a character cue relative to left
	top    float64 // y of the first body line of a page
}

func (d *layoutDoc) script() *Script {
	s := &Script{Format: d.format, Pages: d.pages, Lines: d.lines}
	d.dropFurniture()
	d.left = d.findLeft()
	d.attachNumbers()
	d.dropContinued()
	d.measure()
	body := d.liveRows()
	title, body := d.splitTitle(body)
	s.Title = title
	s.Elements = d.elements(body)
	return s
}

func (d *layoutDoc) liveRows() []*row {
	var out []*row
	for _, r := range d.rows {
		if !r.drop && (r.text != "" || r.number != "") {
			out = append(out, r)
		}
	}
	return out
}

// setBody fills the body text of a row from its segments.
func (r *row) setBody() {
	var parts []string
	r.x, r.end = 0, 0
	for i, s := range r.segs {
		if i == 0 {
			r.x = s.x
		}
		r.end = s.end
		parts = append(parts, s.text)
	}
	r.text = strings.Join(parts, " ")
}

// findLeft finds the body left margin: the leftmost indent that a fair share
// of rows start at. Scene numbers and stray marks left of it are too few.
func (d *layoutDoc) findLeft() float64 {
	bins := map[int]int{}
	n := 0
	for _, r := range d.rows {
		if r.drop || len(r.segs) == 0 || sceneNumber.MatchString(r.segs[0].text) {
			continue
		}
		bins[int(math.Round(r.segs[0].x/2))]++
		n++
	}
	if n == 0 {
		return 0
	}
	keys := sortedKeys(bins)
	need := max(3, n*3/100)
	for _, k := range keys {
		if bins[k]+bins[k+1] >= need {
			return float64(k) * 2
		}
	}
	return float64(keys[0]) * 2
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// sceneNumber matches a printed scene number: 12, A12, 12A, 2.14, 12.
var sceneNumber = regexp.MustCompile(`^[A-Z]{0,2}\d{1,4}[A-Z]{0,3}(\.\d{1,3}[A-Z]?)?\.?$`)

// attachNumbers moves scene numbers printed a little off a heading's
// baseline onto that heading's row, then takes margin numbers off every row
// into row.number.
func (d *layoutDoc) attachNumbers() {
	byPage := map[int][]*row{}
	for _, r := range d.rows {
		if !r.drop {
			byPage[r.page] = append(byPage[r.page], r)
		}
	}
	for _, rows := range byPage {
		for _, r := range rows {
			if !d.marginNumbersOnly(r) {
				continue
			}
			var best *row
			for _, o := range rows {
				if o != r && !o.drop && !d.marginNumbersOnly(o) && math.Abs(o.y-r.y) <= 0.6 &&
					(best == nil || math.Abs(o.y-r.y) < math.Abs(best.y-r.y)) {
					best = o
				}
			}
			if best != nil {
				best.segs = append(best.segs, r.segs...)
				slices.SortFunc(best.segs, func(a, b seg) int { return cmp.Compare(a.x, b.x) })
			} else if n := len(r.segs); n == 2 && r.segs[0].text == r.segs[1].text && r.segs[0].x < d.left {
				// The same number in both margins with nothing between:
				// a scene heading left empty in the writer's file.
				r.number = strings.TrimSuffix(r.segs[0].text, ".")
				r.segs = nil
				continue
			}
			// A lone number in a margin is a scene or page number with
			// nothing beside it, never story text.
			r.segs, r.drop = nil, true
		}
	}
	for _, r := range d.rows {
		d.takeNumbers(r)
		r.setBody()
	}
}

func (d *layoutDoc) marginNumbersOnly(r *row) bool {
	if len(r.segs) == 0 {
		return false
	}
	for _, s := range r.segs {
		if !sceneNumber.MatchString(s.text) || !d.inMargin(s) {
			return false
		}
	}
	return true
}

// inMargin reports whether a segment lies where scene numbers are printed:
// left of the body margin, or right of where any heading text ends.
func (d *layoutDoc) inMargin(s seg) bool {
	return s.end <= d.left+2 || s.x >= d.left+4.8*inch
}

func (d *layoutDoc) takeNumbers(r *row) {
	if len(r.segs) >= 2 {
		if f := r.segs[0]; sceneNumber.MatchString(f.text) && f.end <= d.left+2 {
			r.number = strings.TrimSuffix(f.text, ".")
			r.segs = r.segs[1:]
		}
	}
	if n := len(r.segs); n >= 2 {
		if l := r.segs[n-1]; sceneNumber.MatchString(l.text) && l.x >= d.left+4.8*inch {
			if r.number == "" {
				r.number = strings.TrimSuffix(l.text, ".")
			}
			r.segs = r.segs[:n-1]
		}
	}
}

// measure finds the dialogue indent, the cue indent and the top line of the
// text area from the rows themselves.
func (d *layoutDoc) measure() {
	bins := map[int]int{}
	for _, r := range d.rows {
		dx := r.x - d.left
		if r.drop || r.text == "" || dx < 0.5*inch || dx >= 2*inch || strings.HasPrefix(r.text, "(") || isCaps(r.text) {
			continue
		}
		bins[int(math.Round(dx/2))]++
	}
	d.dlg = 1.0 * inch
	best := 0
	for _, k := range sortedKeys(bins) {
		if bins[k] > best {
			best, d.dlg = bins[k], float64(k)*2
		}
	}
	d.cueMin = d.dlg + 0.45*inch

	tops := map[int]int{}
	seen := map[int]bool{}
	for _, r := range d.rows {
		if r.drop || r.text == "" || seen[r.page] {
			continue
		}
		seen[r.page] = true
		tops[int(math.Round(r.y*4))]++
	}
	best = 0
	for _, k := range sortedKeys(tops) {
		if tops[k] > best {
			best, d.top = tops[k], float64(k)/4
		}
	}
}

// isCaps reports whether text has letters and none of them lower case,
// outside parentheses (extensions like "(cont'd)" may be lower case).
func isCaps(text string) bool {
	letters, depth := 0, 0
	for _, c := range text {
		switch {
		case c == '(':
			depth++
		case c == ')':
			depth = max(0, depth-1)
		case depth > 0:
		case unicode.IsLower(c):
			return false
		case unicode.IsLetter(c):
			letters++
		}
	}
	return letters > 0
}
