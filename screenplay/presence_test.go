package screenplay

import (
	"reflect"
	"testing"
)

// castScene is a first scene where every character of the tests speaks, so
// they are all in the script's cast.
const castScene = "INT. HALL - DAY\n\nMARA\nHi.\n\nTOMAS\nHi.\n\nELLIS\nHi.\n\nWILL\nHi.\n\nGRACE\nHi.\n\nDR. OKAFOR\nHi.\n\nMAN #2\nHi.\n\nNURSE\nHi.\n\n"

func TestPresentFindsSilentCharacters(t *testing.T) {
	tests := []struct {
		name     string
		scene    string
		speaking []string
		present  []string
	}{
		{"a silent love scene", "Mara and Tomas kiss as they cross the room. They undress each other.", nil, []string{"MARA", "TOMAS"}},
		{"possessives", "Mara's hand finds Tomas’ belt.", nil, []string{"MARA", "TOMAS"}},
		{"a pronoun and a name", "She and Ellis sit on the bed.", nil, []string{"ELLIS"}},
		{"capitals", "TOMAS enters. MARA's coat drops.", nil, []string{"TOMAS", "MARA"}},
		{"an introduction with an age", "IRENA (19) waits by the door.", nil, []string{"IRENA"}},
		{"a name spoken is not a person present", "MARA\nWhere is Tomas? Ellis said he'd come.", []string{"MARA"}, []string{"MARA"}},
		{"a parenthetical names the one spoken to", "MARA\n(to Ellis)\nSit.", []string{"MARA"}, []string{"MARA", "ELLIS"}},
		{"a common word in lower case", "He will wait. She says grace. A nurse passes.", nil, nil},
		{"a common name mid-sentence", "Tomas turns to Will and Grace.", nil, []string{"TOMAS", "WILL", "GRACE"}},
		{"a common name opening a sentence as a verb's subject", "Will walks in. Grace's hands shake.", nil, []string{"WILL", "GRACE"}},
		{"a common word opening a sentence", "Will she stay? Grace under pressure, she thinks.", nil, nil},
		{"a common name in capitals", "The NURSE and WILL watch.", nil, []string{"NURSE", "WILL"}},
		{"a shouted line is no introduction", "WILL SHE MAKE IT IN TIME?", nil, nil},
		{"a title dropped", "Okafor checks the monitor. Dr. Okafor leaves.", nil, []string{"DR. OKAFOR"}},
		{"a numbered extra", "Man #2 shrugs.", nil, []string{"MAN #2"}},
		{"names across a wrapped line", "Mara pulls\nTomas close.", nil, []string{"MARA", "TOMAS"}},
		{"a voice-over is heard, not present", "Tomas sleeps.\n\nMARA (V.O.)\nHe never woke.", []string{"MARA"}, []string{"TOMAS"}},
		{"off-screen is in the scene", "Tomas sleeps.\n\nMARA (O.S.)\nWake up.", []string{"MARA"}, []string{"TOMAS", "MARA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := castScene + "INT. FLAT - NIGHT\n\n" + tt.scene + "\n"
			s, err := Read([]byte(in), Options{Format: Fountain})
			if err != nil {
				t.Fatal(err)
			}
			sc := s.Scenes[len(s.Scenes)-1]
			speaking, present := tt.speaking, tt.present
			if speaking == nil {
				speaking = []string{}
			}
			if present == nil {
				present = []string{}
			}
			if !reflect.DeepEqual(sc.Speaking, speaking) || !reflect.DeepEqual(sc.Present, present) {
				t.Errorf("speaking %q, present %q; want %q, %q", sc.Speaking, sc.Present, speaking, present)
			}
		})
	}
}

// TestPresentInPlainText reads a scene copied out of a PDF: indented cues,
// no blank line before the slugline, curly apostrophes.
func TestPresentInPlainText(t *testing.T) {
	in := "           INT. KITCHEN - DAY\n" +
		"           JUNE (15) drinks milk.\n\n" +
		"                                 NORA\n" +
		"                        Where’s Theo?\n\n" +
		"           Nora sits.\n" +
		"           INT. BEDROOM - NIGHT\n" +
		"           Nora and THEO lie in the dark, June’s head on Theo’s arm.\n\n" +
		"                                 THEO\n" +
		"                        Sleep.\n"
	s, err := Read([]byte(in), Options{Format: Text})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Scenes) != 2 {
		t.Fatalf("%d scenes, want 2", len(s.Scenes))
	}
	if got, want := s.Scenes[0].Present, []string{"JUNE", "NORA"}; !reflect.DeepEqual(got, want) {
		t.Errorf("scene 1 present %q, want %q (Theo is only spoken of)", got, want)
	}
	if got, want := s.Scenes[1].Present, []string{"NORA", "THEO", "JUNE"}; !reflect.DeepEqual(got, want) {
		t.Errorf("scene 2 present %q, want %q", got, want)
	}
}
