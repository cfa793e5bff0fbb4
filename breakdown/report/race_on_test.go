//go:build race

package report

// raceOn: tests of one goroutine over the whole corpus are left to the run
// without the race detector, which slows them fivefold.
const raceOn = true
