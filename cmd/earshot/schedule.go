package main

import (
	"time"

	"github.com/robfig/cron/v3"

	"earshot/cmd/earshot/internal/config"
	"earshot/core"
)

// digestSchedule returns digest.schedule firing by wall-clock time in the business time
// zone, once per matching local time across daylight-saving changes (see core.WallClockSchedule:
// cron alone skips 02:30 on the spring-forward day and repeats 01:30 in the autumn).
func digestSchedule(cfg *config.Config) core.Schedule {
	sched := cfg.DigestSchedule()
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return sched // a descriptor such as @every: no wall clock involved
	}
	utc := *spec
	utc.Location = time.UTC
	return core.WallClockSchedule(&utc, cfg.Location())
}
