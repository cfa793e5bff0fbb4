package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"closedset/audit"
	"closedset/auth"
	"closedset/production"

	"github.com/chromedp/chromedp"
)

// gridLayout is what TestBrowserConsentGridOfThirtyOnAPhone measures of
// the consent grid in the browser.
type gridLayout struct {
	PageOverflow   bool     // the page itself scrolls sideways
	WrapScrolls    bool     // the grid's box scrolls sideways
	Scrolled       float64  // how far it scrolled
	SceneVisible   bool     // the first scene cell is what is at its place after scrolling
	SceneLeft      float64  // the scene cell's left edge after scrolling
	WrapLeft       float64  // the box's left edge
	LastVisible    bool     // the last performer's column is in the box after scrolling
	BrokenWords    []string // words laid out on more than one line
	Columns        int      // performer columns
	SceneCellWidth float64
}

// measureGrid scrolls the grid's box to its right end and measures.
const measureGrid = `(() => {
  const wrap = document.querySelector('.grid-wrap');
  const out = {PageOverflow: document.documentElement.scrollWidth > window.innerWidth + 1,
    WrapScrolls: wrap.scrollWidth > wrap.clientWidth + 1, BrokenWords: [],
    Columns: document.querySelectorAll('.grid thead th').length - 3};
  for (const cell of document.querySelectorAll('.grid th, .grid td')) {
    if (cell.offsetParent === null) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = walker.nextNode())) {
      if (n.parentElement.closest('.sr-only')) continue;
      const re = /\S+/g; let m;
      while ((m = re.exec(n.data))) {
        const r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) out.BrokenWords.push(m[0]);
      }
    }
  }
  const cell = document.querySelector('.grid tbody .scene-cell');
  cell.scrollIntoView({block: 'center'});
  wrap.scrollLeft = wrap.scrollWidth;
  out.Scrolled = wrap.scrollLeft;
  const r = cell.getBoundingClientRect(), w = wrap.getBoundingClientRect();
  out.SceneLeft = r.left; out.WrapLeft = w.left; out.SceneCellWidth = r.width;
  const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + Math.min(r.height / 2, 12));
  out.SceneVisible = cell.contains(hit);
  const heads = document.querySelectorAll('.grid thead th');
  const last = heads[heads.length - 1].getBoundingClientRect();
  out.LastVisible = last.right <= w.right + 1 && last.left >= w.left;
  return out;
})()`

// TestBrowserConsentGridOfThirtyOnAPhone: the consent grid of a
// production with 30 performers, on a 390-pixel phone and a desktop: the
// table scrolls sideways inside its box (the page does not), the scene
// column stays in view when it does, and no word in any cell is broken
// across lines ("schedule d"). Screenshots of the grid and the production
// page at both widths go to the artifacts folder.
func TestBrowserConsentGridOfThirtyOnAPhone(t *testing.T) {
	ctx := startBrowser(t)
	st := browserStore(t)
	seed := context.Background()
	ida, err := st.CreateUser(seed, audit.Actor{Name: "test"}, auth.NewUser{Email: "ida@example.com", Name: "Ida Okafor", PasswordHash: browserHash})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Ops: testOps(t, st), CSRFKey: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)
	prod, err := st.CreateProduction(seed, ida.Actor(), production.NewProduction{Title: "Harbor Lights", Policy: "sag_aftra", TimeZone: "America/Los_Angeles", Role: auth.IC})
	if err != nil {
		t.Fatal(err)
	}
	ic := &request{User: ida, ProductionID: prod.ID, Roles: auth.RolesOf(auth.IC)}
	script, err := os.ReadFile(filepath.Join("..", "screenplay", "testdata", "twins", "harbor.fountain"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.ops.UploadScript(seed, ic.caller(), 0, "harbor.fountain", script); err != nil {
		t.Fatal(err)
	}
	scenes, err := st.CurrentScenes(seed, prod.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The characters of the flagged scenes are played first, so those
	// columns have states; the rest play extras. Names are long, as real
	// ones are.
	var characters []string
	for _, sc := range scenes {
		if len(sc.Flagged()) > 0 {
			for _, c := range sc.Characters {
				if !slices.Contains(characters, c) {
					characters = append(characters, c)
				}
			}
		}
	}
	if len(characters) == 0 {
		t.Fatal("no characters in the flagged scenes of harbor.fountain")
	}
	for i := range 30 {
		ch := fmt.Sprintf("EXTRA %d", i)
		if i < len(characters) {
			ch = characters[i]
		}
		name := fmt.Sprintf("Performer %02d Featherstonehaugh", i+1)
		if _, err := srv.createPerformer(seed, ic, performerIn{Name: name, DateOfBirth: "1990-01-01", Characters: []string{ch}}); err != nil {
			t.Fatal(err)
		}
	}
	grid := ts.URL + "/productions/" + itoa(prod.ID) + "/consents"
	signIn(t, ctx, ts.URL, ida.Email)

	for _, size := range []struct {
		name          string
		width, height int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		t.Run(size.name, func(t *testing.T) {
			step(t, ctx, "set the window", chromedp.EmulateViewport(size.width, size.height))
			step(t, ctx, "open the production page", chromedp.Navigate(ts.URL+"/productions/"+itoa(prod.ID)), chromedp.WaitVisible(chromedp.ID("scenes")))
			if w := value(t, ctx, "page width", chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > float64(size.width)+1 {
				t.Errorf("the production page is %.0f px wide at %d px", w, size.width)
			}
			shot(t, ctx, "production")
			viewShot(t, ctx, "production-top")
			step(t, ctx, "open the grid", chromedp.Navigate(grid), chromedp.WaitVisible(chromedp.CSS(".grid")))
			shot(t, ctx, "grid")
			g := value(t, ctx, "measure the grid", chromedp.Evaluate[gridLayout](measureGrid))
			shot(t, ctx, "grid-scrolled")
			viewShot(t, ctx, "grid-scrolled-view")
			if g.Columns != 30 {
				t.Fatalf("the grid has %d performer columns, want 30", g.Columns)
			}
			if g.PageOverflow {
				t.Error("the page scrolls sideways: the grid's box should, not the page")
			}
			if !g.WrapScrolls || g.Scrolled <= 0 {
				t.Errorf("the grid's box does not scroll sideways (scrolled %.0f)", g.Scrolled)
			}
			if !g.SceneVisible || g.SceneLeft < g.WrapLeft-1 || g.SceneLeft > g.WrapLeft+8 {
				t.Errorf("scrolled to the right, the scene column is not in view at the box's left edge: %+v", g)
			}
			if !g.LastVisible {
				t.Error("scrolled to the right, the last performer's column is not in view")
			}
			if len(g.BrokenWords) > 0 {
				t.Errorf("words broken across lines: %q", g.BrokenWords)
			}
			if size.width == 390 && g.SceneCellWidth > 0.5*float64(size.width) {
				t.Errorf("on a phone the scene column takes %.0f of %d px", g.SceneCellWidth, size.width)
			}
		})
	}
}

// viewShot saves what the window shows, as a person sees it on the
// device (shot saves the whole page).
func viewShot(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	png := value(t, ctx, "screenshot "+what, chromedp.CaptureScreenshot())
	name := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name() + "-" + what)
	if err := os.WriteFile(filepath.Join(artifactsDir(t), name+".png"), png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", what, err)
	}
}
