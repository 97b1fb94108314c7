-- why: per-hour rollups of each score given and each option picked, so the digest computes NPS, CSAT and choice counts from a week's hours instead of reading every answer.

-- score_counts holds, per question key, UTC hour (hour_at: the hour's start, unix ms), survey
-- plan and customer's platform, how many answers gave each score from 0 to 10 (n0 … n10): an
-- NPS needs its promoters (9-10) and detractors (0-6), a CSAT its 4s and 5s. One row per
-- hour with a column per score keeps a week of a question to 168 rows per plan and platform.
-- The key leads, so the digest reads the hours of just its NPS and CSAT questions; the
-- owners' page keeps one plan or platform. Like score_hours it only follows inserts: 0002's
-- triggers refuse changing an answer's key, score or time and deleting it, and 0006's a
-- contact's platform, so the counts stay exact. Scores above 10 (a scale's) are not counted.
CREATE TABLE score_counts (
	question_key TEXT    NOT NULL,
	hour_at      INTEGER NOT NULL,
	plan         TEXT    NOT NULL,
	platform     TEXT    NOT NULL,
	n0 INTEGER NOT NULL,
	n1 INTEGER NOT NULL,
	n2 INTEGER NOT NULL,
	n3 INTEGER NOT NULL,
	n4 INTEGER NOT NULL,
	n5 INTEGER NOT NULL,
	n6 INTEGER NOT NULL,
	n7 INTEGER NOT NULL,
	n8 INTEGER NOT NULL,
	n9 INTEGER NOT NULL,
	n10 INTEGER NOT NULL,
	PRIMARY KEY (question_key, hour_at, plan, platform)
) WITHOUT ROWID;

INSERT INTO score_counts (question_key, hour_at, plan, platform, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
SELECT a.question_key, a.answered_at - (a.answered_at % 3600000 + 3600000) % 3600000, a.plan, c.platform,
	sum(a.score = 0), sum(a.score = 1), sum(a.score = 2), sum(a.score = 3), sum(a.score = 4), sum(a.score = 5), sum(a.score = 6), sum(a.score = 7), sum(a.score = 8), sum(a.score = 9), sum(a.score = 10)
FROM answers a JOIN contacts c ON c.id = a.contact_id
WHERE a.score BETWEEN 0 AND 10
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER score_counts_add AFTER INSERT ON answers WHEN new.score BETWEEN 0 AND 10
BEGIN
	INSERT INTO score_counts (question_key, hour_at, plan, platform, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
	VALUES (new.question_key, new.answered_at - (new.answered_at % 3600000 + 3600000) % 3600000, new.plan,
		(SELECT platform FROM contacts WHERE id = new.contact_id),
		new.score = 0, new.score = 1, new.score = 2, new.score = 3, new.score = 4, new.score = 5, new.score = 6, new.score = 7, new.score = 8, new.score = 9, new.score = 10)
	ON CONFLICT (question_key, hour_at, plan, platform) DO UPDATE SET
		n0 = n0 + excluded.n0, n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3, n4 = n4 + excluded.n4, n5 = n5 + excluded.n5, n6 = n6 + excluded.n6, n7 = n7 + excluded.n7, n8 = n8 + excluded.n8, n9 = n9 + excluded.n9, n10 = n10 + excluded.n10;
END;

-- choice_counts holds, per question key, UTC hour, plan and platform, how often each option
-- of a choice question was picked (option: its key) and, under the option '', how many
-- answers there were: a multiple choice's answer picks several options. A choice answer's
-- text is its option keys joined by commas; it is a choice's answer when the questions its
-- run was asked (survey_runs.questions, 0012) say the key is a choice. Answers of runs from
-- before 0012 (no questions kept) predate choice questions and are not counted. Counted at
-- insert, so an erase, which empties an answer's text, leaves the counts as they were.
CREATE TABLE choice_counts (
	question_key TEXT    NOT NULL,
	hour_at      INTEGER NOT NULL,
	plan         TEXT    NOT NULL,
	platform     TEXT    NOT NULL,
	option       TEXT    NOT NULL,
	count        INTEGER NOT NULL,
	PRIMARY KEY (question_key, hour_at, plan, platform, option)
) WITHOUT ROWID;

-- The options of an answer are the elements of the JSON array '["", "k1", "k2"]' built from
-- its text (json_quote escapes it; a comma is never escaped, so splitting there is safe);
-- the leading "" is the answer's own row.
INSERT INTO choice_counts (question_key, hour_at, plan, platform, option, count)
SELECT a.question_key, a.answered_at - (a.answered_at % 3600000 + 3600000) % 3600000, a.plan, c.platform,
	o.value, count(*)
FROM answers a JOIN contacts c ON c.id = a.contact_id
JOIN json_each('["",' || replace(json_quote(a.text), ',', '","') || ']') o
WHERE a.score IS NULL AND NOT a.skipped AND a.text <> '' AND EXISTS (
	SELECT 1 FROM survey_runs r, json_each(CASE WHEN r.questions = '' THEN '[]' ELSE r.questions END) q
	WHERE r.id = a.run_id AND json_extract(q.value, '$.Type') = 'choice'
		AND json_extract(q.value, '$.Key') = a.question_key)
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER choice_counts_add AFTER INSERT ON answers
WHEN new.score IS NULL AND NOT new.skipped AND new.text <> ''
BEGIN
	INSERT INTO choice_counts (question_key, hour_at, plan, platform, option, count)
	SELECT new.question_key, new.answered_at - (new.answered_at % 3600000 + 3600000) % 3600000, new.plan,
		(SELECT platform FROM contacts WHERE id = new.contact_id), o.value, 1
	FROM json_each('["",' || replace(json_quote(new.text), ',', '","') || ']') o
	WHERE EXISTS (
		SELECT 1 FROM survey_runs r, json_each(CASE WHEN r.questions = '' THEN '[]' ELSE r.questions END) q
		WHERE r.id = new.run_id AND json_extract(q.value, '$.Type') = 'choice'
			AND json_extract(q.value, '$.Key') = new.question_key)
	ON CONFLICT (question_key, hour_at, plan, platform, option) DO UPDATE SET count = count + 1;
END;
