// Package screenplay reads Fountain, Final Draft (FDX), PDF and plain-text
// screenplays into one model: a Script of Elements grouped into Scenes, each
// with its page and length in page eighths.
//
// Readers are pure: they take bytes and return values, never touch files,
// clocks or logs, and never panic on any input. Every Element keeps the
// 1-based line of the input it came from (for a PDF, the line of its
// extracted text), so later stages can always point back at the source.
package screenplay

import "strings"

// Format names the kind of file a Script was read from.
type Format string

// The formats a Script can be read from.
const (
	Fountain Format = "fountain"
	FDX      Format = "fdx"
	PDF      Format = "pdf"
	Text     Format = "text" // plain text laid out with indentation, e.g. copied out of a PDF
)

// ElementType is the kind of a screenplay paragraph.
type ElementType string

// Element types shared by every reader. Notes, sections and synopses are
// kept for the reader of the model but never count toward page length.
const (
	SceneHeading  ElementType = "scene_heading"
	Action        ElementType = "action"
	Character     ElementType = "character"
	Parenthetical ElementType = "parenthetical"
	Dialogue      ElementType = "dialogue"
	Lyrics        ElementType = "lyrics"
	Transition    ElementType = "transition"
	Centered      ElementType = "centered"
	Shot          ElementType = "shot"      // a camera direction at the heading margin (ANGLE ON, CLOSE ON), not a scene
	ActBreak      ElementType = "act_break" // COLD OPEN, ACT ONE, END OF ACT ONE, TAG
	General       ElementType = "general"
	CastList      ElementType = "cast_list"
	PageBreak     ElementType = "page_break"
	Section       ElementType = "section"
	Synopsis      ElementType = "synopsis"
	Note          ElementType = "note"
)

// Printed reports whether elements of this type take room on the page.
func (t ElementType) Printed() bool {
	switch t {
	case Section, Synopsis, Note, PageBreak:
		return false
	}
	return true
}

// Element is one paragraph of the script.
type Element struct {
	Type ElementType `json:"type"`
	// Text is the paragraph's text with markup (emphasis markers, forcing
	// characters, inline notes) removed. Lines of a multi-line paragraph are
	// joined with "\n"; line i of Text came from input line Line+i when
	// LineOffsets is nil.
	Text string `json:"text"`
	// Line is the 1-based line of the input where the paragraph starts.
	Line int `json:"line"`
	// LineOffsets, when set, gives the input line of each line of Text
	// relative to Line (used where notes or boneyard removed lines inside a
	// paragraph).
	LineOffsets []int `json:"-"`
	// Number is the scene number printed on a heading (e.g. "12A"), if any.
	Number string `json:"number,omitempty"`
	// Depth is the level of a Fountain section (# = 1).
	Depth int `json:"depth,omitempty"`
	// Dual marks the right-hand column of dual dialogue (the second speaker).
	Dual bool `json:"dual,omitempty"`
	// Forced marks an element forced by Fountain markup (., !, @, >, ~).
	Forced bool `json:"forced,omitempty"`
	// Revision is the name of the revision that last changed this paragraph
	// (FDX revision marks), empty when unmarked.
	Revision string `json:"revision,omitempty"`
	// Page is the 1-based page the element starts on. For a PDF it is the PDF's
	// own page; otherwise it comes from the standard page layout.
	Page int `json:"page,omitempty"`
	// PageLine is the 0-based printed line on Page where the element starts,
	// in 12-point lines from the top of the text area.
	PageLine float64 `json:"-"`
	// Length is, on a scene heading, the scene length in eighths that the
	// source file states itself (Final Draft's SceneProperties Length); 0
	// when it states none.
	Length int `json:"-"`
}

// TitleField is one key of the title page, in the order written.
type TitleField struct {
	Key   string `json:"key"`
	Value string `json:"value"` // multi-line values joined with "\n"
}

// Revision is a named revision set from a Final Draft file.
type Revision struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"` // e.g. "blue", or a hex value when it names no standard colour
}

// Introduction is a character introduced in action, often with an age:
// "NORA (34) steps in."
type Introduction struct {
	Name string `json:"name"`
	Age  int    `json:"age,omitempty"` // 0 when not stated; the decade for "(40s)"
	// AgeText is the age as written, e.g. "34", "late teens", "40s".
	AgeText string `json:"age_text,omitempty"`
	Line    int    `json:"line"`
}

// Scene is a scene heading and everything up to the next one.
type Scene struct {
	Index    int    `json:"index"`            // 1-based order in the script
	Number   string `json:"number,omitempty"` // printed scene number, if any
	Heading  string `json:"heading"`
	IntExt   string `json:"int_ext,omitempty"` // INT, EXT, INT/EXT, EST, or empty for non-slugline headings
	Location string `json:"location,omitempty"`
	Time     string `json:"time,omitempty"`
	Line     int    `json:"line"` // input line of the heading
	Page     int    `json:"page"`
	Eighths  int    `json:"eighths"`
	// SourceEighths is the length the source file states itself (Final
	// Draft's SceneProperties Length), 0 when it states none.
	SourceEighths int `json:"source_eighths,omitempty"`
	// Elements are the scene's paragraphs, heading first.
	Elements []Element `json:"-"`
	// Characters is Present, under the name the JSON has always had.
	Characters []string `json:"characters"`
	// Speaking are the characters with a line (a cue) in the scene, in
	// order of their first line.
	Speaking []string `json:"speaking"`
	// Present are the characters in the scene, speaking or not: the
	// speakers and those its action, shots and parentheticals name (never
	// its dialogue), in order of first appearance.
	Present    []string       `json:"present"`
	Introduced []Introduction `json:"introduced,omitempty"`
}

// Script is a parsed screenplay.
type Script struct {
	Format    Format       `json:"format"`
	Title     []TitleField `json:"title_page,omitempty"`
	Elements  []Element    `json:"elements"`
	Scenes    []Scene      `json:"scenes"`
	Revisions []Revision   `json:"revisions,omitempty"`
	Pages     int          `json:"pages"`
	// Lines is the text the Line numbers refer to when it is not the input
	// file itself (a PDF's extracted text); nil otherwise.
	Lines []string `json:"-"`
}

// TitleValue returns the value of the first title page field named key
// (case-insensitive), or "".
func (s *Script) TitleValue(key string) string {
	for _, f := range s.Title {
		if strings.EqualFold(f.Key, key) {
			return f.Value
		}
	}
	return ""
}
