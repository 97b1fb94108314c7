-- why: per-hour rollups of each score given and each option picked, so the digest computes NPS, CSAT and choice counts from a week's hours instead of reading every answer.

-- score_counts holds, per question key, UTC hour (hour_at: the hour's start, unix ms), survey
-- plan and customer's platform, how many answers gave each score (an NPS needs its promoters
-- and detractors, a CSAT its 4s and 5s), kept by the trigger below as on SQLite. Answers only
-- get inserted and a contact's platform never changes (0002's and 0006's triggers), so the
-- counts stay exact. Like score_hours here, each row is split in 8 shards by answer id, so
-- concurrent answers rarely update one row.
CREATE TABLE score_counts (
	question_key TEXT     NOT NULL,
	hour_at      BIGINT   NOT NULL,
	plan         TEXT     NOT NULL,
	platform     TEXT     NOT NULL,
	score        INTEGER  NOT NULL,
	shard        SMALLINT NOT NULL,
	count        BIGINT   NOT NULL,
	PRIMARY KEY (question_key, hour_at, plan, platform, score, shard)
);

INSERT INTO score_counts (question_key, hour_at, plan, platform, score, shard, count)
SELECT a.question_key, a.answered_at - (a.answered_at % 3600000 + 3600000) % 3600000, a.plan, c.platform,
	a.score, 0, count(*)
FROM answers a JOIN contacts c ON c.id = a.contact_id
WHERE a.score IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION score_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO score_counts (question_key, hour_at, plan, platform, score, shard, count)
	VALUES (NEW.question_key, NEW.answered_at - (NEW.answered_at % 3600000 + 3600000) % 3600000, NEW.plan,
		(SELECT platform FROM contacts WHERE id = NEW.contact_id), NEW.score, NEW.id % 8, 1)
	ON CONFLICT (question_key, hour_at, plan, platform, score, shard)
	DO UPDATE SET count = score_counts.count + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER score_counts_add AFTER INSERT ON answers
	FOR EACH ROW WHEN (NEW.score IS NOT NULL) EXECUTE FUNCTION score_counts_add();

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
