package strictjson

import (
	"errors"
	"strings"
	"testing"
)

type body struct {
	Title string `json:"title"`
	Inner struct {
		Areas []string `json:"areas"`
	} `json:"inner"`
	List []struct {
		ID int `json:"id"`
	} `json:"list"`
}

func TestDecodeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", ``, "empty"},
		{"not an object", `["title"]`, "JSON object"},
		{"repeated key", `{"title":"a","title":"b"}`, `"title" appears twice`},
		{"repeated key nested", `{"inner":{"areas":[],"areas":["x"]}}`, `"areas" appears twice`},
		{"repeated key in an array's object", `{"list":[{"id":1,"id":2}]}`, `"id" appears twice`},
		{"key in another case", `{"TITLE":"b"}`, "lower case"},
		{"same key in two cases", `{"title":"a","Title":"b"}`, "lower case"},
		{"unknown field", `{"titel":"a"}`, `unknown field "titel"`},
		{"trailing data", `{"title":"a"} {}`, "after the JSON object"},
		{"trailing garbage", `{"title":"a"}x`, "malformed"},
		{"wrong type", `{"title":1}`, `field "title"`},
		{"cut short", `{"title":"a"`, "ends early"},
		{"too deep", `{"inner":` + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + `}`, "deeper"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v body
			err := Decode(strings.NewReader(tc.in), 1<<10, &v)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("Decode(%s) = %v, want an *Error with %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestDecodeAccepts(t *testing.T) {
	var v body
	in := `{"title":"Harbor Lights","inner":{"areas":["neck","lips"]},"list":[{"id":1},{"id":2}]}` + "\n"
	if err := Decode(strings.NewReader(in), 1<<10, &v); err != nil {
		t.Fatal(err)
	}
	if v.Title != "Harbor Lights" || len(v.Inner.Areas) != 2 || len(v.List) != 2 || v.List[1].ID != 2 {
		t.Errorf("decoded %+v", v)
	}
}

func TestDecodeBoundsSize(t *testing.T) {
	var v body
	in := `{"title":"` + strings.Repeat("a", 100) + `"}`
	err := Decode(strings.NewReader(in), 50, &v)
	var e *Error
	if !errors.As(err, &e) || !e.TooLarge() || e.Limit != 50 {
		t.Errorf("over the limit: %v, want a TooLarge *Error", err)
	}
	if err := Decode(strings.NewReader(in), int64(len(in)), &v); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

func TestDecodePassesReadErrorsThrough(t *testing.T) {
	boom := errors.New("boom")
	err := Decode(failing{boom}, 10, &body{})
	var e *Error
	if !errors.Is(err, boom) || errors.As(err, &e) {
		t.Errorf("read error: %v, want it wrapped, not an *Error", err)
	}
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }
