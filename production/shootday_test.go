package production

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"closedset"
	"closedset/auth"
)

func TestRequestDueBeforeTheCall(t *testing.T) {
	call := time.Date(2026, 6, 15, 7, 0, 0, 0, time.UTC)
	ok := NewRequest{SceneID: 1, Department: auth.Costume, Text: "  two nude thongs, size S  ", Due: call.Add(-24 * time.Hour)}
	got, err := ok.Validate(&call)
	if err != nil || got.Text != "two nude thongs, size S" {
		t.Fatalf("Validate = %+v, %v", got, err)
	}
	if _, err := ok.Validate(nil); err != nil {
		t.Errorf("with no call time set: %v", err)
	}
	for name, edit := range map[string]func(*NewRequest){
		"due at the call":       func(r *NewRequest) { r.Due = call },
		"due after the call":    func(r *NewRequest) { r.Due = call.Add(time.Minute) },
		"no due time":           func(r *NewRequest) { r.Due = time.Time{} },
		"the producer":          func(r *NewRequest) { r.Department = auth.Producer },
		"no text":               func(r *NewRequest) { r.Text = " " },
		"a control character":   func(r *NewRequest) { r.Text = "a\x00b" },
		"a text over the limit": func(r *NewRequest) { r.Text = strings.Repeat("x", MaxRequestText+1) },
		"a negative performer":  func(r *NewRequest) { r.PerformerID = -1 },
	} {
		r := ok
		edit(&r)
		_, err := r.Validate(&call)
		var ce *closedset.Error
		if !closedset.Is(err, closedset.Invalid) || !asError(err, &ce) || ce.Field == "" {
			t.Errorf("%s: %v, want an invalid field", name, err)
		}
		if strings.HasPrefix(name, "due") && ce != nil && (ce.Field != "due" || !strings.Contains(ce.Msg, "before the scene's call time")) {
			t.Errorf("%s: %v, want the due field to say it must be before the call", name, err)
		}
	}
}

func asError(err error, ce **closedset.Error) bool {
	e, ok := err.(*closedset.Error)
	*ce = e
	return ok
}

func TestRequestStateChanges(t *testing.T) {
	tests := []struct {
		from, to RequestState
		note     string
		kind     closedset.Kind
	}{
		{RequestOpen, RequestInProgress, "", ""},
		{RequestOpen, RequestDone, "two nude thongs, size S, fitted", ""},
		{RequestOpen, RequestDone, "  ", closedset.Invalid},
		{RequestInProgress, RequestCantDo, "", closedset.Invalid},
		{RequestInProgress, RequestCantDo, "no supplier before Friday", ""},
		{RequestDone, RequestInProgress, "", ""}, // the garment did not fit
		{RequestDone, RequestDone, "again", closedset.Conflict},
		{RequestOpen, RequestOpen, "", closedset.Invalid},
		{RequestOpen, "finished", "", closedset.Invalid},
	}
	for _, tt := range tests {
		_, err := CheckChange(tt.from, tt.to, tt.note)
		if closedset.KindOf(err) != tt.kind {
			t.Errorf("%s -> %s (%q): %v, want kind %q", tt.from, tt.to, tt.note, err, tt.kind)
		}
	}
}

func TestDayScenes(t *testing.T) {
	if ids, err := CheckDayScenes(nil); err != nil || ids == nil || len(ids) != 0 {
		t.Errorf("no scenes: %v, %v; want an empty list", ids, err)
	}
	for _, bad := range [][]int64{{1, 2, 1}, {0}, {-3}, make([]int64, MaxDayScenes+1)} {
		if _, err := CheckDayScenes(bad); !closedset.Is(err, closedset.Invalid) {
			t.Errorf("%v: %v, want invalid", bad, err)
		}
	}
}

func closedSetBody() string {
	return `{"people": [{"name": "Ada Director", "role": "director", "where": "monitor"}, {"name": "Bo Operator", "role": "camera operator", "where": "set"}],
		"monitors": [{"where": "video village, behind flat B"}], "no_personal_devices": true, "stills": false, "robe_person": " Cy Robe "}`
}

func TestClosedSetNormalizes(t *testing.T) {
	cs, err := DecodeClosedSet(strings.NewReader(closedSetBody()))
	if err != nil {
		t.Fatal(err)
	}
	n, err := cs.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if n.RobePerson != "Cy Robe" || n.NoPersonalDevices == nil || !*n.NoPersonalDevices || len(n.OnSet()) != 1 || len(n.AtMonitor()) != 1 {
		t.Errorf("normalized: %+v", n)
	}
	// Leaving the field out is the rule itself.
	cs.NoPersonalDevices = nil
	m, err := cs.Normalize()
	if err != nil || m.Hash() != n.Hash() || !bytes.Equal(m.Canonical(), n.Canonical()) {
		t.Errorf("without no_personal_devices: %v; hash %s, want %s", err, m.Hash(), n.Hash())
	}
	no := false
	cs.NoPersonalDevices = &no
	if _, err := cs.Normalize(); !closedset.Is(err, closedset.RuleViolation) {
		t.Errorf("personal devices allowed: %v, want a rule violation", err)
	}
	cs.NoPersonalDevices = nil
	cs.Stills = true
	if s, _ := cs.Normalize(); s.Hash() == n.Hash() {
		t.Error("allowing stills kept the hash")
	}
	for field, body := range map[string]string{
		"people":            `{"people": [], "robe_person": "R"}`,
		"people[0].where":   `{"people": [{"name": "A", "role": "r", "where": "canteen"}], "robe_person": "R"}`,
		"people[0].name":    `{"people": [{"name": "", "role": "r", "where": "set"}], "robe_person": "R"}`,
		"monitors[0].where": `{"people": [{"name": "A", "role": "r", "where": "set"}], "monitors": [{"where": ""}], "robe_person": "R"}`,
		"robe_person":       `{"people": [{"name": "A", "role": "r", "where": "set"}]}`,
	} {
		cs, err := DecodeClosedSet(strings.NewReader(body))
		if err == nil {
			_, err = cs.Normalize()
		}
		var ce *closedset.Error
		if !asError(err, &ce) || ce.Field != field {
			t.Errorf("%s: %v, want an error naming %s", body, err, field)
		}
	}
	if _, err := DecodeClosedSet(strings.NewReader(`{"people": [], "PEOPLE": []}`)); !closedset.Is(err, closedset.Invalid) {
		t.Errorf("a repeated field in another case: %v", err)
	}
}

func TestClosedSetApprovalsNeedBothRoles(t *testing.T) {
	v := ClosedSetVersion{Version: 2, Approvals: []ClosedSetApproval{{Version: 1, Role: auth.IC}, {Version: 1, Role: auth.AD}, {Version: 2, Role: auth.AD}}}
	if v.Approved() || v.ApprovedBy(auth.IC) || !v.ApprovedBy(auth.AD) {
		t.Errorf("version 2 with only its AD's approval: approved %v", v.Approved())
	}
	if m := v.Missing(); len(m) != 1 || m[0] != auth.IC {
		t.Errorf("missing %v, want ic", m)
	}
	v.Approvals = append(v.Approvals, ClosedSetApproval{Version: 2, Role: auth.IC})
	if !v.Approved() {
		t.Error("approved by both: not approved")
	}
}

// FuzzClosedSetJSON decodes arbitrary closed-set bodies: decoding and
// normalizing never panic, errors are the user's (invalid or a rule),
// and a normalized list's canonical bytes decode to the same list.
func FuzzClosedSetJSON(f *testing.F) {
	f.Add([]byte(closedSetBody()))
	f.Fuzz(func(t *testing.T, body []byte) {
		cs, err := DecodeClosedSet(bytes.NewReader(body))
		if err != nil {
			if k := closedset.KindOf(err); k != closedset.Invalid {
				t.Fatalf("decode error of kind %q: %v", k, err)
			}
			return
		}
		n, err := cs.Normalize()
		if err != nil {
			if k := closedset.KindOf(err); k != closedset.Invalid && k != closedset.RuleViolation {
				t.Fatalf("normalize error of kind %q: %v", k, err)
			}
			return
		}
		back, err := DecodeClosedSet(bytes.NewReader(n.Canonical()))
		if err != nil {
			t.Fatalf("canonical does not decode: %v\n%s", err, n.Canonical())
		}
		again, err := back.Normalize()
		if err != nil || again.Hash() != n.Hash() {
			t.Fatalf("canonical round trip: %v, hash changed", err)
		}
	})
}
