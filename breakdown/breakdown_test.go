package breakdown

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"closedset/screenplay"
)

// analyze breaks down a Fountain snippet.
func analyze(t *testing.T, fountain string, opts Options) *Breakdown {
	t.Helper()
	s, err := screenplay.Read([]byte(fountain), screenplay.Options{Format: screenplay.Fountain})
	if err != nil {
		t.Fatal(err)
	}
	return Analyze(s, opts)
}

func categories(sc Scene) []string {
	var out []string
	for _, f := range sc.Flags {
		c := string(f.Category)
		if f.Kind != "" {
			c += ":" + f.Kind
		}
		if f.Level != "" {
			c += ":" + f.Level
		}
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func TestReadsLikeAnIC(t *testing.T) {
	tests := []struct {
		name   string
		action string
		want   []string // categories of the one scene; nil for none
	}{
		{"a kiss", "He kisses her neck.", []string{"kissing"}},
		{"inflections", "They are kissing when she undresses.", []string{"kissing", "nudity:implied"}},
		{"strips off", "She strips off and dives in.", []string{"nudity:implied"}},
		// Sex shown is intimate touch as well: the contact is planned too.
		{"make love", "Later, they make love by the fire.", []string{"intimate_touch", "nudity:implied", "simulated_sex"}},
		{"climbs on top", "She climbs on top of him.", []string{"intimate_touch", "nudity:implied", "simulated_sex"}},
		{"dressed, they stay dressed", "They make love with their clothes still on.", []string{"intimate_touch", "simulated_sex"}},
		{"pins her down", "He pins her down on the floor.", []string{"sexual_violence"}},
		{"topless with an area", "She sunbathes topless, her breasts to the sun.", []string{"nudity:partial"}},
		{"full nudity", "He stands there completely naked.", []string{"nudity:full"}},
		{"negation", "They do not touch. They do not kiss.", nil},
		{"without kissing", "They part without kissing.", nil},
		{"naked ambition", "His naked ambition fills the room.", nil},
		{"strip the engine", "Mo has to strip the engine before noon.", nil},
		{"kiss of death", "That contract is the kiss of death.", nil},
		{"bare walls", "Bare walls, bare minimum of furniture.", nil},
		{"the sex of the baby", "The nurse writes down the sex of the baby.", nil},
		{"the band", "A KISS tribute band tunes up on stage.", nil},
		{"a look, a drink", "She shoots him a look and downs a shot of whiskey.", nil},
		{"a morgue", "A body bag on a steel table.", []string{"hyper_exposed:death"}},
		{"surgery", "The surgeon makes the first incision.", []string{"hyper_exposed:medical"}},
		{"birth", "She is in labor, pushing, the midwife between her knees.", []string{"hyper_exposed:birth"}},
		{"a bath", "She bathes in the tin tub by the stove.", []string{"hyper_exposed:bathing"}},
		{"vomiting", "He vomits into the sink.", []string{"hyper_exposed:bodily"}},
		{"a stabbing", "He stabs the guard twice.", []string{"hyper_exposed:violence"}},
		{"an almost-kiss", "He almost kisses her, then steps back.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := analyze(t, "INT. ROOM - DAY\n\n"+tt.action+"\n", Options{})
			if got := categories(b.Scenes[0]); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%q: got %q, want %q", tt.action, got, tt.want)
			}
			if b.Scenes[0].NeedsIC != (tt.want != nil) {
				t.Errorf("needs_ic %v", b.Scenes[0].NeedsIC)
			}
		})
	}
}

func TestDialogueIsNeverEvidence(t *testing.T) {
	b := analyze(t, "INT. ROOM - DAY\n\nANNA\nKiss the morning goodbye. I was naked and we had sex.\n", Options{})
	if b.Scenes[0].NeedsIC {
		t.Errorf("dialogue flagged: %+v", b.Scenes[0].Flags)
	}
}

func TestACharacterNameIsNotEvidence(t *testing.T) {
	b := analyze(t, "INT. SCHOOL - DAY\n\nPRINCIPAL VAGINA walks in. Principal Vagina waves.\n\nPRINCIPAL VAGINA\nMorning.\n", Options{})
	if b.Scenes[0].NeedsIC {
		t.Errorf("a name flagged: %+v", b.Scenes[0].Flags)
	}
}

func TestEvidenceNamesTheLine(t *testing.T) {
	b := analyze(t, "INT. BEDROOM - NIGHT\n\nNORA and THEO stand close.\nHe kisses her, slowly.\n\nNORA\nStay.\n\nTHEO\nYes.\n", Options{})
	f := b.Scenes[0].Flags[0]
	want := Evidence{Line: 4, Text: "He kisses her, slowly.", Match: "kisses"}
	if f.Category != Kissing || !reflect.DeepEqual(f.Evidence, []Evidence{want}) {
		t.Errorf("flag %+v, want evidence %+v", f, want)
	}
	if !reflect.DeepEqual(f.Characters, []string{"NORA", "THEO"}) {
		t.Errorf("characters %q", f.Characters)
	}
}

func TestMinorAgeIsCarriedAcrossTheScript(t *testing.T) {
	script := "INT. KITCHEN - DAY\n\nJUNE (15) eats toast.\n\n" +
		"EXT. PARK - DAY\n\nJune walks alone.\n\n" +
		"EXT. LAKE - NIGHT\n\nJune kisses Sam by the water.\n"
	b := analyze(t, script, Options{})
	if b.Scenes[0].NeedsIC || b.Scenes[1].NeedsIC {
		t.Errorf("a minor alone is no flag: %+v / %+v", b.Scenes[0].Flags, b.Scenes[1].Flags)
	}
	if got := categories(b.Scenes[2]); !reflect.DeepEqual(got, []string{"kissing", "minor"}) {
		t.Fatalf("scene 3: %q", got)
	}
	minor := b.Scenes[2].Flags[1]
	if minor.Evidence[0].Line != 3 || !strings.Contains(minor.Evidence[0].Text, "JUNE (15)") || minor.Characters[0] != "JUNE" {
		t.Errorf("minor evidence should quote the stated age: %+v", minor)
	}
	if !reflect.DeepEqual(b.Summary.Minors, []string{"JUNE"}) {
		t.Errorf("summary minors %q", b.Summary.Minors)
	}
}

func TestARestatedAgeReplacesTheOldOne(t *testing.T) {
	script := "INT. NURSERY - DAY\n\nWILL (5) plays.\n\nINT. BAR - NIGHT\n\nWILL, now 28, kisses his bride.\n"
	b := analyze(t, script, Options{})
	if got := categories(b.Scenes[1]); !reflect.DeepEqual(got, []string{"kissing"}) {
		t.Errorf("adult Will flagged as a minor: %q", got)
	}
}

func TestYearsOldAndChildWords(t *testing.T) {
	b := analyze(t, "INT. HALL - DAY\n\nHer seven-year-old, LILY, watches as Mark kisses Ann.\n", Options{})
	if got := categories(b.Scenes[0]); !reflect.DeepEqual(got, []string{"kissing", "minor"}) {
		t.Errorf("got %q", got)
	}
}

func TestChildHandledByAnAdult(t *testing.T) {
	b := analyze(t, "INT. HALL - DAY\n\nA stranger picks up the toddler and carries her out.\n", Options{})
	// DOMAIN.md: a child picked up or held by an adult is intimate content.
	if got := categories(b.Scenes[0]); !reflect.DeepEqual(got, []string{"intimate_touch", "minor"}) {
		t.Errorf("got %q", got)
	}
}

func TestBedroomAfterUndressingSuggestsSex(t *testing.T) {
	b := analyze(t, "INT. BEDROOM - NIGHT\n\nThey undress each other in the dark.\n", Options{})
	got := categories(b.Scenes[0])
	if !contains(got, "simulated_sex") {
		t.Errorf("context not used: %q", got)
	}
}

func TestProductionLexiconExtendsTheDefault(t *testing.T) {
	extra, err := ParseLexicon([]byte("kissing\tbesa~\t0.95\tSpanish\n"), "show.tsv")
	if err != nil {
		t.Fatal(err)
	}
	script := "INT. CASA - NOCHE\n\nElena besa a Marco.\n"
	if analyze(t, script, Options{}).Scenes[0].NeedsIC {
		t.Fatal("flagged without the production's terms")
	}
	b := analyze(t, script, Options{Lexicon: DefaultLexicon().Extend(extra)})
	if got := categories(b.Scenes[0]); !reflect.DeepEqual(got, []string{"kissing"}) {
		t.Errorf("got %q", got)
	}
}

func TestLexiconErrorsNameFileAndLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"kissing\tkiss~\n", "x.tsv: line 1: want category, phrase and weight"},
		{"# c\nhugging\thug~\t0.5\n", "x.tsv: line 2: unknown category \"hugging\""},
		{"nudity/total\tnaked\t0.5\n", "x.tsv: line 1: category nudity has no qualifier \"total\""},
		{"kissing\tkiss\t1.5\n", "x.tsv: line 1: weight \"1.5\" is not a number from 0 to 1"},
		{"kissing\t* kiss\t0.5\n", "x.tsv: line 1: phrase \"* kiss\": * must stand between words"},
		{"kissing\t\t0.5\n", "x.tsv: line 1: empty phrase"},
		{"kissing\ther|@name * kiss\t0.5\n", "x.tsv: line 1: phrase \"her|@name * kiss\": needs a word before any *"},
		{"instead\tkiss\t0.5\n", "x.tsv: line 1: \"instead\" needs a category after it"},
	}
	for _, tt := range tests {
		_, err := ParseLexicon([]byte(tt.in), "x.tsv")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseLexicon(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestDefaultLexiconIsValid(t *testing.T) {
	l, err := ParseLexicon(defaultLexicon, "lexicon.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.entries) < 300 {
		t.Errorf("only %d entries", len(l.entries))
	}
	for _, e := range l.entries {
		if e.role == roleFlag && e.Weight == 0 {
			t.Errorf("%s: a flag entry with weight 0 can never flag", e.Source)
		}
	}
}

func TestInflect(t *testing.T) {
	for base, want := range map[string][]string{
		"kiss":  {"kisses", "kissed", "kissing"},
		"strip": {"strips", "stripped", "stripping"},
		"carry": {"carries", "carried", "carrying"},
		"bathe": {"bathes", "bathed", "bathing"},
	} {
		got := inflect(base)
		for _, w := range want {
			if !contains(got, w) {
				t.Errorf("inflect(%q) lacks %q: %q", base, w, got)
			}
		}
	}
}

func TestBreakdownJSONContract(t *testing.T) {
	b := analyze(t, "INT. ROOM - DAY #12#\n\nHe kisses her.\n\nEXT. ROAD - DAY\n\nCars.\n", Options{})
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	sc := doc["scenes"].([]any)[0].(map[string]any)
	for _, k := range []string{"index", "number", "heading", "page", "eighths", "characters", "flags", "needs_ic"} {
		if _, ok := sc[k]; !ok {
			t.Errorf("scene lacks %q: %s", k, data)
		}
	}
	flag := sc["flags"].([]any)[0].(map[string]any)
	for _, k := range []string{"category", "confidence", "evidence", "characters"} {
		if _, ok := flag[k]; !ok {
			t.Errorf("flag lacks %q", k)
		}
	}
	sum := doc["summary"].(map[string]any)
	if sum["scenes"].(float64) != 2 || sum["flagged"].(float64) != 1 || sum["by_category"].(map[string]any)["kissing"].(float64) != 1 {
		t.Errorf("summary %v", sum)
	}
	if flags := doc["scenes"].([]any)[1].(map[string]any)["flags"]; flags == nil {
		t.Error("an unflagged scene must list flags as [], not null")
	}
}

func TestOneSpaceIsJoinFields(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a", "a ", "a  b", "a\nb", "a \n b", "\ta\t", "née  x", "a\u00a0b", "a b c", "  ", "x\r\ny", "a\v\fb"} {
		if got, want := oneSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// A detached scene is the same scene, with lists of its own.
func TestDetachedIsTheSame(t *testing.T) {
	b := analyze(t, "INT. ROOM - NIGHT\n\nNORA (34) and THEO kiss. She drops her robe.\n", Options{})
	sc := b.Scenes[0]
	if len(sc.Flags) == 0 {
		t.Fatal("no flags to detach")
	}
	d := sc.Detached()
	if !reflect.DeepEqual(d, sc) {
		t.Fatalf("detached %+v\nwant %+v", d, sc)
	}
	d.Flags[0].Evidence[0].Text = "changed"
	d.Present[0] = "changed"
	if sc.Flags[0].Evidence[0].Text == "changed" || sc.Present[0] == "changed" {
		t.Error("the detached scene shares its lists with the original")
	}
}
