-- why: per-hour rollups of each score given and each option picked, so the digest computes NPS, CSAT and choice counts from a week's hours instead of reading every answer.

-- score_counts holds, per question key, UTC hour (hour_at: the hour's start, unix ms), survey
-- plan and customer's platform, how many answers gave each score from 0 to 10 (n0 … n10; an
-- NPS needs its promoters and detractors, a CSAT its 4s and 5s), kept by the trigger below as
-- on SQLite. Answers only get inserted and a contact's platform never changes (0002's and
-- 0006's triggers), so the counts stay exact. Like score_hours here, each row is split in 8
-- shards by answer id, so concurrent answers rarely update one row.
CREATE TABLE score_counts (
	question_key TEXT     NOT NULL,
	hour_at      BIGINT   NOT NULL,
	plan         TEXT     NOT NULL,
	platform     TEXT     NOT NULL,
	shard        SMALLINT NOT NULL,
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
	PRIMARY KEY (question_key, hour_at, plan, platform, shard)
);

INSERT INTO score_counts (question_key, hour_at, plan, platform, shard, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
SELECT a.question_key, a.answered_at - (a.answered_at % 3600000 + 3600000) % 3600000, a.plan, c.platform, 0,
	count(*) FILTER (WHERE a.score = 0), count(*) FILTER (WHERE a.score = 1), count(*) FILTER (WHERE a.score = 2), count(*) FILTER (WHERE a.score = 3), count(*) FILTER (WHERE a.score = 4), count(*) FILTER (WHERE a.score = 5), count(*) FILTER (WHERE a.score = 6), count(*) FILTER (WHERE a.score = 7), count(*) FILTER (WHERE a.score = 8), count(*) FILTER (WHERE a.score = 9), count(*) FILTER (WHERE a.score = 10)
FROM answers a JOIN contacts c ON c.id = a.contact_id
WHERE a.score BETWEEN 0 AND 10
GROUP BY 1, 2, 3, 4;

CREATE FUNCTION score_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO score_counts (question_key, hour_at, plan, platform, shard, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
	VALUES (NEW.question_key, NEW.answered_at - (NEW.answered_at % 3600000 + 3600000) % 3600000, NEW.plan,
		(SELECT platform FROM contacts WHERE id = NEW.contact_id), NEW.id % 8,
		(NEW.score = 0)::int, (NEW.score = 1)::int, (NEW.score = 2)::int, (NEW.score = 3)::int, (NEW.score = 4)::int, (NEW.score = 5)::int, (NEW.score = 6)::int, (NEW.score = 7)::int, (NEW.score = 8)::int, (NEW.score = 9)::int, (NEW.score = 10)::int)
	ON CONFLICT (question_key, hour_at, plan, platform, shard) DO UPDATE SET
		n0 = score_counts.n0 + excluded.n0, n1 = score_counts.n1 + excluded.n1, n2 = score_counts.n2 + excluded.n2, n3 = score_counts.n3 + excluded.n3, n4 = score_counts.n4 + excluded.n4, n5 = score_counts.n5 + excluded.n5, n6 = score_counts.n6 + excluded.n6, n7 = score_counts.n7 + excluded.n7, n8 = score_counts.n8 + excluded.n8, n9 = score_counts.n9 + excluded.n9, n10 = score_counts.n10 + excluded.n10;
	RETURN NULL;
END $$;
CREATE TRIGGER score_counts_add AFTER INSERT ON answers
	FOR EACH ROW WHEN (NEW.score BETWEEN 0 AND 10) EXECUTE FUNCTION score_counts_add();

-- choice_counts holds, per question key, UTC hour, plan and platform, how often each option
-- of a choice question was picked (option: its key) and, under the option '', how many
-- answers there were (a multiple choice's answer picks several options). A choice answer's
-- text is its option keys joined by commas; it is a choice's answer when the questions its
-- run was asked (survey_runs.questions, 0012) say the key is a choice. Answers of runs from
-- before 0012 predate choice questions and are not counted. Counted at insert, so an erase,
-- which empties an answer's text, leaves the counts as they were. Sharded like score_counts.
CREATE TABLE choice_counts (
	question_key TEXT     NOT NULL,
	hour_at      BIGINT   NOT NULL,
	plan         TEXT     NOT NULL,
	platform     TEXT     NOT NULL,
	option       TEXT     NOT NULL,
	shard        SMALLINT NOT NULL,
	count        BIGINT   NOT NULL,
	PRIMARY KEY (question_key, hour_at, plan, platform, option, shard)
);

-- choice_question reports whether the questions a run kept (JSON) ask key as a choice.
CREATE FUNCTION choice_question(questions TEXT, key TEXT) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT questions <> '' AND EXISTS (
		SELECT 1 FROM jsonb_array_elements(CASE WHEN questions = '' THEN '[]'::jsonb ELSE questions::jsonb END) q
		WHERE q->>'Type' = 'choice' AND q->>'Key' = key)
$$;

INSERT INTO choice_counts (question_key, hour_at, plan, platform, option, shard, count)
SELECT a.question_key, a.answered_at - (a.answered_at % 3600000 + 3600000) % 3600000, a.plan, c.platform,
	o.option, 0, count(*)
FROM answers a JOIN contacts c ON c.id = a.contact_id JOIN survey_runs r ON r.id = a.run_id
CROSS JOIN LATERAL unnest(array_prepend('', string_to_array(a.text, ','))) AS o(option)
WHERE a.score IS NULL AND NOT a.skipped AND a.text <> '' AND choice_question(r.questions, a.question_key)
GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION choice_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NOT choice_question((SELECT questions FROM survey_runs WHERE id = NEW.run_id), NEW.question_key) THEN
		RETURN NULL;
	END IF;
	INSERT INTO choice_counts (question_key, hour_at, plan, platform, option, shard, count)
	SELECT NEW.question_key, NEW.answered_at - (NEW.answered_at % 3600000 + 3600000) % 3600000, NEW.plan,
		(SELECT platform FROM contacts WHERE id = NEW.contact_id), o.option, NEW.id % 8, count(*)
	FROM unnest(array_prepend('', string_to_array(NEW.text, ','))) AS o(option)
	GROUP BY o.option
	ON CONFLICT (question_key, hour_at, plan, platform, option, shard)
	DO UPDATE SET count = choice_counts.count + excluded.count;
	RETURN NULL;
END $$;
CREATE TRIGGER choice_counts_add AFTER INSERT ON answers
	FOR EACH ROW WHEN (NEW.score IS NULL AND NOT NEW.skipped AND NEW.text <> '')
	EXECUTE FUNCTION choice_counts_add();
