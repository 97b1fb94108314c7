-- why: per-day twins of the per-hour rollups, so a week's figures read a few rows a key instead of 168 and the digest of every kind over a million answers stays within 50 ms.

-- Each hourly rollup (score_hours, score_slices, score_counts, choice_counts) gets a daily
-- twin keyed by the UTC day (day_at: the day's start, unix ms) and otherwise the same
-- columns. A range is then read as its whole UTC days from the day tables, the whole hours
-- at its ends from the hour tables and, in zones with a half-hour offset, the partial hours
-- from the answers: a week in Berlin is 6 day rows and 24 hour rows a key, not 168.
--
-- The twins follow the hour tables, not the answers: a trigger adds each hour row's insert,
-- and each update's change (the hourly triggers' upserts), to the row of its day. What an
-- hour counts — which answers are scores, which are a choice's picks — is decided once, by
-- 0002's, 0006's and 0014's triggers. The hour tables only grow (answers are only inserted,
-- 0002), so the days stay their sums.

CREATE TABLE score_days (
	question_key TEXT    NOT NULL,
	day_at       INTEGER NOT NULL,
	sum          INTEGER NOT NULL,
	count        INTEGER NOT NULL,
	PRIMARY KEY (question_key, day_at)
) WITHOUT ROWID;

INSERT INTO score_days (question_key, day_at, sum, count)
SELECT question_key, hour_at - (hour_at % 86400000 + 86400000) % 86400000, sum(sum), sum(count)
FROM score_hours GROUP BY 1, 2;

CREATE TRIGGER score_days_add AFTER INSERT ON score_hours
BEGIN
	INSERT INTO score_days (question_key, day_at, sum, count)
	VALUES (new.question_key, new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000, new.sum, new.count)
	ON CONFLICT (question_key, day_at) DO UPDATE SET sum = sum + excluded.sum, count = count + excluded.count;
END;

CREATE TRIGGER score_days_change AFTER UPDATE ON score_hours
BEGIN
	UPDATE score_days SET sum = sum + new.sum - old.sum, count = count + new.count - old.count
	WHERE question_key = new.question_key AND day_at = new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000;
END;

CREATE TABLE score_slice_days (
	day_at       INTEGER NOT NULL,
	plan         TEXT    NOT NULL,
	platform     TEXT    NOT NULL,
	question_key TEXT    NOT NULL,
	sum          INTEGER NOT NULL,
	count        INTEGER NOT NULL,
	PRIMARY KEY (day_at, plan, platform, question_key)
) WITHOUT ROWID;

INSERT INTO score_slice_days (day_at, plan, platform, question_key, sum, count)
SELECT hour_at - (hour_at % 86400000 + 86400000) % 86400000, plan, platform, question_key, sum(sum), sum(count)
FROM score_slices GROUP BY 1, 2, 3, 4;

CREATE TRIGGER score_slice_days_add AFTER INSERT ON score_slices
BEGIN
	INSERT INTO score_slice_days (day_at, plan, platform, question_key, sum, count)
	VALUES (new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000, new.plan, new.platform, new.question_key, new.sum, new.count)
	ON CONFLICT (day_at, plan, platform, question_key) DO UPDATE SET sum = sum + excluded.sum, count = count + excluded.count;
END;

CREATE TRIGGER score_slice_days_change AFTER UPDATE ON score_slices
BEGIN
	UPDATE score_slice_days SET sum = sum + new.sum - old.sum, count = count + new.count - old.count
	WHERE day_at = new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000
		AND plan = new.plan AND platform = new.platform AND question_key = new.question_key;
END;

CREATE TABLE score_count_days (
	question_key TEXT    NOT NULL,
	day_at       INTEGER NOT NULL,
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
	PRIMARY KEY (question_key, day_at, plan, platform)
) WITHOUT ROWID;

INSERT INTO score_count_days (question_key, day_at, plan, platform, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
SELECT question_key, hour_at - (hour_at % 86400000 + 86400000) % 86400000, plan, platform,
	sum(n0), sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(n6), sum(n7), sum(n8), sum(n9), sum(n10)
FROM score_counts GROUP BY 1, 2, 3, 4;

CREATE TRIGGER score_count_days_add AFTER INSERT ON score_counts
BEGIN
	INSERT INTO score_count_days (question_key, day_at, plan, platform, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
	VALUES (new.question_key, new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000, new.plan, new.platform,
		new.n0, new.n1, new.n2, new.n3, new.n4, new.n5, new.n6, new.n7, new.n8, new.n9, new.n10)
	ON CONFLICT (question_key, day_at, plan, platform) DO UPDATE SET
		n0 = n0 + excluded.n0, n1 = n1 + excluded.n1, n2 = n2 + excluded.n2, n3 = n3 + excluded.n3, n4 = n4 + excluded.n4, n5 = n5 + excluded.n5, n6 = n6 + excluded.n6, n7 = n7 + excluded.n7, n8 = n8 + excluded.n8, n9 = n9 + excluded.n9, n10 = n10 + excluded.n10;
END;

CREATE TRIGGER score_count_days_change AFTER UPDATE ON score_counts
BEGIN
	UPDATE score_count_days SET
		n0 = n0 + new.n0 - old.n0, n1 = n1 + new.n1 - old.n1, n2 = n2 + new.n2 - old.n2, n3 = n3 + new.n3 - old.n3, n4 = n4 + new.n4 - old.n4, n5 = n5 + new.n5 - old.n5, n6 = n6 + new.n6 - old.n6, n7 = n7 + new.n7 - old.n7, n8 = n8 + new.n8 - old.n8, n9 = n9 + new.n9 - old.n9, n10 = n10 + new.n10 - old.n10
	WHERE question_key = new.question_key AND day_at = new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000
		AND plan = new.plan AND platform = new.platform;
END;

CREATE TABLE choice_count_days (
	question_key TEXT    NOT NULL,
	day_at       INTEGER NOT NULL,
	plan         TEXT    NOT NULL,
	platform     TEXT    NOT NULL,
	option       TEXT    NOT NULL,
	count        INTEGER NOT NULL,
	PRIMARY KEY (question_key, day_at, plan, platform, option)
) WITHOUT ROWID;

INSERT INTO choice_count_days (question_key, day_at, plan, platform, option, count)
SELECT question_key, hour_at - (hour_at % 86400000 + 86400000) % 86400000, plan, platform, option, sum(count)
FROM choice_counts GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER choice_count_days_add AFTER INSERT ON choice_counts
BEGIN
	INSERT INTO choice_count_days (question_key, day_at, plan, platform, option, count)
	VALUES (new.question_key, new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000, new.plan, new.platform, new.option, new.count)
	ON CONFLICT (question_key, day_at, plan, platform, option) DO UPDATE SET count = count + excluded.count;
END;

CREATE TRIGGER choice_count_days_change AFTER UPDATE ON choice_counts
BEGIN
	UPDATE choice_count_days SET count = count + new.count - old.count
	WHERE question_key = new.question_key AND day_at = new.hour_at - (new.hour_at % 86400000 + 86400000) % 86400000
		AND plan = new.plan AND platform = new.platform AND option = new.option;
END;
