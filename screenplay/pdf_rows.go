package screenplay

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// glyphRows groups a page's glyphs into rows: glyphs whose baselines are
// within a fifth of the font size share a row, ordered by x; gaps between
// glyphs become spaces by the font's advance, and gaps of two or more
// spaces split the row into segments (margin numbers, dual columns).
func glyphRows(gs []glyph, page int, height float64) []*row {
	slices.SortStableFunc(gs, func(a, b glyph) int {
		if c := cmp.Compare(b.y, a.y); c != 0 {
			return c
		}
		return cmp.Compare(a.x, b.x)
	})
	var rows []*row
	for start := 0; start < len(gs); {
		tol := max(1.5, 0.2*gs[start].size)
		end := start + 1
		for end < len(gs) && gs[start].y-gs[end].y <= tol {
			end++
		}
		if segs := rowSegs(runOrder(gs[start:end])); len(segs) > 0 {
			rows = append(rows, &row{page: page, y: (height - gs[start].y) / lineHeight, segs: segs})
		}
		start = end
	}
	return rows
}

// runOrder orders a row's glyphs run by run, runs by where they start.
// Keeping each run whole means text printed over other text (a scene
// number over the end of a long heading) stays apart instead of
// interleaving letter by letter; a run drawn twice for a bold effect is
// kept once.
func runOrder(line []glyph) []glyph {
	slices.SortStableFunc(line, func(a, b glyph) int { return cmp.Compare(a.run, b.run) })
	type run struct {
		gs   []glyph
		text string
	}
	var runs []run
	for i := 0; i < len(line); {
		j := i + 1
		for j < len(line) && line[j].run == line[i].run {
			j++
		}
		var b strings.Builder
		for _, g := range line[i:j] {
			b.WriteString(g.s)
		}
		r := run{gs: line[i:j], text: b.String()}
		dup := false
		for _, o := range runs {
			dup = dup || o.text == r.text && math.Abs(o.gs[0].x-r.gs[0].x) < 1
		}
		if !dup {
			runs = append(runs, r)
		}
		i = j
	}
	slices.SortStableFunc(runs, func(a, b run) int { return cmp.Compare(a.gs[0].x, b.gs[0].x) })
	out := make([]glyph, 0, len(line))
	for _, r := range runs {
		// A run is in drawing order, which is left to right for the
		// upright Latin text of a script.
		out = append(out, r.gs...)
	}
	return out
}

func rowSegs(line []glyph) []seg {
	var segs []seg
	var b strings.Builder
	var cur seg
	blanks := 0 // spaces at the end of b
	var prev *glyph
	flush := func() {
		if t := strings.TrimSpace(b.String()); t != "" {
			cur.text = t
			segs = append(segs, cur)
		}
		b.Reset()
		blanks = 0
	}
	for k := range line {
		g := &line[k]
		overlap := false
		cw := g.w
		if cw <= 0.1 {
			cw = 0.6 * g.size
		}
		if prev != nil {
			gap := g.x - (prev.x + max(prev.w, 0))
			overlap = gap < -0.5*cw
			if n := int(math.Round(gap / cw)); n > 0 {
				blanks += n
				b.WriteString(strings.Repeat(" ", min(n, 200)))
			}
		}
		if strings.TrimSpace(g.s) == "" {
			blanks += len(g.s)
			b.WriteString(" ")
			prev = g
			continue
		}
		if (blanks >= 2 || overlap) && b.Len() > 0 {
			flush()
		}
		if b.Len() == 0 {
			cur = seg{x: g.x}
		}
		blanks = 0
		b.WriteString(g.s)
		cur.end = g.x + max(g.w, 0)
		prev = g
	}
	flush()
	return segs
}

// renderLines lays the rows out as text, one entry per row with blank
// entries for vertical gaps, and numbers each row's line. Columns are
// 7.2 pt, so Courier text keeps its indentation.
func renderLines(rows []*row) []string {
	minX := math.Inf(1)
	for _, r := range rows {
		minX = min(minX, r.segs[0].x)
	}
	var lines []string
	for i, r := range rows {
		if i > 0 {
			gap := 1
			if p := rows[i-1]; p.page == r.page {
				gap = int(math.Round(r.y-p.y)) - 1
			}
			for range min(max(gap, 0), 3) {
				lines = append(lines, "")
			}
		}
		var b strings.Builder
		col := 0
		for k, s := range r.segs {
			want := int(math.Round((s.x - minX) / charWidth))
			if k > 0 {
				want = max(want, col+2)
			}
			b.WriteString(strings.Repeat(" ", max(0, min(want-col, 300))))
			b.WriteString(s.text)
			col = max(want, col) + len([]rune(s.text))
		}
		lines = append(lines, b.String())
		r.line = len(lines)
	}
	return lines
}
