package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRidersBoardFollowsEachPerformer: the IC's riders board shows the
// performer's newest rider delivered and awaiting her signature and the
// older one superseded; issuing again for the same plans answers the
// delivered rider (200) and makes no duplicate; the page names whose move
// it is and links each rider; an AD may not see the board.
func TestRidersBoardFollowsEachPerformer(t *testing.T) {
	w := newWorld(t)
	ic := cred{token: w.tokens["ic"]}
	issue := fmt.Sprintf("/api/v1/productions/%d/performers/%d/riders", w.prod.ID, w.performer.ID)
	var again riderOut
	w.json(call{method: "POST", path: issue, cred: ic}, http.StatusOK, &again)
	if again.ID != w.rider.ID {
		t.Fatalf("issuing again for the same plans answered rider %d, want the delivered %d", again.ID, w.rider.ID)
	}
	var board riderBoardOut
	w.json(call{method: "GET", path: fmt.Sprintf("/api/v1/productions/%d/riders", w.prod.ID), cred: ic}, http.StatusOK, &board)
	var line *riderLineOut
	for i := range board.Performers {
		if board.Performers[i].PerformerID == w.performer.ID {
			line = &board.Performers[i]
		}
	}
	if line == nil {
		t.Fatalf("the board has no line for the performer: %+v", board)
	}
	if line.Awaiting != "signature" || len(line.Riders) != 2 || line.Riders[0].ID != w.rider.ID ||
		line.Riders[0].State != "delivered" || line.Riders[1].State != "superseded" {
		t.Fatalf("board line = %+v; want rider %d delivered awaiting her signature, the signed one superseded", line, w.rider.ID)
	}
	page := w.do(call{method: "GET", path: fmt.Sprintf("/productions/%d/riders", w.prod.ID), cred: ic})
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "Awaiting Nora Player&#39;s signature") ||
		!strings.Contains(body, fmt.Sprintf(`href="/riders/%d"`, w.rider.ID)) || !strings.Contains(body, fmt.Sprintf(`href="/riders/%d"`, w.signedRider.ID)) {
		t.Fatalf("riders page: status %d, body %s", page.Code, body)
	}
	if got := w.do(call{method: "GET", path: fmt.Sprintf("/api/v1/productions/%d/riders", w.prod.ID), cred: cred{token: w.tokens["ad"]}}); got.Code != http.StatusForbidden {
		t.Fatalf("an AD reading the riders board: status %d, want 403", got.Code)
	}
}
