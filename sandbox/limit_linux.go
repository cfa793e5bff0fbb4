//go:build linux

package sandbox

import (
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
)

// limit sets the process's own address-space and CPU-time limits, soft and
// hard alike, so nothing it runs can lift them. The Go runtime reserves
// address space it never touches, so mem is allowed on top of what the
// process has mapped at the start; the Go heap is also asked to stay
// inside it, so the garbage collector works harder before the kernel
// refuses memory. At the CPU limit the kernel sends SIGKILL (a Go program
// ignores the softer SIGXCPU).
func limit(mem, cpu int64) error {
	if mem > 0 {
		as := mem + mappedBytes()
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: uint64(as), Max: uint64(as)}); err != nil {
			return err
		}
		debug.SetMemoryLimit(mem / 2)
	}
	if cpu > 0 {
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: uint64(cpu), Max: uint64(cpu)}); err != nil {
			return err
		}
	}
	return nil
}

// mappedBytes is the process's address space now, from /proc/self/statm.
func mappedBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) == 0 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return pages * int64(os.Getpagesize())
}

// cpuSpent is the CPU time a finished child used.
func cpuSpent(ps *os.ProcessState) time.Duration {
	return ps.UserTime() + ps.SystemTime()
}
