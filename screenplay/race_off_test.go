//go:build !race

package screenplay

const raceOn = false
