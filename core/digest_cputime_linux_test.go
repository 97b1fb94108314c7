package core_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time so far (user and system): a benchmark's figure that a
// busy shared machine does not inflate the way it does wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
