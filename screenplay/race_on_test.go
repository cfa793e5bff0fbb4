//go:build race

package screenplay

// raceOn: the race detector slows inflating tenfold, so full-size bombs
// are left to the tests run without it.
const raceOn = true
