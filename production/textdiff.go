package production

import "strings"

// EditOp says what a run of a text diff is.
type EditOp string

// The edit operations.
const (
	EditSame    EditOp = "same"
	EditRemoved EditOp = "removed"
	EditAdded   EditOp = "added"
)

// TextEdit is one run of words a diff keeps, removes or adds. Text keeps
// the line breaks between the words it spans.
type TextEdit struct {
	Op   EditOp `json:"op"`
	Text string `json:"text"`
}

// Passage is one changed passage of a scene's text: the lines that differ
// between two drafts, as words kept, removed and added.
type Passage struct {
	Edits []TextEdit `json:"edits"`
}

// Bounds on the work of a diff: past them a passage is shown as removed
// and added whole, which is still right, only coarser.
const (
	maxDiffCells = 1 << 18 // lines × lines, or words × words, of one comparison
	maxPassages  = 50      // passages shown for one scene
)

// TextChanges compares a scene's text in two drafts (SceneText: one
// element a line) and returns the passages that changed, each as a word
// diff of its lines: what an IC or a performer reads to see what the new
// pages changed. Equal texts give none.
func TextChanges(old, new string) []Passage {
	if old == new {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	var out []Passage
	for _, h := range lineHunks(a, b) {
		if len(out) == maxPassages {
			break
		}
		out = append(out, Passage{Edits: wordDiff(strings.Join(h.old, "\n"), strings.Join(h.new, "\n"))})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// hunk is a run of lines removed from the old text and added in the new.
type hunk struct{ old, new []string }

// lineHunks are the runs of lines outside the two texts' longest common
// subsequence of lines.
func lineHunks(a, b []string) []hunk {
	pairs := lcs(a, b)
	var out []hunk
	i, j := 0, 0
	for _, p := range append(pairs, [2]int{len(a), len(b)}) {
		if i < p[0] || j < p[1] {
			out = append(out, hunk{old: a[i:p[0]], new: b[j:p[1]]})
		}
		i, j = p[0]+1, p[1]+1
	}
	return out
}

// wordDiff diffs two passages word by word; a line break counts as a word
// of its own, so the runs keep the passage's lines.
func wordDiff(old, new string) []TextEdit {
	a, b := words(old), words(new)
	var out []TextEdit
	add := func(op EditOp, w string) {
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text = joinWord(out[n-1].Text, w)
			return
		}
		out = append(out, TextEdit{Op: op, Text: w})
	}
	i, j := 0, 0
	for _, p := range append(lcs(a, b), [2]int{len(a), len(b)}) {
		for ; i < p[0]; i++ {
			add(EditRemoved, a[i])
		}
		for ; j < p[1]; j++ {
			add(EditAdded, b[j])
		}
		if p[0] < len(a) {
			add(EditSame, a[p[0]])
		}
		i, j = p[0]+1, p[1]+1
	}
	return out
}

// words splits text into words, with "\n" as a word of its own.
func words(s string) []string {
	var out []string
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			out = append(out, "\n")
		}
		out = append(out, strings.Fields(line)...)
	}
	return out
}

func joinWord(text, w string) string {
	if w == "\n" || strings.HasSuffix(text, "\n") {
		return text + w
	}
	return text + " " + w
}

// lcs is the index pairs of a longest common subsequence of a and b, in
// order. Inputs whose table would pass maxDiffCells share nothing but
// their common ends.
func lcs(a, b []string) [][2]int {
	// Common ends first: most edits touch a few lines of a scene.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var out [][2]int
	for k := range pre {
		out = append(out, [2]int{k, k})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if n, m := len(ma), len(mb); n > 0 && m > 0 && n*m <= maxDiffCells {
		// t[i][j] is the LCS length of ma[i:] and mb[j:].
		t := make([][]int32, n+1)
		for i := range t {
			t[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					t[i][j] = t[i+1][j+1] + 1
				} else {
					t[i][j] = max(t[i+1][j], t[i][j+1])
				}
			}
		}
		for i, j := 0, 0; i < n && j < m; {
			switch {
			case ma[i] == mb[j]:
				out = append(out, [2]int{pre + i, pre + j})
				i++
				j++
			case t[i+1][j] >= t[i][j+1]:
				i++
			default:
				j++
			}
		}
	}
	for k := range suf {
		out = append(out, [2]int{len(a) - suf + k, len(b) - suf + k})
	}
	return out
}
