package consent

import (
	"fmt"
	"strings"

	"closedset/auth"
	"closedset/production"
)

// The shoot day's gates (issue 13): every department request of the
// scene done, and its closed-set list approved by an IC and an AD with
// stills only where every performer of the plan consented to them.

// RuleStills names the refusal of a closed-set list that allows stills
// some performer of the plan has not consented to.
const RuleStills = "stills_need_consent"

// requestsGate names each request not done by its department and number
// and says its state: never its text, which a performer's blocker need
// not repeat.
func requestsGate(f Facts) []Blocker {
	var out []Blocker
	for _, r := range f.Requests {
		if r.State == production.RequestDone {
			continue
		}
		out = append(out, Blocker{Gate: GateRequests, Detail: r.Describe() + ": " + r.State.Label()})
	}
	return out
}

func closedSetGate(f Facts) []Blocker {
	cs := f.ClosedSet
	if cs == nil {
		return []Blocker{{Gate: GateClosedSet, Detail: "no closed-set list"}}
	}
	var out []Blocker
	if missing := cs.Missing(); len(missing) > 0 {
		var who []string
		for _, r := range missing {
			who = append(who, approverName[r])
		}
		out = append(out, Blocker{Gate: GateClosedSet, Detail: fmt.Sprintf("closed-set list version %d awaits approval by %s", cs.Version, strings.Join(who, " and "))})
	}
	if err := CheckStills(cs.List, f.Plan, f.Performers); err != nil {
		if re, ok := asViolation(err); ok {
			out = append(out, Blocker{Gate: GateClosedSet, PerformerID: re.PerformerID, Detail: re.Msg})
		}
	}
	return out
}

var approverName = map[auth.Role]string{auth.IC: "an IC", auth.AD: "an AD"}

// CheckStills refuses (RuleViolation RuleStills) a closed-set list that
// allows stills unless the scene has a plan and every performer it names
// consents to stills in it (PerformerPlan.Stills): no stills without the
// performer's consent [contract: SAG-AFTRA 2020]. The message names the
// first performer without it, by name (cast) or id.
func CheckStills(cs production.ClosedSet, plan *Plan, cast []production.Performer) error {
	if !cs.Stills {
		return nil
	}
	if plan == nil {
		return violation(RuleStills, 0, "stills", "stills need every performer's consent in the scene's plan, and the scene has no plan")
	}
	for _, pp := range plan.sortedPerformers() {
		if pp.Stills {
			continue
		}
		p := production.Performer{ID: pp.PerformerID}
		for _, c := range cast {
			if c.ID == pp.PerformerID {
				p = c
			}
		}
		return violation(RuleStills, p.ID, "stills", "stills need every performer's consent in the plan: %s has not consented to stills", name(p))
	}
	return nil
}
