-- why: the owners' page filters scores by survey plan and platform from per-hour rollups, and signs owners in with hashed one-time links and sessions.

-- score_slices holds, per UTC hour, survey plan, the customer's platform and question key,
-- the sum and count of the scores answered in it, kept by the trigger below as on SQLite.
-- Answers only get inserted (0002's triggers) and a contact's platform never changes (the
-- trigger after it refuses that), so the sums stay exact. Like score_hours here, each hour
-- is split in 8 shards by answer id, so concurrent answers rarely update one row.
CREATE TABLE score_slices (
	hour_at      BIGINT   NOT NULL,
	plan         TEXT     NOT NULL,
	platform     TEXT     NOT NULL,
	question_key TEXT     NOT NULL,
	shard        SMALLINT NOT NULL,
	sum          BIGINT   NOT NULL,
	count        INTEGER  NOT NULL,
	PRIMARY KEY (hour_at, plan, platform, question_key, shard)
);

INSERT INTO score_slices (hour_at, plan, platform, question_key, shard, sum, count)
SELECT a.answered_at - (a.answered_at % 3600000 + 3600000) % 3600000, a.plan, c.platform, a.question_key,
	0, sum(a.score), count(*)
FROM answers a JOIN contacts c ON c.id = a.contact_id
WHERE a.score IS NOT NULL
GROUP BY 1, 2, 3, 4;

CREATE FUNCTION score_slices_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO score_slices (hour_at, plan, platform, question_key, shard, sum, count)
	VALUES (NEW.answered_at - (NEW.answered_at % 3600000 + 3600000) % 3600000, NEW.plan,
		(SELECT platform FROM contacts WHERE id = NEW.contact_id), NEW.question_key, NEW.id % 8, NEW.score, 1)
	ON CONFLICT (hour_at, plan, platform, question_key, shard)
	DO UPDATE SET sum = score_slices.sum + excluded.sum, count = score_slices.count + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER score_slices_add AFTER INSERT ON answers
	FOR EACH ROW WHEN (NEW.score IS NOT NULL) EXECUTE FUNCTION score_slices_add();

CREATE FUNCTION contacts_platform_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'a contact''s platform never changes: score_slices sums its answers by it';
END $$;
CREATE TRIGGER contacts_platform_fixed BEFORE UPDATE OF platform ON contacts
	FOR EACH ROW WHEN (NEW.platform IS DISTINCT FROM OLD.platform)
	EXECUTE FUNCTION contacts_platform_fixed();

-- Links (kind 'link': one use, 15 minutes) and sessions (kind 'session': 12 hours) of the
-- owners' page. Only a SHA-256 hash of each token is kept, so a copy of the database signs
-- nobody in.
CREATE TABLE dashboard_tokens (
	hash       TEXT   PRIMARY KEY,
	kind       TEXT   NOT NULL,
	member     TEXT   NOT NULL,
	platform   TEXT   NOT NULL,
	account_id TEXT   NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT
);
CREATE INDEX dashboard_tokens_expires ON dashboard_tokens (expires_at);

-- The page's lowest comments filter by plan and platform.
DROP INDEX answers_texts;
CREATE INDEX answers_texts ON answers (answered_at) INCLUDE (run_id, question_key, plan, contact_id) WHERE text <> '';

-- The page's survey counts filter runs by plan and platform.
CREATE INDEX survey_runs_sent_plan ON survey_runs (sent_at, plan, contact_id) WHERE sent_at IS NOT NULL;
