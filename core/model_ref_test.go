package core_test

import (
	"strconv"
	"strings"
	"time"

	"earshot/core"
)

// refModel is the reference model of the conversation for TestConversationModel: what
// DESIGN.md's rules ("The conversation") say each customer's state must be, written from
// the rules rather than from core's code. Its plan has a 1–5 scale question and an optional
// text question; a score of 2 or less is low; resolved complaints close after autoClose.
type refModel struct {
	now        time.Time
	runs       int64 // the last survey run id: one run per touch
	complaints int64 // the last complaint id
	custs      map[string]*refCustomer
}

const (
	refLow       = 2
	refAutoClose = 2 * time.Hour
	refFresh     = 10 * time.Minute
)

type refPrompt struct {
	kind      core.PendingKind
	run       int64
	complaint int64
}

type refCustomer struct {
	id        string
	prompt    refPrompt
	promptAt  time.Time
	offerText string

	live int64 // the live survey run, 0 if none (paused when the prompt is not its question)
	q    int   // its current question
	low  bool  // it had a low score

	waiting []refWaiting // scheduled runs not yet started, oldest first

	complaint  int64 // the active complaint, 0 if none
	status     core.ComplaintStatus
	resolvedAt time.Time

	optedOut bool
	answers  []string // "run:key=value", in order
}

// refWaiting is a scheduled run; job is when it looks again by itself (zero: it waits for
// the conversation to end).
type refWaiting struct {
	run int64
	job time.Time
}

// outcome is where a typed message went, for the no-message-lost check.
type outcome int

const (
	outNone      outcome = iota
	outAnswer            // stored as a survey answer
	outReprompt          // refused by a survey question with a re-prompt
	outComplaint         // opened a complaint (or joined one) with its text
	outThread            // joined the open complaint's thread
	outOffer             // offered for filing (or added to the open offer)
	outPrompt            // answered a yes/no prompt
)

func newRefModel(now time.Time) *refModel {
	return &refModel{now: now, complaints: 1000, custs: map[string]*refCustomer{}}
}

func (m *refModel) cust(id string) *refCustomer {
	c, ok := m.custs[id]
	if !ok {
		c = &refCustomer{id: id}
		m.custs[id] = c
	}
	return c
}

func (m *refModel) setPrompt(c *refCustomer, p refPrompt) {
	if c.prompt == p {
		return
	}
	c.prompt, c.promptAt = p, m.now
	if p.kind == core.PendingNone {
		c.promptAt = time.Time{}
	}
}

// next: with nothing open, ask what waits.
func (m *refModel) next(c *refCustomer) {
	if c.prompt.kind != core.PendingNone {
		return
	}
	if c.complaint != 0 {
		if c.status == core.StatusResolved {
			m.setPrompt(c, refPrompt{kind: core.PendingSolved, complaint: c.complaint})
		}
		return
	}
	if c.live != 0 {
		m.setPrompt(c, refPrompt{kind: core.PendingSurvey, run: c.live})
		return
	}
	if len(c.waiting) > 0 {
		w := c.waiting[0]
		c.waiting = c.waiting[1:]
		m.start(c, w.run)
	}
}

func (m *refModel) start(c *refCustomer, run int64) {
	c.live, c.q, c.low = run, 0, false
	m.setPrompt(c, refPrompt{kind: core.PendingSurvey, run: run})
}

// touch schedules a run due at once.
func (m *refModel) touch(c *refCustomer) {
	m.runs++
	if c.optedOut {
		return // skipped
	}
	m.due(c, m.runs)
}

// due is a scheduled run falling due (or looking again).
func (m *refModel) due(c *refCustomer, run int64) {
	switch {
	case c.live != 0 || c.complaint != 0:
		c.waiting = append(c.waiting, refWaiting{run: run})
	case c.prompt.kind != core.PendingNone && m.now.Before(c.promptAt.Add(refFresh)):
		c.waiting = append(c.waiting, refWaiting{run: run, job: c.promptAt.Add(refFresh)})
	default:
		m.start(c, run)
	}
}

// advance runs the due work up to the new time, earliest first; the service does all of
// it at the new time.
func (m *refModel) advance(to time.Time) {
	m.now = to
	for {
		var who *refCustomer
		var at time.Time
		wi := -1
		for _, c := range m.custs {
			for i, w := range c.waiting {
				if !w.job.IsZero() && !w.job.After(to) && (who == nil || w.job.Before(at)) {
					who, at, wi = c, w.job, i
				}
			}
			if c.status == core.StatusResolved && !c.resolvedAt.Add(refAutoClose).After(to) &&
				(who == nil || c.resolvedAt.Add(refAutoClose).Before(at)) {
				who, at, wi = c, c.resolvedAt.Add(refAutoClose), -1
			}
		}
		if who == nil {
			return
		}
		if wi >= 0 {
			w := who.waiting[wi]
			who.waiting = append(who.waiting[:wi:wi], who.waiting[wi+1:]...)
			// Started meanwhile by next? Then it is not waiting any more; else it looks again.
			m.dueAgain(who, w.run, wi)
			continue
		}
		who.complaint, who.status = 0, ""
		if who.prompt.kind == core.PendingSolved {
			m.setPrompt(who, refPrompt{})
		}
		m.next(who)
	}
}

// dueAgain re-checks a waiting run at position i, keeping its place in the queue.
func (m *refModel) dueAgain(c *refCustomer, run int64, i int) {
	before := len(c.waiting)
	m.due(c, run)
	if len(c.waiting) > before { // waiting again: back to its place
		w := c.waiting[len(c.waiting)-1]
		c.waiting = append(c.waiting[:len(c.waiting)-1], refWaiting{})
		copy(c.waiting[i+1:], c.waiting[i:])
		c.waiting[i] = w
	}
}

func (m *refModel) answer(c *refCustomer, key, value string) {
	c.answers = append(c.answers, strconv.FormatInt(c.live, 10)+":"+key+"="+value)
}

// score answers the scale question (valid) or the optional text one.
func (m *refModel) surveyAnswer(c *refCustomer, text string) outcome {
	if c.q == 0 {
		v, err := strconv.Atoi(text)
		if err != nil || v < 1 || v > 5 {
			return outReprompt
		}
		m.answer(c, "score", text)
		c.q, c.low = 1, v <= refLow
		return outAnswer
	}
	if text == "skip" {
		m.answer(c, "note", "skip")
	} else {
		m.answer(c, "note", text)
	}
	run := c.live
	c.live, c.q = 0, 0
	if c.low {
		m.setPrompt(c, refPrompt{kind: core.PendingLowScore, run: run})
		return outAnswer
	}
	m.setPrompt(c, refPrompt{})
	m.next(c)
	return outAnswer
}

func (m *refModel) openComplaint(c *refCustomer) outcome {
	m.setPrompt(c, refPrompt{})
	if c.complaint != 0 {
		return outThread
	}
	m.complaints++
	c.complaint, c.status = m.complaints, core.StatusOpen
	return outComplaint
}

func (m *refModel) confirm(c *refCustomer, yes bool) {
	m.setPrompt(c, refPrompt{})
	if yes {
		c.complaint, c.status = 0, ""
		m.next(c)
		return
	}
	c.status = core.StatusOpen
}

func (m *refModel) close(c *refCustomer) {
	m.setPrompt(c, refPrompt{})
	m.next(c)
}

func (m *refModel) erase(c *refCustomer) { *c = refCustomer{id: c.id} }

// typed is a plain message from the customer.
func (m *refModel) typed(c *refCustomer, text string) outcome {
	yes, yn := text == "yes", text == "yes" || text == "no"
	switch c.prompt.kind {
	case core.PendingSurvey:
		return m.surveyAnswer(c, text)
	case core.PendingComplaintText:
		return m.openComplaint(c)
	case core.PendingFileOffer:
		switch {
		case yn && yes: // files what was offered, not the "yes"
			m.openComplaint(c)
			return outPrompt
		case yn:
			m.close(c)
			return outPrompt
		}
		c.offerText += "\n" + text
		return outOffer
	case core.PendingLowScore:
		if yn && !yes {
			m.close(c)
			return outPrompt
		} else if yn { // files a summary of the low answers
			m.openComplaint(c)
			return outPrompt
		}
		return m.openComplaint(c)
	case core.PendingSolved:
		if yn {
			m.confirm(c, yes)
			return outPrompt
		}
	case core.PendingForget:
		if yn && yes {
			m.erase(c)
			return outPrompt
		} else if yn {
			m.close(c)
			return outPrompt
		}
	}
	if c.complaint != 0 {
		return outThread
	}
	m.setPrompt(c, refPrompt{kind: core.PendingFileOffer})
	c.offerText = text
	return outOffer
}

// command is a customer command.
func (m *refModel) command(c *refCustomer, line string) outcome {
	name, args, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	switch name {
	case "stop":
		c.optedOut, c.live, c.q, c.waiting = true, 0, 0, nil
		if c.prompt.kind == core.PendingSurvey {
			m.setPrompt(c, refPrompt{})
		}
	case "resume":
		c.optedOut = false
	case "complain":
		if args == "" {
			m.setPrompt(c, refPrompt{kind: core.PendingComplaintText})
			return outNone
		}
		return m.openComplaint(c)
	case "forget":
		m.setPrompt(c, refPrompt{kind: core.PendingForget})
	}
	return outNone
}

// press is a customer's button; accepted says whether it may change anything.
func (m *refModel) press(c *refCustomer, payload string) (accepted bool) {
	p := strings.Split(payload, ":")
	id := func(i int) int64 { n, _ := strconv.ParseInt(p[i], 10, 64); return n }
	switch p[0] {
	case "s":
		if c.prompt != (refPrompt{kind: core.PendingSurvey, run: id(1)}) || c.live != id(1) || strconv.Itoa(c.q) != p[2] {
			return false
		}
		m.surveyAnswer(c, p[3])
	case "low":
		if c.prompt != (refPrompt{kind: core.PendingLowScore, run: id(1)}) {
			return false
		}
		if p[2] == "n" {
			m.close(c)
		} else {
			m.openComplaint(c)
		}
	case "ok":
		if c.prompt != (refPrompt{kind: core.PendingSolved, complaint: id(1)}) || c.complaint != id(1) || c.status != core.StatusResolved {
			return false
		}
		m.confirm(c, p[2] == "y")
	case "file":
		if c.prompt.kind != core.PendingFileOffer {
			return false
		}
		if p[1] == "y" {
			m.openComplaint(c)
		} else {
			m.close(c)
		}
	case "forget":
		if c.prompt.kind != core.PendingForget {
			return false
		}
		if p[1] == "y" {
			m.erase(c)
		} else {
			m.close(c)
		}
	default:
		return false
	}
	return true
}

// team is a member's /ack, /reply or /resolve of complaint id (maybe not the customer's
// active one any more).
func (m *refModel) team(c *refCustomer, verb string, id int64) {
	if id == 0 || id != c.complaint {
		return // closed or unknown: refused
	}
	switch verb {
	case "ack", "reply":
		if c.status == core.StatusOpen {
			c.status = core.StatusAcknowledged
		}
	case "resolve":
		if c.status == core.StatusOpen || c.status == core.StatusAcknowledged {
			c.status, c.resolvedAt = core.StatusResolved, m.now
			m.setPrompt(c, refPrompt{kind: core.PendingSolved, complaint: id})
		}
	}
}
