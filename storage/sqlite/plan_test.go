package sqlite

import (
	"regexp"
	"strings"
	"testing"
)

// TestQueryPlans keeps the hot and report queries on their indexes: none may scan a whole
// table, and some must use a named index.
func TestQueryPlans(t *testing.T) {
	db := newDB(t)
	fullScan := regexp.MustCompile(`^SCAN (\w+)$`)
	cases := []struct {
		name, sql, mustUse string
	}{
		{"ScoreStatsDays", qScoreStats, "SEARCH d USING PRIMARY KEY (question_key=? AND day_at>? AND day_at<?)"},
		{"ScoreStatsHours", qScoreStats, "SEARCH h USING PRIMARY KEY (question_key=? AND hour_at>? AND hour_at<?)"},
		{"ScoreStatsEdges", qScoreStats, "COVERING INDEX answers_scores (question_key=? AND answered_at>? AND answered_at<?)"},
		{"ScoreCountsDays", qScoreCounts, "SEARCH s USING PRIMARY KEY (question_key=? AND day_at>? AND day_at<?)"},
		{"ScoreCountsHours", qScoreCounts, "SEARCH s USING PRIMARY KEY (question_key=? AND hour_at>? AND hour_at<?)"},
		{"ScoreCountsEdges", qScoreCounts, "INDEX answers_scores (question_key=? AND answered_at>? AND answered_at<?)"},
		{"ChoiceCountsDays", qChoiceCounts, "SEARCH c USING PRIMARY KEY (question_key=? AND day_at>? AND day_at<?)"},
		{"SliceScoreStatsDays", qSliceScoreStats, "SEARCH score_slice_days USING PRIMARY KEY (day_at>? AND day_at<?)"},
		{"SliceScoreStatsHours", qSliceScoreStats, "SEARCH score_slices USING PRIMARY KEY (hour_at>? AND hour_at<?)"},
		{"ChoiceCountsHours", qChoiceCounts, "SEARCH c USING PRIMARY KEY (question_key=? AND hour_at>? AND hour_at<?)"},
		{"ChoiceCountsEdges", qChoiceCounts, "INDEX answers_texts (answered_at>? AND answered_at<?)"},
		{"LowestComments", qLowestComments, "COVERING INDEX answers_texts"},
		{"Comments", qComments, "COVERING INDEX answers_texts"},
		{"SurveyCounts", qSurveyCounts, "survey_runs_sent"},
		{"Claim", qClaim, "outbox_heads_ready"},
		{"NextOutboxAt", qNextOutboxAt, "outbox_heads_ready"},
		{"ReclaimOutbox", qReclaim, "outbox_claimed"},
		{"OutboxStats", qOutboxStats, "outbox_chat_pending"},
		{"ComplaintByCard", qComplaintByCard, "outbox_sent_id"},
		{"ContactByRef", qContactByRef, "sqlite_autoindex_contacts_1"},
		{"DueJobs", qDueJobs, "jobs_due"},
		{"NextJobAt", qNextJobAt, "jobs_due"},
		{"AnswersOfContact", qAnswersOfContact, "answers_run"},
		{"Thread", qThread, "thread_messages_complaint"},
		{"DeadLetters", qDeadLetters, "outbox_dead"},
		{"Breaches", qBreaches, "breaches_at"},
		{"UnownedMessages", qUnownedMessages, "outbox_unowned"},
		{"QuotedTexts", qQuotedTexts, "answers_run"},
		{"EraseOutbox", eraseStep("outbox"), "outbox_dm_chat"},
		{"EraseOutboxPending", eraseStep("outbox pending"), "outbox_contact"},
		{"PruneInbound", qPruneInbound, "inbound_at"},
		{"PruneOutbox", qPruneOutbox, "outbox_sent_at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := strings.Count(c.sql, "?")
			args := make([]any, max(n, 3))
			for i := range args {
				args[i] = 1
			}
			rows, err := db.writer.Query("EXPLAIN QUERY PLAN "+c.sql, args[:max(n, numbered(c.sql))]...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
				if m := fullScan.FindStringSubmatch(detail); m != nil && m[1] != "keys" && m[1] != "texts" && m[1] != "parts" { // CTEs
					t.Errorf("full table scan %q", detail)
				}
			}
			if all := strings.Join(plan, "\n"); !strings.Contains(all, c.mustUse) {
				t.Errorf("plan does not use %s:\n%s", c.mustUse, all)
			}
		})
	}
}

// eraseStep returns the SQL of EraseContact's step.
func eraseStep(what string) string {
	for _, s := range eraseSteps {
		if s.what == what {
			return s.sql
		}
	}
	panic("no erase step " + what)
}

// numbered returns the highest ?N parameter number in q.
func numbered(q string) int {
	n := 0
	for _, m := range regexp.MustCompile(`\?(\d)`).FindAllStringSubmatch(q, -1) {
		n = max(n, int(m[1][0]-'0'))
	}
	return n
}
