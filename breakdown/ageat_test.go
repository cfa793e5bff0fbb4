package breakdown

import (
	"math/rand/v2"
	"testing"
)

// TestAgeAtMatchesTheScriptOrderReading checks the binary search against
// the plain reading of the rule on random lists: the last age stated at or
// before the scene, else the first after, a flashback's only in its scene.
func TestAgeAtMatchesTheScriptOrderReading(t *testing.T) {
	linear := func(list []age, scene int) (age, bool) {
		var best age
		found := false
		for _, ag := range list {
			switch {
			case ag.scoped && ag.scene != scene:
				continue
			case ag.scene <= scene, !found:
				best, found = ag, true
			}
		}
		return best, found
	}
	r := rand.New(rand.NewPCG(1, 15))
	for range 2000 {
		var list []age
		for s := 1; s < 30; s++ {
			for range r.IntN(3) * r.IntN(2) {
				list = append(list, age{years: r.IntN(60), scene: s, scoped: r.IntN(3) == 0})
			}
		}
		a := &analyzer{ages: map[string][]age{"NORA": list}, unscoped: map[string][]int{}}
		for k, ag := range list {
			if !ag.scoped {
				a.unscoped["NORA"] = append(a.unscoped["NORA"], k)
			}
		}
		for scene := 0; scene < 32; scene++ {
			want, wok := linear(list, scene)
			got, gok := a.ageAt("NORA", scene)
			if got != want || gok != wok {
				t.Fatalf("scene %d of %+v: got %+v %v, want %+v %v", scene, list, got, gok, want, wok)
			}
		}
	}
}
