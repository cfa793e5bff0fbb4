package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"regexp"
	"slices"
	"strings"
	"testing"

	"closedset/auth"
	"closedset/cmd/closedset/demo"
	"closedset/ops"
	"closedset/production"
	"closedset/seal"
)

// TestFirstStartCreatesAdminAndDemo: on an empty store the first start
// makes the admin, prints its one-time password once, and loads the demo
// production with both revisions, the admin as its IC (and nothing else:
// an IC is never also its producer).
func TestFirstStartCreatesAdminAndDemo(t *testing.T) {
	ctx := context.Background()
	st := openPath(t, newDB(t))
	var term bytes.Buffer
	if err := firstStart(ctx, st, demoOps(t, st), "http://127.0.0.1:8080/signin", &term); err != nil {
		t.Fatal(err)
	}
	out := term.String()
	m := regexp.MustCompile(`password:  ([a-z2-7]{5}(-[a-z2-7]{5}){3})\n`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "http://127.0.0.1:8080/signin") || !strings.Contains(out, "admin@localhost") {
		t.Fatalf("terminal output lacks the sign-in details:\n%s", out)
	}
	admin, err := st.UserByEmail(ctx, "admin@localhost")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := auth.CheckPassword(admin.PasswordHash, m[1]); !ok || err != nil || !admin.Admin || admin.Name != "Admin" {
		t.Fatalf("admin %+v does not sign in with the printed password (%v)", admin, err)
	}
	ps, err := st.ProductionsOf(ctx, admin.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("admin's productions: %+v, %v", ps, err)
	}
	p := ps[0]
	if p.Title != demo.Title || p.Policy != "sag_aftra" || p.TimeZone != "Europe/London" || p.Roles != auth.RolesOf(auth.IC) {
		t.Errorf("demo production %+v", p)
	}
	scripts, err := st.Scripts(ctx, p.ID)
	if err != nil || len(scripts) != 1 || len(scripts[0].Revisions) != 2 {
		t.Fatalf("demo scripts: %+v, %v", scripts, err)
	}
	white, blue := scripts[0].Revisions[0], scripts[0].Revisions[1]
	if white.Colour != "white" || blue.Colour != "blue" || white.SceneCount != 18 || blue.SceneCount != 18 || blue.FlaggedCount != 5 {
		t.Errorf("revisions: white %+v, blue %+v", white, blue)
	}
	scenes, err := st.CurrentScenes(ctx, p.ID)
	if err != nil || len(scenes) != 18 {
		t.Fatalf("current scenes: %d, %v", len(scenes), err)
	}
	cast, err := st.Performers(ctx, p.ID)
	if err != nil || len(cast) != len(demo.Cast()) {
		t.Fatalf("demo cast: %+v, %v", cast, err)
	}
	planned := 0
	for _, sc := range scenes {
		if _, err := st.Plan(ctx, sc.ID); err == nil {
			planned++
			if sc.Number != demo.PlannedScene {
				t.Errorf("scene %s has a plan, want only %s", sc.Number, demo.PlannedScene)
			}
			if in, err := st.ScenePerformers(ctx, sc.ID); err != nil || len(in) != 2 {
				t.Errorf("performers of the planned scene: %+v, %v", in, err)
			}
		}
	}
	if planned != 1 {
		t.Errorf("%d planned scenes, want 1", planned)
	}
	// The planned scene's shoot day is prepared as far as the IC alone
	// can: its request done, its closed set awaiting only an AD.
	for _, sc := range scenes {
		if sc.Number != demo.PlannedScene {
			continue
		}
		rs, err := st.SceneRequests(ctx, sc.ID)
		if err != nil || len(rs) != 1 || rs[0].State != production.RequestDone {
			t.Errorf("the planned scene's requests: %+v, %v", rs, err)
		}
		cs, err := st.ClosedSet(ctx, sc.ID)
		if err != nil || !cs.ApprovedBy(auth.IC) || cs.Approved() {
			t.Errorf("the planned scene's closed set: %+v, %v; want the IC's approval only", cs, err)
		}
	}
	// Scene 8, the love scene, has no line of dialogue: Mara and Tomas are
	// in it all the same, and so are their performers.
	for _, sc := range scenes {
		if sc.Number != "8" {
			continue
		}
		in, err := st.ScenePerformers(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, pf := range in {
			names = append(names, pf.Name)
			if !ops.Plays(pf, sc) {
				t.Errorf("ops.Plays(%s, scene 8) = false", pf.Name)
			}
		}
		if len(sc.Speaking) != 0 || !slices.Contains(sc.Present, "MARA") || !slices.Contains(sc.Present, "TOMAS") || len(in) != 2 {
			t.Errorf("scene 8 %q: speaking %q, present %q, performers %q; want MARA and TOMAS present, and their two performers",
				sc.Heading, sc.Speaking, sc.Present, names)
		}
	}

	term.Reset()
	if err := firstStart(ctx, st, demoOps(t, st), "http://127.0.0.1:8080/signin", &term); err != nil || term.Len() != 0 {
		t.Errorf("second start printed %q, %v; want nothing", term.String(), err)
	}
	if n, _ := st.CountUsers(ctx); n != 1 {
		t.Errorf("%d users after a second start, want 1", n)
	}
}

// TestFirstStartSkippedWhenUsersExist: an installation whose operator made
// their own admin gets no admin@localhost and no demo.
func TestFirstStartSkippedWhenUsersExist(t *testing.T) {
	ctx := context.Background()
	st := openPath(t, newDB(t))
	u := addUser(t, st, "ops@example.org", "Ops", true)
	var term bytes.Buffer
	if err := firstStart(ctx, st, demoOps(t, st), "http://x/signin", &term); err != nil || term.Len() != 0 {
		t.Fatalf("printed %q, %v", term.String(), err)
	}
	if ps, _ := st.ProductionsOf(ctx, u.ID); len(ps) != 0 {
		t.Errorf("demo loaded for an existing installation: %+v", ps)
	}
}

func TestOneTimePasswordsDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw, err := oneTimePassword(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != 23 || seen[pw] {
			t.Fatalf("password %q (length %d, seen before %v)", pw, len(pw), seen[pw])
		}
		seen[pw] = true
	}
}

// demoOps are the operations over st with a test seal key.
func demoOps(t testing.TB, st ops.Store) *ops.Ops {
	t.Helper()
	o, err := ops.New(ops.Config{Store: st, SealKey: seal.Key(bytes.Repeat([]byte{7}, 32))})
	if err != nil {
		t.Fatal(err)
	}
	return o
}
