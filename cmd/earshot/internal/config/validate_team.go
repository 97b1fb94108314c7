package config

import (
	"fmt"
	"strings"

	"earshot/core"
)

func (c *Config) validateTeam(p *problems) {
	if ch := c.Team.Channel; ch != "" {
		if _, err := core.ParseChatRef(ch); err != nil {
			p.add("team.channel", "%v", err)
		}
	}
	names := map[string]int{}
	owner := map[core.UserRef]string{}
	for i, m := range c.Team.Members {
		path := fmt.Sprintf("team.members[%d]", i)
		name := strings.TrimSpace(m.Name)
		switch _, dup := names[strings.ToLower(name)]; {
		case name == "":
			p.add(path+".name", "empty: every member needs a name")
		case dup:
			p.add(path+".name", "%q is already the name of team.members[%d]", m.Name, names[strings.ToLower(name)])
		default:
			names[strings.ToLower(name)] = i
		}
		switch core.Role(m.Role) {
		case core.RoleOwner, core.RoleMember:
		default:
			p.add(path+".role", "%q: want owner or member", m.Role)
		}
		if len(m.Accounts) == 0 {
			p.add(path+".accounts", "empty: list their accounts as PLATFORM:ID, like slack:U012AB3CD")
		}
		for j, a := range m.Accounts {
			apath := fmt.Sprintf("%s.accounts[%d]", path, j)
			ref, err := core.ParseUserRef(a)
			if err != nil {
				p.add(apath, "%v", err)
				continue
			}
			if other, dup := owner[ref]; dup {
				p.add(apath, "%s is already an account of %s", ref, other)
				continue
			}
			owner[ref] = m.Name
		}
	}
}

func (c *Config) validateSurveys(p *problems) {
	names := map[string]bool{}
	for i, s := range c.Surveys {
		path := fmt.Sprintf("surveys[%d]", i)
		switch {
		case strings.TrimSpace(s.Name) == "":
			p.add(path+".name", "empty: every survey needs a name")
		case strings.ContainsAny(s.Name, " \t\r\n"):
			p.add(path+".name", "%q: no spaces (like after-delivery)", s.Name)
		case names[s.Name]:
			p.add(path+".name", "%q is the name of an earlier survey", s.Name)
		}
		names[s.Name] = true
		switch {
		case strings.TrimSpace(s.Trigger) == "":
			p.add(path+".trigger", "empty: name the touchpoint stage, like delivery")
		case strings.ContainsAny(s.Trigger, " \t\r\n"):
			p.add(path+".trigger", "%q: a stage is one word, like delivery", s.Trigger)
		}
		if s.ReminderAfter > 0 && s.ExpireAfter > 0 && s.ReminderAfter >= s.ExpireAfter {
			p.add(path+".reminder_after", "%s is not before expire_after (%s)", s.ReminderAfter, s.ExpireAfter)
		}
		if s.LowScoreThreshold < 0 {
			p.add(path+".low_score_threshold", "must be 0 (never) or more")
		}
		if len(s.Questions) == 0 {
			p.add(path+".questions", "empty: a survey asks at least one question")
		}
		keys := map[string]bool{}
		for j, q := range s.Questions {
			qpath := fmt.Sprintf("%s.questions[%d]", path, j)
			validateQuestion(p, qpath, q, keys)
			validateAskIf(p, qpath, q, s.Questions[:j])
		}
		validateThreshold(p, path, s)
	}
}

func validateQuestion(p *problems, path string, q Question, keys map[string]bool) {
	switch {
	case !questionKey.MatchString(q.Key):
		p.add(path+".key", "%q: use lower-case letters, digits and _ starting with a letter (like courtesy)", q.Key)
	case keys[q.Key]:
		p.add(path+".key", "%q is already a question of this survey", q.Key)
	}
	keys[q.Key] = true
	switch q.Type {
	case "scale":
		switch {
		case q.Min < 0:
			p.add(path+".min", "%d: a scale starts at 0 or more", q.Min)
		case q.Min >= q.Max:
			p.add(path+".min", "%d is not below max (%d)", q.Min, q.Max)
		case q.Max-q.Min+1 > 11:
			p.add(path+".max", "%d-%d is %d buttons; at most 11 fit", q.Min, q.Max, q.Max-q.Min+1)
		}
	case "nps", "csat", "ces":
		if min, max, _ := core.KindBounds(core.QuestionType(q.Type)); q.boundsSet && (q.Min != min || q.Max != max) {
			p.add(path, "a %s question is always %d-%d: it takes no min or max", q.Type, min, max)
		}
	case "choice":
		validateOptions(p, path, q)
	case "text":
		if q.Min != 0 || q.Max != 0 {
			p.add(path, "a text question takes no min or max")
		}
	default:
		p.add(path+".type", "%q: want scale, nps, csat, ces, choice or text", q.Type)
	}
	if q.Type != "choice" && (len(q.Options) > 0 || q.Multiple) {
		p.add(path+".options", "only a choice question takes options or multiple")
	}
}

// validateThreshold checks that a low-score threshold lies inside every scale of the plan:
// at least its min and below its max (at its max every answer would count as low).
func validateThreshold(p *problems, path string, s Survey) {
	t := s.LowScoreThreshold
	if t <= 0 {
		return
	}
	for _, q := range s.Questions {
		if q.Type != "scale" || q.Min >= q.Max {
			continue
		}
		if t < q.Min || t >= q.Max {
			def := ""
			if !s.thresholdSet {
				def = " (the default)"
			}
			p.add(path+".low_score_threshold", "%d%s must be from %d to %d to fit question %q's scale %d-%d (0: never)",
				t, def, q.Min, q.Max-1, q.Key, q.Min, q.Max)
			return
		}
	}
}

// Warnings returns lines about things that are allowed but probably not what was meant:
// members or a team channel on a disabled platform, no owner, an API without a token.
func (c *Config) Warnings() []string {
	var w []string
	if ch, err := core.ParseChatRef(c.Team.Channel); err == nil && !c.Enabled(ch.Platform) && ch.Platform != core.Console {
		w = append(w, fmt.Sprintf("team.channel: %s is disabled, so complaint cards have nowhere to go", ch.Platform))
	}
	if c.Team.Channel == "" {
		w = append(w, "team.channel: empty, so complaint cards have nowhere to go")
	}
	owners := 0
	for i, m := range c.Team.Members {
		if m.Role == string(core.RoleOwner) {
			owners++
		}
		for j, a := range m.Accounts {
			if r, err := core.ParseUserRef(a); err == nil && r.Platform != core.Console && !c.Enabled(r.Platform) {
				w = append(w, fmt.Sprintf("team.members[%d].accounts[%d]: %s is disabled, so %s cannot be reached there", i, j, r.Platform, m.Name))
			}
		}
	}
	if owners == 0 {
		w = append(w, "team.members: no owner, so digests and escalations have nobody to go to")
	}
	if c.HTTP.Listen != "" && c.HTTP.APIToken == "" {
		w = append(w, "http.api_token: empty, so /api/ answers 503 until it is set")
	} else if n := len(c.HTTP.APIToken); n > 0 && n < 16 {
		w = append(w, "http.api_token: shorter than 16 characters, easy to guess")
	}
	if c.Enabled(core.Slack) && c.Slack.AppToken != "" && !strings.HasPrefix(c.Slack.AppToken, "xapp-") {
		w = append(w, "slack.app_token: does not start with xapp- (Socket Mode needs an app-level token)")
	}
	return append(w, c.textWarnings()...)
}
