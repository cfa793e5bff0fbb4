package screenplay

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
