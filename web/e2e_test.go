package web

import (
	"context"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"closedset/audit"
)

// TestAPIEndToEnd walks one production through the API as its people
// would: a producer creates it and adds an IC and a director, the IC
// uploads the script, reads the breakdown, confirms a flag, uploads the
// next draft and reads the intimacy diff. Every write leaves exactly one
// audit event, and the chain verifies.
func TestAPIEndToEnd(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	producer := e.user("pat@example.org", "Pat Producer", false)
	ic := e.user("ivy@example.org", "Ivy Coordinator", false)
	director := e.user("dan@example.org", "Dan Director", false)
	pt, it, dt := cred{token: e.token(producer)}, cred{token: e.token(ic)}, cred{token: e.token(director)}
	events := func() int { return e.counts(nil, nil).events }
	start := events()
	writes := 0
	write := func(c call, want int, out any) {
		t.Helper()
		e.json(c, want, out)
		writes++
	}

	var prod struct {
		ID       int64
		Title    string
		TimeZone string `json:"time_zone"`
		Roles    []string
	}
	write(call{method: "POST", path: "/api/v1/productions", body: jsonBody(map[string]string{"title": "Harbor Lights", "policy": "sag_aftra"}), cred: pt}, http.StatusCreated, &prod)
	if prod.TimeZone != "America/Los_Angeles" || !slices.Equal(prod.Roles, []string{"producer"}) {
		t.Errorf("production %+v: want sag_aftra's usual time zone and the creator as producer", prod)
	}
	base := "/api/v1/productions/" + itoa(prod.ID)
	// Members join through invitations, accounts or not: an invitation
	// (one event), then the invitee's joining (two: the invitation used,
	// the membership).
	e.addMember(prod.ID, pt, ic.Email, "ic", it)
	e.addMember(prod.ID, pt, director.Email, "director", dt)
	writes += 2 * 3
	// An email without an account is invited: a one-time link to send.
	var invited struct {
		Invitation struct {
			Email, Role, State, URL string
		}
	}
	write(call{method: "POST", path: base + "/members", body: jsonBody(map[string]string{"email": "nobody@example.org", "role": "director"}), cred: pt}, http.StatusCreated, &invited)
	if inv := invited.Invitation; inv.Email != "nobody@example.org" || inv.Role != "director" || inv.State != "pending" || !strings.Contains(inv.URL, "/invitations/csi_") {
		t.Errorf("inviting an unknown email: %+v", invited)
	}

	var members struct {
		Members []struct {
			UserID int64 `json:"user_id"`
			Email  string
			Roles  []string
		}
	}
	e.json(call{method: "GET", path: base + "/members", cred: dt}, http.StatusOK, &members)
	if len(members.Members) != 3 {
		t.Errorf("members: %+v", members)
	}

	// The IC uploads the first draft.
	harbor, err := os.ReadFile("../screenplay/testdata/twins/harbor.fountain")
	if err != nil {
		t.Fatal(err)
	}
	var up struct {
		Revision struct {
			ID     int64
			Script int64 `json:"script_id"`
			Seq    int
			Scenes int
		}
		Summary struct {
			Scenes, Flagged int
			ByCategory      map[string]int `json:"by_category"`
		}
	}
	write(call{method: "POST", path: base + "/scripts?filename=harbor.fountain", body: strReader(string(harbor)), contentType: "text/plain", cred: it}, http.StatusCreated, &up)
	if up.Revision.Seq != 1 || up.Summary.Scenes != 11 || up.Summary.Flagged == 0 || up.Summary.ByCategory["kissing"] == 0 {
		t.Errorf("upload: %+v", up)
	}
	rev1 := up.Revision.ID

	var file = e.do(call{method: "GET", path: "/api/v1/revisions/" + itoa(rev1) + "/file", cred: dt})
	if file.Code != 200 || file.Body.String() != string(harbor) || !strings.HasPrefix(file.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("file: %d, %d bytes, %q", file.Code, file.Body.Len(), file.Header().Get("Content-Disposition"))
	}

	// The breakdown, with evidence.
	type flagJSON struct {
		ID         int64
		Category   string
		Confidence float64
		Evidence   []struct {
			Line int
			Text string
		}
		Characters []string
		Review     *struct {
			Decision string
			Note     string
			By       struct {
				ID   int64
				Name string
			}
			At          string
			CarriedFrom int `json:"carried_from_revision"`
		}
	}
	type sceneJSON struct {
		ID         int64
		RevisionID int64 `json:"revision_id"`
		Index      int
		Number     string
		Heading    string
		Eighths    int
		Characters []string
		Flags      []flagJSON
		NeedsIC    bool `json:"needs_ic"`
	}
	var scenes struct{ Scenes []sceneJSON }
	e.json(call{method: "GET", path: base + "/scenes", cred: dt}, http.StatusOK, &scenes)
	if len(scenes.Scenes) != 11 {
		t.Fatalf("%d scenes, want 11", len(scenes.Scenes))
	}
	bedroom := scenes.Scenes[4]
	if bedroom.Number != "5" || !bedroom.NeedsIC || len(bedroom.Flags) == 0 || len(bedroom.Flags[0].Evidence) == 0 || bedroom.Flags[0].Evidence[0].Line == 0 {
		t.Fatalf("scene 5: %+v", bedroom)
	}
	flag := bedroom.Flags[0]
	if flag.Review != nil {
		t.Errorf("a new flag has a review: %+v", flag.Review)
	}

	// Only an IC reviews flags.
	w := e.do(call{method: "POST", path: "/api/v1/flags/" + itoa(flag.ID) + "/review", body: jsonBody(map[string]string{"decision": "confirmed"}), cred: dt})
	if w.Code != http.StatusForbidden {
		t.Errorf("director reviewing: %d", w.Code)
	}
	w = e.do(call{method: "POST", path: "/api/v1/flags/" + itoa(flag.ID) + "/review", body: jsonBody(map[string]string{"decision": "maybe"}), cred: it})
	if _, msg := errorCode(t, w); w.Code != http.StatusBadRequest || !strings.Contains(msg, "maybe") {
		t.Errorf("unknown decision: %d %q", w.Code, msg)
	}
	var reviewed flagJSON
	write(call{method: "POST", path: "/api/v1/flags/" + itoa(flag.ID) + "/review", body: jsonBody(map[string]string{"decision": "confirmed", "note": "kiss, closed mouth per director"}), cred: it}, http.StatusOK, &reviewed)
	var one sceneJSON
	e.json(call{method: "GET", path: "/api/v1/scenes/" + itoa(bedroom.ID), cred: dt}, http.StatusOK, &one)
	rv := one.Flags[0].Review
	if rv == nil || rv.Decision != "confirmed" || rv.By.ID != ic.ID || rv.By.Name != ic.Name || rv.At == "" || rv.Note == "" {
		t.Errorf("review as read back: %+v", rv)
	}

	// The morgue (scene 8) is the same in the next draft: its review will
	// carry over; scene 5's, whose text changes, will not.
	var morgue sceneJSON
	for _, sc := range scenes.Scenes {
		if sc.Number == "8" {
			morgue = sc
		}
	}
	if len(morgue.Flags) == 0 {
		t.Fatalf("scene 8 is not flagged: %+v", morgue)
	}
	write(call{method: "POST", path: "/api/v1/flags/" + itoa(morgue.Flags[0].ID) + "/review", body: jsonBody(map[string]string{"decision": "dismissed", "note": "covered body, no IC"}), cred: it}, http.StatusOK, &reviewed)

	// The next draft: scene 5 rewritten, a new scene 10B on the boat.
	v2, err := os.ReadFile("testdata/harbor-v2.fountain")
	if err != nil {
		t.Fatal(err)
	}
	write(call{method: "POST", path: base + "/scripts?filename=harbor-pink.fountain&script_id=" + itoa(up.Revision.Script), body: strReader(string(v2)), contentType: "text/plain", cred: it}, http.StatusCreated, &up)
	if up.Revision.Seq != 2 {
		t.Errorf("second draft seq %d", up.Revision.Seq)
	}
	var scripts struct {
		Scripts []struct {
			ID        int64
			Revisions []struct{ ID int64 }
		}
	}
	e.json(call{method: "GET", path: base + "/scripts", cred: dt}, http.StatusOK, &scripts)
	if len(scripts.Scripts) != 1 || len(scripts.Scripts[0].Revisions) != 2 {
		t.Errorf("scripts: %+v", scripts)
	}
	e.json(call{method: "GET", path: base + "/scenes", cred: dt}, http.StatusOK, &scenes)
	if len(scenes.Scenes) != 12 || scenes.Scenes[0].RevisionID != up.Revision.ID {
		t.Errorf("current scenes: %d of revision %d", len(scenes.Scenes), scenes.Scenes[0].RevisionID)
	}
	for _, sc := range scenes.Scenes {
		for _, f := range sc.Flags {
			switch {
			case sc.Number == "8" && f.Category == morgue.Flags[0].Category:
				if f.Review == nil || f.Review.Decision != "dismissed" || f.Review.By.ID != ic.ID || f.Review.CarriedFrom != 1 {
					t.Errorf("scene 8 %s in the new draft: review %+v, want the dismissal carried from revision 1", f.Category, f.Review)
				}
			case f.Review != nil:
				t.Errorf("scene %s %s in the new draft has review %+v: only an unchanged scene keeps one", sc.Number, f.Category, f.Review)
			}
		}
	}
	var old struct{ Scenes []sceneJSON }
	e.json(call{method: "GET", path: base + "/scenes?revision=" + itoa(rev1), cred: dt}, http.StatusOK, &old)
	if len(old.Scenes) != 11 {
		t.Errorf("scenes of revision 1: %d", len(old.Scenes))
	}

	var d struct {
		Old, New struct{ ID int64 }
		Changes  []struct {
			Change   string
			OldScene *struct{ Number string } `json:"old_scene"`
			NewScene *struct {
				ID      int64
				Number  string
				Heading string
			} `json:"new_scene"`
			FlagsAdded  []string `json:"flags_added"`
			TextChanged bool     `json:"text_changed"`
			TextChanges []struct {
				Edits []struct{ Op, Text string }
			} `json:"text_changes"`
		}
	}
	e.json(call{method: "GET", path: "/api/v1/revisions/" + itoa(up.Revision.ID) + "/diff", cred: dt}, http.StatusOK, &d)
	if d.Old.ID != rev1 || d.New.ID != up.Revision.ID {
		t.Errorf("diff of %d against %d", d.New.ID, d.Old.ID)
	}
	var changed, added bool
	for _, c := range d.Changes {
		switch {
		case c.Change == "changed" && c.OldScene != nil && c.OldScene.Number == "5" && c.TextChanged:
			// The changed words are shown, not only "text changed".
			for _, p := range c.TextChanges {
				changed = changed || slices.ContainsFunc(p.Edits, func(e struct{ Op, Text string }) bool { return e.Op != "same" && e.Text != "" })
			}
		case c.Change == "added" && c.OldScene == nil && c.NewScene != nil && c.NewScene.Number == "10B" && slices.Contains(c.FlagsAdded, "nudity"):
			added = true
		}
	}
	if !changed || !added {
		t.Errorf("diff %+v: want scene 5 changed and scene 10B added with nudity", d.Changes)
	}

	// One audit event per write, and the chain holds.
	if got := events() - start; got != writes {
		t.Errorf("%d audit events for %d writes", got, writes)
	}
	if _, err := audit.Verify(e.st.AuditEvents(ctx)); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}
