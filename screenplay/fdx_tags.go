package screenplay

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Final Draft's breakdown tagging (TagData): a file's tag categories
// (Cast Members, Props, ... and here Intimacy), the definitions in each
// (a label: "kissing"), and the tags that link a definition to the text of
// the script, each numbered and named by the TagNumber of the <Text> runs
// it marks:
//
//	<Paragraph Type="Scene Heading" Number="5"><Text TagNumber="1">INT. ...</Text></Paragraph>
//	<TagData>
//	  <TagCategories><TagCategory Id="c" Name="Intimacy" Number="32" .../></TagCategories>
//	  <TagDefinitions><TagDefinition CatId="c" Id="d" Label="kissing" Number="1"/></TagDefinitions>
//	  <Tags><Tag Number="1"><DefId>d</DefId></Tag></Tags>
//	</TagData>
//
// Breakdown reports in Final Draft, and the scheduling tools that import
// its files, list each scene's tags by category. WriteFDX writes a script
// with such tags; ReadFDXTags reads them back per scene.

// Tag is one breakdown tag of a scene: its category and label.
type Tag struct {
	Category string `json:"category"`
	Label    string `json:"label"`
}

// FDXScene is one scene to write: its heading, its paragraphs after the
// heading, and its tags. Each tag is linked to a paragraph of the scene:
// the first not yet tagged whose text holds the tag's Near text (the
// evidence of a flag), else the first not yet tagged, else the runs of
// one paragraph are split so that each tag marks some of its text.
type FDXScene struct {
	Number     string
	Heading    string
	Paragraphs []Element // Type and Text are written
	Tags       []FDXTag
}

// FDXTag is a tag to write and the text it is best linked to.
type FDXTag struct {
	Tag
	Near string
}

// fdxParagraphTypes is the FDX paragraph type of each element type written.
var fdxParagraphTypes = map[ElementType]string{
	SceneHeading: "Scene Heading", Action: "Action", Character: "Character", Parenthetical: "Parenthetical",
	Dialogue: "Dialogue", Transition: "Transition", Shot: "Shot", General: "General", Lyrics: "Lyrics",
}

// tagCategoryNumber is the number WriteFDX gives a new category: after
// Final Draft's own (1 to 31).
const tagCategoryNumber = 32

// WriteFDX writes scenes as a Final Draft document with their tags in
// TagData. The output is the same for the same scenes: the ids of
// categories and definitions are derived from their names.
func WriteFDX(w io.Writer, title string, scenes []FDXScene) error {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="no" ?>` + "\n")
	b.WriteString(`<FinalDraft DocumentType="Script" Template="No" Version="5">` + "\n  <Content>\n")

	type def struct {
		id, catID, label, category string
		number                     int
	}
	var cats []string
	catIDs := map[string]string{}
	var defs []def
	defOf := map[Tag]int{}
	var tagDefs []int // tag number-1 -> index in defs
	for _, sc := range scenes {
		paras := append([]Element{{Type: SceneHeading, Text: sc.Heading, Number: sc.Number}}, sc.Paragraphs...)
		runsOf := make([][]int, len(paras)) // tag numbers linked to each paragraph
		used := make([]bool, len(paras))
		for _, t := range sc.Tags {
			if _, ok := catIDs[t.Category]; !ok {
				catIDs[t.Category] = fdxID("category", t.Category)
				cats = append(cats, t.Category)
			}
			di, ok := defOf[t.Tag]
			if !ok {
				di = len(defs)
				defOf[t.Tag] = di
				defs = append(defs, def{id: fdxID("definition", t.Category, t.Label), catID: catIDs[t.Category], label: t.Label, category: t.Category, number: di + 1})
			}
			tagDefs = append(tagDefs, di)
			p := linkParagraph(paras, used, t.Near)
			runsOf[p] = append(runsOf[p], len(tagDefs))
		}
		for i, p := range paras {
			if err := writeParagraph(&b, p, runsOf[i]); err != nil {
				return err
			}
		}
	}
	b.WriteString("  </Content>\n")
	if title != "" {
		b.WriteString("  <TitlePage>\n    <Content>\n")
		writeParagraph(&b, Element{Type: General, Text: title}, nil)
		b.WriteString("    </Content>\n  </TitlePage>\n")
	}
	b.WriteString("  <TagData>\n    <TagCategories>\n")
	for i, c := range cats {
		fmt.Fprintf(&b, `      <TagCategory Color="#FFFF00008000" Id="%s" Name="%s" Number="%d" Style="Bold"/>`+"\n", catIDs[c], attr(c), tagCategoryNumber+i)
	}
	b.WriteString("    </TagCategories>\n    <TagDefinitions>\n")
	for _, d := range defs {
		fmt.Fprintf(&b, `      <TagDefinition CatId="%s" Id="%s" Label="%s" Number="%d"/>`+"\n", d.catID, d.id, attr(d.label), d.number)
	}
	b.WriteString("    </TagDefinitions>\n    <Tags>\n")
	for i, di := range tagDefs {
		fmt.Fprintf(&b, `      <Tag Number="%d">`+"\n        <DefId>%s</DefId>\n      </Tag>\n", i+1, defs[di].id)
	}
	b.WriteString("    </Tags>\n  </TagData>\n</FinalDraft>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// linkParagraph picks the paragraph a tag marks (see FDXScene).
func linkParagraph(paras []Element, used []bool, near string) int {
	near = strings.Join(strings.Fields(near), " ")
	pick := -1
	if near != "" {
		for i, p := range paras {
			if !used[i] && strings.Contains(strings.Join(strings.Fields(p.Text), " "), near) {
				pick = i
				break
			}
		}
	}
	if pick < 0 {
		for i := range paras {
			if !used[i] {
				pick = i
				break
			}
		}
	}
	if pick < 0 {
		return len(paras) - 1 // every paragraph marked: share the last
	}
	used[pick] = true
	return pick
}

// writeParagraph writes one paragraph, its text in one run per tag
// linked to it (split at spaces where it can be), one plain run else.
func writeParagraph(b *bytes.Buffer, p Element, tags []int) error {
	typ := fdxParagraphTypes[p.Type]
	if typ == "" {
		typ = "Action"
	}
	fmt.Fprintf(b, `    <Paragraph Type="%s"`, typ)
	if p.Number != "" {
		fmt.Fprintf(b, ` Number="%s"`, attr(p.Number))
	}
	b.WriteString(">\n")
	var runs []string
	if len(tags) == 0 {
		b.WriteString("      <Text>")
		if err := xml.EscapeText(b, []byte(p.Text)); err != nil {
			return err
		}
		b.WriteString("</Text>\n")
	} else {
		runs = splitRuns(p.Text, len(tags))
	}
	for i, piece := range runs {
		fmt.Fprintf(b, `      <Text TagNumber="%d">`, tags[i])
		if err := xml.EscapeText(b, []byte(piece)); err != nil {
			return err
		}
		b.WriteString("</Text>\n")
	}
	b.WriteString("    </Paragraph>\n")
	return nil
}

// splitRuns cuts text into n runs that join back to it, at spaces when
// there are enough; runs past the text's words are empty.
func splitRuns(text string, n int) []string {
	if n <= 1 {
		return []string{text}
	}
	out := make([]string, n)
	words := strings.SplitAfter(text, " ")
	per := max(1, len(words)/n)
	w := 0
	for i := range n {
		end := w + per
		if i == n-1 || end > len(words) {
			end = len(words)
		}
		out[i] = strings.Join(words[w:end], "")
		w = end
	}
	return out
}

// attr escapes s for an attribute value.
func attr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}

// fdxID is a UUID-shaped id derived from parts (a name-based id, so the
// same category or label gets the same id in every export).
func fdxID(parts ...string) string {
	h := sha256.Sum256([]byte("closedset-fdx\x00" + strings.Join(parts, "\x00")))
	h[6] = h[6]&0x0f | 0x50 // version 5 style, name-based
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// SceneTags is one scene of a Final Draft file as its tags read: the
// scene's heading paragraph and the tags linked to any text of it.
type SceneTags struct {
	Number  string `json:"number,omitempty"`
	Heading string `json:"heading"`
	Tags    []Tag  `json:"tags"`
}

// Limits of ReadFDXTags, beside the reader's own on the file's size.
const (
	maxTagDepth = 64
	maxTagItems = 1 << 17
)

// ReadFDXTags reads a Final Draft file's TagData and the tags each scene
// carries: the tags whose numbers mark the text of the scene's heading or
// of a paragraph after it, before the next heading, each once, in the
// order they first mark it. Text before the first heading is no scene's.
// A file with no TagData reads as its scenes with no tags.
func ReadFDXTags(data []byte) ([]SceneTags, error) {
	if err := checkUTF8(data); err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var (
		stack   []string
		scenes  []SceneTags
		marks   [][]int // tag numbers marking each scene
		inHead  bool    // in a top-level heading paragraph's text
		heading strings.Builder
		cats    = map[string]string{} // category id -> name
		defs    = map[string]Tag{}    // definition id -> tag (category id for now)
		tagDefs = map[int]string{}    // tag number -> definition id
		tagNum  int                   // the <Tag> being read
		items   int
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("fdx tags: line %d: %w", lineOf(d, data), err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxTagDepth {
				return nil, fmt.Errorf("fdx tags: line %d: elements nested %d deep", lineOf(d, data), len(stack))
			}
			if items++; items > maxTagItems {
				return nil, fmt.Errorf("fdx tags: more than %d elements", maxTagItems)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			name := t.Name.Local
			stack = append(stack, name)
			get := func(k string) string {
				for _, a := range t.Attr {
					if a.Name.Local == k {
						return a.Value
					}
				}
				return ""
			}
			switch {
			case name == "Paragraph" && parent == "Content" && len(stack) == 3 && stack[0] == "FinalDraft":
				if get("Type") == "Scene Heading" {
					if inHead {
						scenes[len(scenes)-1].Heading = heading.String()
					}
					scenes = append(scenes, SceneTags{Number: get("Number")})
					marks = append(marks, nil)
					heading.Reset()
					inHead = true
				}
			case name == "Text" && len(scenes) > 0 && inContent(stack):
				if n, err := strconv.Atoi(get("TagNumber")); err == nil && n > 0 {
					marks[len(marks)-1] = append(marks[len(marks)-1], n)
				}
			case name == "TagCategory" && parent == "TagCategories":
				cats[get("Id")] = get("Name")
			case name == "TagDefinition" && parent == "TagDefinitions":
				defs[get("Id")] = Tag{Category: get("CatId"), Label: get("Label")}
			case name == "Tag" && parent == "Tags":
				tagNum, _ = strconv.Atoi(get("Number"))
			}
		case xml.EndElement:
			if len(stack) == 3 && t.Name.Local == "Paragraph" && inHead {
				scenes[len(scenes)-1].Heading = heading.String()
				inHead = false
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			n := len(stack)
			switch {
			case inHead && n == 4 && stack[n-1] == "Text":
				heading.Write(t)
			case n > 0 && stack[n-1] == "DefId" && n >= 2 && stack[n-2] == "Tag" && tagNum > 0:
				tagDefs[tagNum] = strings.TrimSpace(string(t))
			}
		}
	}
	for i, ms := range marks {
		seen := map[Tag]bool{}
		for _, n := range ms {
			def, ok := defs[tagDefs[n]]
			if !ok {
				continue // a tag number no tag defines: no tag
			}
			tag := Tag{Category: cats[def.Category], Label: def.Label}
			if !seen[tag] {
				seen[tag] = true
				scenes[i].Tags = append(scenes[i].Tags, tag)
			}
		}
	}
	return scenes, nil
}

// inContent reports whether the element path is inside the script's
// Content (not the title page's).
func inContent(stack []string) bool {
	return len(stack) >= 3 && stack[0] == "FinalDraft" && stack[1] == "Content"
}

// lineOf is the 1-based line of the decoder's position in data.
func lineOf(d *xml.Decoder, data []byte) int {
	off := min(int(d.InputOffset()), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
