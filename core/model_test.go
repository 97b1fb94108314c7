package core_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"earshot/core"
)

// modelRegressions are seeds that once failed: they run first, always.
var modelRegressions = []uint64{}

// TestConversationModel runs seeded random interleavings of what two customers and a team
// member do — typed answers valid and invalid, presses on current and old buttons, plain
// messages, every customer command, acknowledgements, replies and resolutions, due work,
// redelivered events and restarts — against the real core on SQLite, and after every step
// compares each customer's state with refModel: the open prompt, the live survey and its
// question, the waiting surveys, the stored answers, the active complaint. On top:
// at most one live survey; nobody waits on a closed prompt; every typed message answers a
// prompt, joins a thread or is offered for filing. A failure names its seed (run it alone
// with -run 'TestConversationModel/.*/seed=N$'); EARSHOT_MODEL_SEQUENCES sets how many
// (2000 by default, 200 with -short, 50 with -race) and EARSHOT_MODEL_STEPS their length (16).
func TestConversationModel(t *testing.T) {
	n := 2000
	switch {
	case raceBuild: // ten times slower: the race detector looks at the code, not the rules
		n = 50
	case testing.Short():
		n = 200
	}
	if s := os.Getenv("EARSHOT_MODEL_SEQUENCES"); s != "" {
		if v, err := strconv.Atoi(s); err == nil {
			n = v
		}
	}
	steps := modelSteps
	if s := os.Getenv("EARSHOT_MODEL_STEPS"); s != "" {
		if v, err := strconv.Atoi(s); err == nil {
			steps = v
		}
	}
	seeds := append([]uint64{}, modelRegressions...)
	for i := range n {
		seeds = append(seeds, uint64(i+1))
	}
	// Two groups in parallel (CI has two cores). In a group, sequences share a database in
	// batches (its statements prepared once), each with its own customers; the model takes
	// the ids and the time from where the last one left off, so a seed run alone behaves
	// the same.
	for g := range 2 {
		t.Run(fmt.Sprintf("group=%d", g), func(t *testing.T) {
			t.Parallel()
			var w *modelWorld
			for i := g; i < len(seeds); i += 2 {
				if w == nil || w.sequences == modelBatch {
					w = &modelWorld{e: newEnv(t, modelSettings), complaints: 1000}
				}
				w.sequences++
				seed := seeds[i]
				if !t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { runModel(t, w, seed, steps) }) {
					return // one failure is enough to read
				}
			}
		})
	}
}

// modelSteps is the length of a sequence.
const modelSteps = 16

// modelBatch is how many sequences share a database.
const modelBatch = 100

type modelWorld struct {
	e                *env
	sequences        int
	runs, complaints int64
}

func modelSettings(s *core.Settings) {
	s.Throttle = 0
	s.Surveys = []core.SurveyPlan{{Name: "m", Trigger: "delivery", ReminderAfter: time.Hour, LowScoreThreshold: refLow,
		Questions: []core.Question{
			{Key: "score", Text: "How was it?", Type: core.Scale, Min: 1, Max: 5},
			{Key: "note", Text: "Anything else?", Type: core.Text, Optional: true},
		}}}
	s.Complaints.AutoCloseAfter = refAutoClose
}

type modelRun struct {
	t         *testing.T
	e         *env
	m         *refModel
	rng       *rand.Rand
	customers []string
	log       []string
	last      core.Incoming
	events    int
	seed      uint64
	lastCmp   map[string]int64 // each customer's newest complaint, for team commands
}

func runModel(t *testing.T, w *modelWorld, seed uint64, steps int) {
	w.e.t = t
	r := &modelRun{t: t, e: w.e, m: newRefModel(w.e.clock.Now()), rng: rand.New(rand.NewPCG(seed, 10)),
		customers: []string{fmt.Sprintf("ann-%d", seed), fmt.Sprintf("ben-%d", seed)},
		seed:      seed, lastCmp: map[string]int64{}}
	r.m.runs, r.m.complaints = w.runs, w.complaints
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d, steps:\n%s", seed, strings.Join(r.log, "\n"))
		}
	})
	for range steps {
		all := r.step()
		for _, who := range r.customers {
			if all || who == r.acted() {
				r.check(who)
			}
		}
		if t.Failed() {
			return
		}
	}
	w.runs, w.complaints = r.m.runs, r.m.complaints
}

// acted is the customer of the last step.
func (r *modelRun) acted() string {
	for _, who := range r.customers {
		if strings.HasPrefix(r.log[len(r.log)-1], who) || strings.Contains(r.log[len(r.log)-1], " "+who) {
			return who
		}
	}
	return ""
}

var modelTexts = []string{"1", "2", "4", "5", "9", "maybe", "yes", "no", "skip", "words"}

var modelCommands = []string{"/start", "/status", "/help", "/stop", "/resume", "/complain", "/complain it broke", "/forget"}

// weights of the step kinds, in the order of step's switch.
var modelWeights = []int{8, 30, 12, 8, 12, 12, 6, 3, 1}

// step does one random thing; all says whether it may have changed every customer.
func (r *modelRun) step() (all bool) {
	who := r.customers[r.rng.IntN(len(r.customers))]
	c := r.m.cust(who)
	k, w := 0, r.rng.IntN(sum(modelWeights))
	for ; w >= modelWeights[k]; k++ {
		w -= modelWeights[k]
	}
	switch k {
	case 0: // a touchpoint: a survey due at once
		r.note("%s: touch", who)
		r.e.touch(who, fmt.Sprintf("R-%d", r.m.runs+1))
		r.m.touch(c)
	case 1: // a typed message
		text := modelTexts[r.rng.IntN(len(modelTexts))]
		if text == "words" {
			text = fmt.Sprintf("words %d", r.events)
		}
		r.note("%s types %q (prompt %+v)", who, text, c.prompt)
		r.dm(who, text)
		r.checkOutcome(who, text, r.m.typed(c, text))
	case 2, 3: // a button: on the newest message, or any ever shown to anyone
		p := r.button(who, k == 2)
		if p == "" {
			r.note("%s finds no button", who)
			return false
		}
		accepted := r.m.press(c, p)
		r.note("%s presses %s (accepted %v)", who, p, accepted)
		resp := r.send(core.Incoming{From: user(who), Chat: core.ChatRef(user(who)), Direct: true, Action: p})
		if !accepted && resp.Notice == "" {
			r.t.Errorf("a press that changes nothing got no notice")
		}
	case 4: // a customer command
		line := modelCommands[r.rng.IntN(len(modelCommands))]
		r.note("%s: %s", who, line)
		r.dm(who, line)
		if out := r.m.command(c, line); out != outNone {
			r.checkOutcome(who, "it broke", out)
		}
	case 5: // the team
		if c.complaint != 0 {
			r.lastCmp[who] = c.complaint
		}
		id := r.lastCmp[who]
		if id == 0 {
			r.note("%s has no complaint for the team", who)
			return false
		}
		verb := []string{"ack", "reply", "resolve"}[r.rng.IntN(3)]
		line := fmt.Sprintf("/%s %s", verb, core.RefFor(id))
		if verb != "ack" {
			line += " done"
		}
		r.note("lee: %s for %s", line, who)
		r.send(core.Incoming{From: user("lee"), Chat: r.e.set.Team.Channel, Text: line})
		r.m.team(c, verb, id)
	case 6: // time passes; due work runs
		d := []time.Duration{time.Minute, 11 * time.Minute, 61 * time.Minute, 3 * time.Hour}[r.rng.IntN(4)]
		r.note("advance %s", d)
		r.e.advance(d)
		r.m.advance(r.e.clock.Now())
		return true
	case 7: // the platform delivers the last event again
		if r.last.EventID == "" {
			r.note("nothing to redeliver")
			return false
		}
		r.note("redeliver %s", r.last.EventID)
		if resp := r.send(r.last); !resp.Duplicate {
			r.t.Errorf("redelivered event %s was not a duplicate", r.last.EventID)
		}
		return true
	case 8:
		r.note("restart")
		r.e.restart()
		return true
	}
	return false
}

func sum(ws []int) int {
	n := 0
	for _, w := range ws {
		n += w
	}
	return n
}

func (r *modelRun) note(format string, args ...any) {
	r.log = append(r.log, fmt.Sprintf(format, args...))
}

func (r *modelRun) send(in core.Incoming) core.Response {
	if in.EventID == "" {
		r.events++
		in.EventID = fmt.Sprintf("m-%d-%d", r.seed, r.events)
	}
	r.last = in
	return r.e.send(in)
}

func (r *modelRun) dm(who, text string) core.Response {
	return r.send(core.Incoming{From: user(who), Chat: core.ChatRef(user(who)), Direct: true, Text: text})
}

// button picks a payload: from the newest message to who that has buttons, or from every
// button ever delivered to any customer.
func (r *modelRun) button(who string, current bool) string {
	f := r.e.msgr
	f.mu.Lock()
	defer f.mu.Unlock()
	var pool []string
	for i := len(f.msgs) - 1; i >= 0; i-- {
		m := f.msgs[i]
		if current && (m.d.To.ID != who || m.edited) {
			continue
		}
		for _, ch := range m.d.Message.Choices {
			pool = append(pool, ch.Payload)
		}
		if current && len(pool) > 0 {
			break
		}
	}
	if len(pool) == 0 {
		return ""
	}
	return pool[r.rng.IntN(len(pool))]
}
