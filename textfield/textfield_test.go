package textfield

import (
	"closedset"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLengthIsCountedInCharactersNotBytes(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
		max  int
		ok   bool
	}{
		{"ascii at the limit", strings.Repeat("a", 10), 10, true},
		{"ascii over the limit", strings.Repeat("a", 11), 10, false},
		// 10 characters, 20 bytes: a byte count would refuse it.
		{"two-byte letters at the limit", strings.Repeat("é", 10), 10, true},
		{"two-byte letters over the limit", strings.Repeat("é", 11), 10, false},
		// 10 characters, 40 bytes.
		{"four-byte characters at the limit", strings.Repeat("𝄞", 10), 10, true},
		{"a Japanese title at the limit", strings.Repeat("港", MaxTitle), MaxTitle, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []func(string, string, int, bool) (string, error){Line, Para} {
				_, err := f("title", tc.s, tc.max, true)
				if (err == nil) != tc.ok {
					t.Errorf("%d characters (%d bytes), max %d: err %v, want ok=%v", len([]rune(tc.s)), len(tc.s), tc.max, err, tc.ok)
				}
			}
		})
	}
}

func TestLineAndPara(t *testing.T) {
	for _, tc := range []struct {
		name             string
		s                string
		required         bool
		wantLine         string
		lineOK, paraOK   bool
		problemSubstring string
	}{
		{"trimmed", "  Harbor Lights  ", true, "Harbor Lights", true, true, ""},
		{"empty and required", "   ", true, "", false, false, "is empty"},
		{"empty and optional", "", false, "", true, true, ""},
		{"invalid UTF-8", "a\xffb", false, "", false, false, "UTF-8"},
		{"line break inside", "a\nb", true, "", false, true, "one line"},
		{"tab inside", "a\tb", true, "", false, true, "one line"},
		{"surrounding blanks trimmed", "\ta\n", true, "a", true, true, ""},
		{"NUL", "a\x00b", true, "", false, false, "control"},
		{"C1 control", "a\u0085b", true, "", false, false, "control"},
		{"DEL", "a\x7fb", true, "", false, false, "control"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Line("name", tc.s, 100, tc.required)
			if (err == nil) != tc.lineOK {
				t.Errorf("Line: err %v, want ok=%v", err, tc.lineOK)
			}
			if err == nil && got != tc.wantLine {
				t.Errorf("Line = %q, want %q", got, tc.wantLine)
			}
			var fe *closedset.Error
			if err != nil && (!errors.As(err, &fe) || fe.Kind != closedset.Invalid || fe.Field != "name" || !strings.Contains(fe.Msg, tc.problemSubstring)) {
				t.Errorf("Line error %#v, want field name and a problem with %q", err, tc.problemSubstring)
			}
			if _, err := Para("name", tc.s, 100, tc.required); (err == nil) != tc.paraOK {
				t.Errorf("Para: err %v, want ok=%v", err, tc.paraOK)
			}
		})
	}
}

func TestEveryLimitIsNamedForTemplates(t *testing.T) {
	for name, n := range Limits {
		if n <= 0 {
			t.Errorf("limit %q is %d", name, n)
		}
	}
	if Limits["title"] != MaxTitle || Limits["note"] != MaxNote {
		t.Errorf("Limits disagree with the constants: %v", Limits)
	}
}

func TestItemsAreTrimmedAndNeverEmpty(t *testing.T) {
	for _, tc := range []struct {
		in, sep string
		want    []string
	}{
		{"a, b ,c", ",", []string{"a", "b", "c"}},
		{" , ,", ",", nil},
		{"barrier cushion\n\n  modesty garment \n", "\n", []string{"barrier cushion", "modesty garment"}},
	} {
		if got := Items(tc.in, tc.sep); !slices.Equal(got, tc.want) {
			t.Errorf("Items(%q, %q) = %q, want %q", tc.in, tc.sep, got, tc.want)
		}
	}
}
