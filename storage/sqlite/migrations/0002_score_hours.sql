-- why: per-hour score rollups, so a digest sums a week's hours instead of reading every answer.

-- score_hours holds, per question key and UTC hour (hour_at: the hour's start, unix ms),
-- the sum and count of the scores answered in it. The trigger below keeps it exact, in the
-- transaction of each answer's insert. Inserting is all it follows: an answer's key, score
-- and time never change and answers are never deleted (an erase empties only their text),
-- and the two triggers after it refuse anything else rather than let the sums drift.
CREATE TABLE score_hours (
	question_key TEXT    NOT NULL,
	hour_at      INTEGER NOT NULL,
	sum          INTEGER NOT NULL,
	count        INTEGER NOT NULL,
	PRIMARY KEY (question_key, hour_at)
) WITHOUT ROWID;

INSERT INTO score_hours (question_key, hour_at, sum, count)
SELECT question_key, answered_at - (answered_at % 3600000 + 3600000) % 3600000, sum(score), count(*)
FROM answers WHERE score IS NOT NULL
GROUP BY 1, 2;

CREATE TRIGGER score_hours_add AFTER INSERT ON answers WHEN new.score IS NOT NULL
BEGIN
	INSERT INTO score_hours (question_key, hour_at, sum, count)
	VALUES (new.question_key, new.answered_at - (new.answered_at % 3600000 + 3600000) % 3600000, new.score, 1)
	ON CONFLICT (question_key, hour_at) DO UPDATE SET sum = sum + excluded.sum, count = count + 1;
END;

CREATE TRIGGER answers_scores_fixed BEFORE UPDATE OF question_key, score, answered_at ON answers
WHEN new.question_key IS NOT old.question_key OR new.score IS NOT old.score
	OR new.answered_at IS NOT old.answered_at
BEGIN
	SELECT RAISE(ABORT, 'an answer''s key, score and time never change: score_hours sums them');
END;

CREATE TRIGGER answers_kept BEFORE DELETE ON answers
BEGIN
	SELECT RAISE(ABORT, 'answers are never deleted: score_hours sums them');
END;
