package web

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"closedset/ops"
	"closedset/screenplay"
)

// TestBreakdownFDXRoundTrips is issue 17's bar for Final Draft out: the
// export of a revision, read again by closedset, is the same scenes, and
// every flagged scene carries an Intimacy tag for each of its categories
// (none for a scene with no flag).
func TestBreakdownFDXRoundTrips(t *testing.T) {
	l := newLedger(t, "Europe/London")
	l.performer("nora", "Nora Vance", "1990-05-01", "NORA")
	rev := l.scenes["5"].RevisionID
	w := l.do(call{method: "GET", path: "/api/v1/revisions/" + itoa(rev) + "/breakdown.fdx", cred: l.as("ic")})
	if w.Code != http.StatusOK {
		t.Fatalf("export: %d %s", w.Code, w.Body)
	}
	data := w.Body.Bytes()
	script, err := screenplay.Read(data, screenplay.Options{Name: "export.fdx"})
	if err != nil {
		t.Fatalf("closedset cannot read its own export: %v", err)
	}
	scenes, err := l.srv.ops.Scenes(context.Background(), rev)
	if err != nil {
		t.Fatal(err)
	}
	if script.Format != screenplay.FDX || len(script.Scenes) != len(scenes) {
		t.Fatalf("read back as %s with %d scenes, want %d", script.Format, len(script.Scenes), len(scenes))
	}
	tags, err := screenplay.ReadFDXTags(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != len(scenes) {
		t.Fatalf("%d scenes with tags, want %d", len(tags), len(scenes))
	}
	flagged := 0
	for i, sc := range scenes {
		if tags[i].Number != sc.Number || tags[i].Heading != sc.Heading {
			t.Fatalf("scene %d read back as %q %q, want %q %q", i+1, tags[i].Number, tags[i].Heading, sc.Number, sc.Heading)
		}
		var got []string
		for _, tg := range tags[i].Tags {
			if tg.Category != ops.IntimacyCategory {
				t.Errorf("scene %s: tag %+v of another category", sc.Number, tg)
			}
			got = append(got, tg.Label)
		}
		want := sc.Flagged()
		if len(want) > 0 {
			flagged++
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("scene %s: Intimacy tags %v, want its categories %v", sc.Number, got, want)
		}
	}
	if flagged < 3 {
		t.Fatalf("only %d flagged scenes: the script is not the one the test means", flagged)
	}
	// Who reads only their own scenes may not have the whole script's.
	if w := l.do(call{method: "GET", path: "/api/v1/revisions/" + itoa(rev) + "/breakdown.fdx", cred: l.as("nora")}); w.Code != http.StatusForbidden {
		t.Fatalf("a performer's export: %d", w.Code)
	}
}
