package consent

import (
	"testing"
	"time"
)

func TestConsentState(t *testing.T) {
	given := Consent{PerformerID: 7, SceneID: 12, PlanHash: "p1", SceneTextHash: "t1", GivenAt: at("2026-06-12T10:00:00Z")}
	withdrawn := given
	withdrawn.Withdrawal = withdrawnAt(at("2026-06-13T10:00:00Z"))
	tests := []struct {
		name       string
		c          *Consent
		plan, text string
		want       State
		why        string
	}{
		{"none", nil, "p1", "t1", None, ""},
		{"current", &given, "p1", "t1", Current, ""},
		{"plan changed", &given, "p2", "t1", Stale, "plan changed since signing"},
		{"scene text changed", &given, "p1", "t2", Stale, "scene text changed since signing"},
		{"both changed", &given, "p2", "t2", Stale, "plan and scene text changed since signing"},
		{"no plan any more", &given, "", "t1", Stale, "plan changed since signing"},
		{"withdrawn, hashes current", &withdrawn, "p1", "t1", Withdrawn, ""},
		{"withdrawn wins over stale", &withdrawn, "p2", "t2", Withdrawn, ""},
		{"a consent with no hashes never counts", &Consent{}, "", "", Stale, "plan and scene text changed since signing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StateOf(tt.c, tt.plan, tt.text); got != tt.want {
				t.Errorf("StateOf = %s, want %s", got, tt.want)
			}
			if got := StaleReason(tt.c, tt.plan, tt.text); got != tt.why {
				t.Errorf("StaleReason = %q, want %q", got, tt.why)
			}
		})
	}
}

func TestLatestConsentAndWithdrawal(t *testing.T) {
	t1, t2, t3 := at("2026-06-10T10:00:00Z"), at("2026-06-11T10:00:00Z"), at("2026-06-12T10:00:00Z")
	old := Consent{ID: 1, PerformerID: 7, SceneID: 12, PlanHash: "p1", SceneTextHash: "t", GivenAt: t1, Withdrawal: withdrawnAt(t2)}
	again := Consent{ID: 2, PerformerID: 7, SceneID: 12, PlanHash: "p1", SceneTextHash: "t", GivenAt: t3}
	other := Consent{ID: 3, PerformerID: 8, SceneID: 12, PlanHash: "p1", SceneTextHash: "t", GivenAt: t3}
	tests := []struct {
		name     string
		consents []Consent
		want     State
	}{
		{"no consent", []Consent{other}, None},
		{"withdrawn", []Consent{old, other}, Withdrawn},
		{"signed again after withdrawing", []Consent{old, again}, Current},
		{"a withdrawal recorded on an older consent after the newer one was given", []Consent{
			{ID: 1, PerformerID: 7, SceneID: 12, PlanHash: "p1", SceneTextHash: "t", GivenAt: t1, Withdrawal: withdrawnAt(t3.Add(time.Hour))},
			again}, Withdrawn},
		{"another scene's consent does not count", []Consent{{PerformerID: 7, SceneID: 13, PlanHash: "p1", SceneTextHash: "t", GivenAt: t3}}, None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StateOf(Latest(tt.consents, 7, 12), "p1", "t"); got != tt.want {
				t.Errorf("state = %s, want %s", got, tt.want)
			}
		})
	}
	// Latest never edits the caller's consents.
	cs := []Consent{{ID: 1, PerformerID: 7, SceneID: 12, GivenAt: t1, Withdrawal: withdrawnAt(t3)}, again}
	Latest(cs, 7, 12)
	if cs[1].Withdrawal != nil {
		t.Error("Latest marked the caller's consent withdrawn")
	}
}
