package screenplay

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Page furniture is what the printing adds to every page and the writer
// never typed: page numbers, running headers with the show, episode and
// draft colour, watermarks, (MORE) and CONTINUED. It is dropped from the
// elements (it stays in Script.Lines).

var (
	pageNumber = regexp.MustCompile(`(?i)^(page\s+)?[-–(]?\s*\d{1,4}[A-Z]?\s*[-–)]?\.?(\s*(of|/)\s*\d{1,4})?$`)
	digits     = regexp.MustCompile(`\d+`)
	spaces     = regexp.MustCompile(`\s+`)
	watermark  = regexp.MustCompile(`(?i)unregistered|trial version|evaluation (copy|version)|demo version|created (with|using) .*(trial|demo)`)
	moreLine   = regexp.MustCompile(`(?i)^\(\s*more\s*\)$`)
	contLine   = regexp.MustCompile(`(?i)^(\(\s*continued\s*\)|continued:?(\s*\(\d+\))?|\(cont(['’]d|inued)?\)|continued\s*\(\d+\)|cont['’]d:?)$`)
)

// furnitureKey is a row's text with numbers blanked, so "A Legal Mind 12."
// and "A Legal Mind 13." are the same header.
func furnitureKey(r *row) string {
	var parts []string
	for _, s := range r.segs {
		// The page number beside a running header changes; the header
		// does not (and page 1 often prints none).
		if !pageNumber.MatchString(s.text) || len(r.segs) == 1 {
			parts = append(parts, s.text)
		}
	}
	t := strings.ToLower(strings.Join(parts, " "))
	return spaces.ReplaceAllString(digits.ReplaceAllString(t, "#"), " ")
}

func rowText(r *row) string {
	var parts []string
	for _, s := range r.segs {
		parts = append(parts, s.text)
	}
	return strings.Join(parts, " ")
}

// inZone reports whether a row sits in the header or footer area: the top
// or bottom margin of a PDF page, or the first or last row of a text page.
func (d *layoutDoc) inZone(r *row, first, last map[int]*row) bool {
	if d.pageHeights != nil && r.page-1 < len(d.pageHeights) {
		h := d.pageHeights[r.page-1]
		return r.y < 5.5 || r.y > h-4.5
	}
	return d.pages > 1 && (first[r.page] == r || last[r.page] == r)
}

func (d *layoutDoc) dropFurniture() {
	first, last := map[int]*row{}, map[int]*row{}
	for _, r := range d.rows {
		if len(r.segs) == 0 {
			continue
		}
		if first[r.page] == nil {
			first[r.page] = r
		}
		last[r.page] = r
	}
	// Count on how many pages each header key, and each key at one height,
	// appears.
	zonePages := map[string]map[int]bool{}
	placePages := map[string]map[int]bool{}
	anyPages := map[string]int{}
	add := func(m map[string]map[int]bool, k string, p int) {
		if m[k] == nil {
			m[k] = map[int]bool{}
		}
		m[k][p] = true
	}
	for _, r := range d.rows {
		if len(r.segs) == 0 {
			continue
		}
		k := furnitureKey(r)
		if d.inZone(r, first, last) {
			add(zonePages, k, r.page)
		}
		add(placePages, k+"@"+placeY(r.y), r.page)
		anyPages[k]++
	}
	pages := max(d.pages, 1)
	for _, r := range d.rows {
		if len(r.segs) == 0 {
			continue
		}
		k := furnitureKey(r)
		t := rowText(r)
		switch {
		case d.inZone(r, first, last) && (pageNumber.MatchString(t) || repeated(len(zonePages[k]), pages, 0.3)):
			r.drop = true
		case repeated(len(placePages[k+"@"+placeY(r.y)]), pages, 0.5) && !transition.MatchString(t):
			r.drop = true // a watermark or stamp at the same place on every page
		case len(t) < 100 && watermark.MatchString(t):
			r.drop = true
		case d.pages <= 1 && strings.Contains(k, "#") && anyPages[k] >= 3 && len(t) < 80 && (len(r.segs) > 1 || pageNumber.MatchString(t)):
			// Text without page breaks still carries the page headers of
			// the PDF it was copied from: the same line, its number changing.
			r.drop = true
		}
	}
}

func placeY(y float64) string {
	return strconv.Itoa(int(math.Round(y)))
}

func repeated(n, pages int, share float64) bool {
	return n >= 2 && float64(n) >= share*float64(pages) && (pages < 4 || n >= 3)
}

// dropContinued drops (MORE), (CONTINUED) and "12 CONTINUED:" rows, which
// repeat the page break in words.
func (d *layoutDoc) dropContinued() {
	for _, r := range d.rows {
		if !r.drop && (moreLine.MatchString(r.text) || contLine.MatchString(r.text)) {
			r.drop = true
		}
	}
}
