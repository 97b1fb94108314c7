-- why: the owners' page filters scores by survey plan and platform from per-hour rollups, and signs owners in with hashed one-time links and sessions.

-- score_slices holds, per UTC hour (hour_at: the hour's start, unix ms), survey plan, the
-- customer's platform and question key, the sum and count of the scores answered in it: the
-- owners' page reads a filtered week as one range of its key instead of every answer. Like
-- score_hours it only follows inserts (answers are never changed or deleted; 0002's
-- triggers refuse that), and a contact's platform never changes (the trigger below refuses
-- it), so the sums stay exact.
CREATE TABLE score_slices (
	hour_at      INTEGER NOT NULL,
	plan         TEXT    NOT NULL,
	platform     TEXT    NOT NULL,
	question_key TEXT    NOT NULL,
	sum          INTEGER NOT NULL,
	count        INTEGER NOT NULL,
	PRIMARY KEY (hour_at, plan, platform, question_key)
) WITHOUT ROWID;

INSERT INTO score_slices (hour_at, plan, platform, question_key, sum, count)
SELECT a.answered_at - (a.answered_at % 3600000 + 3600000) % 3600000, a.plan, c.platform, a.question_key,
	sum(a.score), count(*)
FROM answers a JOIN contacts c ON c.id = a.contact_id
WHERE a.score IS NOT NULL
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER score_slices_add AFTER INSERT ON answers WHEN new.score IS NOT NULL
BEGIN
	INSERT INTO score_slices (hour_at, plan, platform, question_key, sum, count)
	VALUES (new.answered_at - (new.answered_at % 3600000 + 3600000) % 3600000, new.plan,
		(SELECT platform FROM contacts WHERE id = new.contact_id), new.question_key, new.score, 1)
	ON CONFLICT (hour_at, plan, platform, question_key) DO UPDATE SET sum = sum + excluded.sum, count = count + 1;
END;

CREATE TRIGGER contacts_platform_fixed BEFORE UPDATE OF platform ON contacts
WHEN new.platform IS NOT old.platform
BEGIN
	SELECT RAISE(ABORT, 'a contact''s platform never changes: score_slices sums its answers by it');
END;

-- Links (kind 'link': one use, 15 minutes) and sessions (kind 'session': 12 hours) of the
-- owners' page. Only a SHA-256 hash of each token is kept, so a copy of the database signs
-- nobody in.
CREATE TABLE dashboard_tokens (
	hash       TEXT    PRIMARY KEY,
	kind       TEXT    NOT NULL,
	member     TEXT    NOT NULL,
	platform   TEXT    NOT NULL,
	account_id TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX dashboard_tokens_expires ON dashboard_tokens (expires_at);

-- The page's lowest comments filter by plan and platform: with the plan and the contact in
-- the partial index, the week's comments are still read without a table row.
DROP INDEX answers_texts;
CREATE INDEX answers_texts ON answers (answered_at, run_id, question_key, text, plan, contact_id) WHERE text <> '';

-- The page's survey counts filter runs by plan and platform: the runs of a week come from
-- this index with their plan and contact, without a table row.
CREATE INDEX survey_runs_sent_plan ON survey_runs (sent_at, plan, contact_id) WHERE sent_at IS NOT NULL;
