package screenplay

import (
	"regexp"
	"strings"
)

// A Final Draft title page is free text laid out on a page: centred lines
// for the title and credits, a left-aligned block at the bottom for the
// contact. It names none of its parts, so the reader infers the keys a
// person would give them (as in a Fountain title page) from position,
// alignment and wording.

// titlePara is one paragraph of the title page, empty ones included: they
// separate the blocks.
type titlePara struct {
	align string // Left, Center, Right or Full
	text  string
	line  int
}

func (p *fdxParser) beginTitlePara() {
	p.titleBuf = p.titleBuf[:0]
	p.titleLine = p.tok.line
	p.titleAl = "Left"
	if a, ok := p.tok.attr("Alignment"); ok {
		switch string(p.attrValue(a)) {
		case "Center":
			p.titleAl = "Center"
		case "Right":
			p.titleAl = "Right"
		case "Full":
			p.titleAl = "Full"
		}
	}
}

func (p *fdxParser) endTitlePara() {
	if len(p.title) >= 10_000 {
		return // no real title page comes near this; stop growing
	}
	lo, hi := trimBounds(p.titleBuf)
	p.title = append(p.title, titlePara{align: p.titleAl, text: string(p.titleBuf[lo:hi]), line: p.titleLine})
}

// titlePlaceholders are the prompts of Final Draft's title page templates,
// compared lower-case without parentheses: a writer who never filled them in
// has no title, author or contact.
var titlePlaceholders = map[string]bool{
	"name of project": true, "script title": true, "title": true,
	"name of first writer": true, "name of writer": true, "writer": true,
	"based on, if any": true, "revisions by": true, "current revisions by": true,
	"names of subsequent writers,": true, "in order of work performed": true,
	"current writer, date": true, "name of company, if applicable": true,
	"address": true, "phone number": true, "email address": true, "email": true, "phone": true,
}

var dropParens = strings.NewReplacer("(", "", ")", "")

func isPlaceholder(line string) bool {
	if len(line) > 40 {
		return false // longer than any prompt
	}
	s := strings.ToLower(dropParens.Replace(line))
	return titlePlaceholders[strings.TrimSpace(s)]
}

var (
	creditRE = regexp.MustCompile(`(?i)^((written|screenplay|teleplay|story|script|created|developed|adapted|directed)( and [a-z ]+)? )?by:?$`)
	sourceRE = regexp.MustCompile(`(?i)^(based (up)?on|adapted from|inspired by|from the (novel|book|play|story|short story|comic|article)|story by)\b`)
	// dateRE matches 1/27/2012, 2012-01-27, "March 3, 2014", "3 March 2014"
	// and "Draft"/"Revised" lines.
	dateRE = regexp.MustCompile(`(?i)\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}|draft|revised|revision)\b`)
	// copyrightRE matches a copyright line; a long note that merely
	// mentions copyright is a note.
	copyrightRE = regexp.MustCompile(`(?i)^(©|\(c\)|copyright|all rights reserved|registered,? wga|wga reg)`)
)

// titleBlock is a run of consecutive non-empty title page paragraphs with
// the same alignment.
type titleBlock struct {
	align string
	lines []string
}

func titleBlocks(paras []titlePara) []titleBlock {
	var blocks []titleBlock
	open := false
	for _, tp := range paras {
		if tp.text == "" || isPlaceholder(tp.text) {
			open = false
			continue
		}
		// A credit line ("Written by") stands alone even when the writer
		// left no empty paragraph around it: it separates title and author.
		credit := creditRE.MatchString(tp.text)
		if open && !credit && blocks[len(blocks)-1].align == tp.align {
			b := &blocks[len(blocks)-1]
			b.lines = append(b.lines, tp.text)
			continue
		}
		blocks = append(blocks, titleBlock{align: tp.align, lines: []string{tp.text}})
		open = !credit
	}
	return blocks
}

// inferTitle names the blocks of a title page: Title, Credit, Author,
// Source, Draft date, Contact, Copyright, Notes, in the order written.
func inferTitle(paras []titlePara) []TitleField {
	blocks := titleBlocks(paras)
	var fields []TitleField
	add := func(key, value string) {
		// Contact and notes split by blank lines are still one field.
		if n := len(fields); n > 0 && fields[n-1].Key == key && (key == "Contact" || key == "Notes") {
			fields[n-1].Value += "\n" + value
			return
		}
		fields = append(fields, TitleField{Key: key, Value: value})
	}
	haveTitle := false
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		value := strings.Join(b.lines, "\n")
		centred := b.align == "Center"
		switch {
		case centred && creditRE.MatchString(value):
			// A credit names whoever follows it; without them it is
			// an unfilled template.
			if i+1 < len(blocks) && blocks[i+1].align == "Center" {
				add("Credit", value)
				add("Author", strings.Join(blocks[i+1].lines, "\n"))
				i++
			}
		case copyrightRE.MatchString(value):
			add("Copyright", value)
		case centred && !haveTitle && !sourceRE.MatchString(value):
			add("Title", value)
			haveTitle = true
		case sourceRE.MatchString(value):
			add("Source", value)
		case len(value) < 80 && dateRE.MatchString(value):
			add("Draft date", value)
		case centred, strings.HasPrefix(value, "["), len(value) > 200:
			add("Notes", value)
		default:
			add("Contact", value)
		}
	}
	return fields
}
