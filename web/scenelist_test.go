package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestSceneListIsFreshAfterEveryWrite reads the scene list (kept encoded
// for those who see every scene), reviews a flag, and reads it again: the
// review is in it at once. A performer, asking after the full list was
// kept, still gets only the scenes they are in.
func TestSceneListIsFreshAfterEveryWrite(t *testing.T) {
	w := newWorld(t)
	path := "/api/v1/productions/" + itoa(w.prod.ID) + "/scenes"
	type list struct {
		Scenes []sceneOut `json:"scenes"`
	}
	read := func(who string) (list, []byte) {
		t.Helper()
		res := w.do(call{method: "GET", path: path, cred: cred{token: w.tokens[who]}})
		if res.Code != http.StatusOK {
			t.Fatalf("GET %s as %s: %d %s", path, who, res.Code, res.Body)
		}
		var l list
		if err := json.Unmarshal(res.Body.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		return l, res.Body.Bytes()
	}
	reviewOf := func(l list) *reviewOut {
		for _, sc := range l.Scenes {
			for _, f := range sc.Flags {
				if f.ID == w.flag.ID {
					return f.Review
				}
			}
		}
		t.Fatalf("flag %d is not in the list", w.flag.ID)
		return nil
	}
	before, beforeBody := read("ic")
	if r := reviewOf(before); r != nil {
		t.Fatalf("the flag has a review before any: %+v", r)
	}
	if _, again := read("producer"); !bytes.Equal(again, beforeBody) {
		t.Fatal("the producer and the IC read different lists of the same moment")
	}
	w.json(call{method: "POST", path: "/api/v1/flags/" + itoa(w.flag.ID) + "/review", cred: cred{token: w.tokens["ic"]},
		body: jsonBody(map[string]any{"decision": "dismissed", "note": "a handshake"})}, http.StatusOK, nil)
	after, _ := read("producer")
	if r := reviewOf(after); r == nil || r.Decision != "dismissed" || r.Note != "a handshake" {
		t.Fatalf("after the review the list shows %+v", r)
	}
	mine, _ := read("performer")
	if len(mine.Scenes) == 0 || len(mine.Scenes) >= len(after.Scenes) {
		t.Fatalf("the performer reads %d scenes of %d: want only theirs", len(mine.Scenes), len(after.Scenes))
	}
	for _, sc := range mine.Scenes {
		if !slices.ContainsFunc(sc.Present, func(c string) bool { return strings.EqualFold(c, w.performer.Characters[0]) }) {
			t.Errorf("the performer's list holds scene %s, where %s is not", sc.Number, w.performer.Characters[0])
		}
	}
}
