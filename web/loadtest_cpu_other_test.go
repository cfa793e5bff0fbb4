//go:build !unix

package web

import "time"

// processCPU is unknown here: the load tests then print no CPU figure.
func processCPU() time.Duration { return 0 }
