-- why: per-hour score rollups, so a digest sums a week's hours instead of reading every answer.

-- score_hours holds, per question key and UTC hour (hour_at: the hour's start, unix ms),
-- the sum and count of the scores answered in it, kept exact by the trigger below in the
-- transaction of each answer's insert. Answers are only inserted: the two triggers after it
-- refuse any change of an answer's key, score or time and any delete, rather than let the
-- sums drift (an erase empties only the text).
--
-- Unlike SQLite's, each hour is split in 8 shards by answer id: replicas storing answers at
-- once would otherwise all update one row per key and hour, and under SERIALIZABLE all but
-- one of them would be rolled back and retried. ScoreStats sums the shards.
CREATE TABLE score_hours (
	question_key TEXT     NOT NULL,
	hour_at      BIGINT   NOT NULL,
	shard        SMALLINT NOT NULL,
	sum          BIGINT   NOT NULL,
	count        INTEGER  NOT NULL,
	PRIMARY KEY (question_key, hour_at, shard)
);

INSERT INTO score_hours (question_key, hour_at, shard, sum, count)
SELECT question_key, answered_at - (answered_at % 3600000 + 3600000) % 3600000, 0, sum(score), count(*)
FROM answers WHERE score IS NOT NULL
GROUP BY 1, 2;

CREATE FUNCTION score_hours_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO score_hours (question_key, hour_at, shard, sum, count)
	VALUES (NEW.question_key, NEW.answered_at - (NEW.answered_at % 3600000 + 3600000) % 3600000, NEW.id % 8, NEW.score, 1)
	ON CONFLICT (question_key, hour_at, shard)
	DO UPDATE SET sum = score_hours.sum + excluded.sum, count = score_hours.count + 1;
	RETURN NULL;
END $$;
CREATE TRIGGER score_hours_add AFTER INSERT ON answers
	FOR EACH ROW WHEN (NEW.score IS NOT NULL) EXECUTE FUNCTION score_hours_add();

CREATE FUNCTION answers_scores_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'an answer''s key, score and time never change: score_hours sums them';
END $$;
CREATE TRIGGER answers_scores_fixed BEFORE UPDATE OF question_key, score, answered_at ON answers
	FOR EACH ROW WHEN (NEW.question_key IS DISTINCT FROM OLD.question_key
		OR NEW.score IS DISTINCT FROM OLD.score OR NEW.answered_at IS DISTINCT FROM OLD.answered_at)
	EXECUTE FUNCTION answers_scores_fixed();

CREATE FUNCTION answers_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'answers are never deleted: score_hours sums them';
END $$;
CREATE TRIGGER answers_kept BEFORE DELETE ON answers FOR EACH ROW EXECUTE FUNCTION answers_kept();
