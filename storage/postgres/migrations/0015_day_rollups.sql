-- why: per-day twins of the per-hour rollups, so a week's figures read a few rows a key instead of 168 and the digest of every kind over a million answers stays within 50 ms.

-- As on SQLite: each hourly rollup (score_hours, score_slices, score_counts, choice_counts)
-- gets a daily twin keyed by the UTC day (day_at: the day's start, unix ms), the same
-- columns otherwise, shard included (a day's rows are split like its hours', so concurrent
-- answers rarely update one row). A range is read as its whole UTC days from the day tables,
-- the whole hours at its ends from the hour tables and the partial hours (zones with a
-- half-hour offset) from the answers.
--
-- The twins follow the hour tables, not the answers: a trigger adds each hour row's insert,
-- and each update's change (the hourly triggers' upserts), to the row of its day and shard.
-- What an hour counts is decided once, by 0002's, 0006's and 0014's triggers. The hour
-- tables only grow (answers are only inserted, 0002), so the days stay their sums.

CREATE FUNCTION day_of(hour_at BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
	SELECT hour_at - (hour_at % 86400000 + 86400000) % 86400000
$$;

CREATE TABLE score_days (
	question_key TEXT     NOT NULL,
	day_at       BIGINT   NOT NULL,
	shard        SMALLINT NOT NULL,
	sum          BIGINT   NOT NULL,
	count        INTEGER  NOT NULL,
	PRIMARY KEY (question_key, day_at, shard)
);

INSERT INTO score_days (question_key, day_at, shard, sum, count)
SELECT question_key, day_of(hour_at), shard, sum(sum), sum(count)
FROM score_hours GROUP BY 1, 2, 3;

CREATE FUNCTION score_days_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	s BIGINT := NEW.sum;
	n INTEGER := NEW.count;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		s := s - OLD.sum;
		n := n - OLD.count;
	END IF;
	INSERT INTO score_days (question_key, day_at, shard, sum, count)
	VALUES (NEW.question_key, day_of(NEW.hour_at), NEW.shard, s, n)
	ON CONFLICT (question_key, day_at, shard)
	DO UPDATE SET sum = score_days.sum + excluded.sum, count = score_days.count + excluded.count;
	RETURN NULL;
END $$;
CREATE TRIGGER score_days_add AFTER INSERT OR UPDATE ON score_hours
	FOR EACH ROW EXECUTE FUNCTION score_days_add();

CREATE TABLE score_slice_days (
	day_at       BIGINT   NOT NULL,
	plan         TEXT     NOT NULL,
	platform     TEXT     NOT NULL,
	question_key TEXT     NOT NULL,
	shard        SMALLINT NOT NULL,
	sum          BIGINT   NOT NULL,
	count        INTEGER  NOT NULL,
	PRIMARY KEY (day_at, plan, platform, question_key, shard)
);

INSERT INTO score_slice_days (day_at, plan, platform, question_key, shard, sum, count)
SELECT day_of(hour_at), plan, platform, question_key, shard, sum(sum), sum(count)
FROM score_slices GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION score_slice_days_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	s BIGINT := NEW.sum;
	n INTEGER := NEW.count;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		s := s - OLD.sum;
		n := n - OLD.count;
	END IF;
	INSERT INTO score_slice_days (day_at, plan, platform, question_key, shard, sum, count)
	VALUES (day_of(NEW.hour_at), NEW.plan, NEW.platform, NEW.question_key, NEW.shard, s, n)
	ON CONFLICT (day_at, plan, platform, question_key, shard)
	DO UPDATE SET sum = score_slice_days.sum + excluded.sum, count = score_slice_days.count + excluded.count;
	RETURN NULL;
END $$;
CREATE TRIGGER score_slice_days_add AFTER INSERT OR UPDATE ON score_slices
	FOR EACH ROW EXECUTE FUNCTION score_slice_days_add();

CREATE TABLE score_count_days (
	question_key TEXT     NOT NULL,
	day_at       BIGINT   NOT NULL,
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
	PRIMARY KEY (question_key, day_at, plan, platform, shard)
);

INSERT INTO score_count_days (question_key, day_at, plan, platform, shard, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
SELECT question_key, day_of(hour_at), plan, platform, shard,
	sum(n0), sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(n6), sum(n7), sum(n8), sum(n9), sum(n10)
FROM score_counts GROUP BY 1, 2, 3, 4, 5;

-- The change an hour row got is its new counts less the old; an insert's old counts are 0.
CREATE FUNCTION score_count_days_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o score_counts%ROWTYPE;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		o := OLD;
	ELSE
		o := ROW(NEW.question_key, NEW.hour_at, NEW.plan, NEW.platform, NEW.shard, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	END IF;
	INSERT INTO score_count_days (question_key, day_at, plan, platform, shard, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
	VALUES (NEW.question_key, day_of(NEW.hour_at), NEW.plan, NEW.platform, NEW.shard,
		NEW.n0 - o.n0, NEW.n1 - o.n1, NEW.n2 - o.n2, NEW.n3 - o.n3, NEW.n4 - o.n4, NEW.n5 - o.n5, NEW.n6 - o.n6, NEW.n7 - o.n7, NEW.n8 - o.n8, NEW.n9 - o.n9, NEW.n10 - o.n10)
	ON CONFLICT (question_key, day_at, plan, platform, shard) DO UPDATE SET
		n0 = score_count_days.n0 + excluded.n0, n1 = score_count_days.n1 + excluded.n1, n2 = score_count_days.n2 + excluded.n2, n3 = score_count_days.n3 + excluded.n3, n4 = score_count_days.n4 + excluded.n4, n5 = score_count_days.n5 + excluded.n5, n6 = score_count_days.n6 + excluded.n6, n7 = score_count_days.n7 + excluded.n7, n8 = score_count_days.n8 + excluded.n8, n9 = score_count_days.n9 + excluded.n9, n10 = score_count_days.n10 + excluded.n10;
	RETURN NULL;
END $$;
CREATE TRIGGER score_count_days_add AFTER INSERT OR UPDATE ON score_counts
	FOR EACH ROW EXECUTE FUNCTION score_count_days_add();

CREATE TABLE choice_count_days (
	question_key TEXT     NOT NULL,
	day_at       BIGINT   NOT NULL,
	plan         TEXT     NOT NULL,
	platform     TEXT     NOT NULL,
	option       TEXT     NOT NULL,
	shard        SMALLINT NOT NULL,
	count        BIGINT   NOT NULL,
	PRIMARY KEY (question_key, day_at, plan, platform, option, shard)
);

INSERT INTO choice_count_days (question_key, day_at, plan, platform, option, shard, count)
SELECT question_key, day_of(hour_at), plan, platform, option, shard, sum(count)
FROM choice_counts GROUP BY 1, 2, 3, 4, 5, 6;

CREATE FUNCTION choice_count_days_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	n BIGINT := NEW.count;
BEGIN
	IF TG_OP = 'UPDATE' THEN
		n := n - OLD.count;
	END IF;
	INSERT INTO choice_count_days (question_key, day_at, plan, platform, option, shard, count)
	VALUES (NEW.question_key, day_of(NEW.hour_at), NEW.plan, NEW.platform, NEW.option, NEW.shard, n)
	ON CONFLICT (question_key, day_at, plan, platform, option, shard)
	DO UPDATE SET count = choice_count_days.count + excluded.count;
	RETURN NULL;
END $$;
CREATE TRIGGER choice_count_days_add AFTER INSERT OR UPDATE ON choice_counts
	FOR EACH ROW EXECUTE FUNCTION choice_count_days_add();
