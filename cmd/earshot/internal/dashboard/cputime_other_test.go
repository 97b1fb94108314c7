//go:build !linux

package dashboard

import "time"

// cpuTime is not measured outside Linux.
func cpuTime() time.Duration { return 0 }
