//go:build unix

package web

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used so far, user and
// system: the load tests report it per request, a figure that holds on a
// shared machine where req/s moves with the neighbours' load.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
