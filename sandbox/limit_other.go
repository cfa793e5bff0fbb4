//go:build !linux

package sandbox

import (
	"os"
	"runtime/debug"
	"time"
)

// limit is the Go heap's soft limit only: address-space and CPU limits are
// set on Linux, where closedset runs; the parent's timeout still holds.
func limit(mem, cpu int64) error {
	if mem > 0 {
		debug.SetMemoryLimit(mem / 2)
	}
	return nil
}

func cpuSpent(ps *os.ProcessState) time.Duration { return ps.UserTime() + ps.SystemTime() }
