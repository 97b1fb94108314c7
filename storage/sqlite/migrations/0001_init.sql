-- why: the first schema: contacts, invites, surveys, answers, complaints, the outbox, due jobs, inbound dedup and state.

-- Times are INTEGER unix milliseconds (UTC). A zero time.Time is NULL, except in
-- NOT NULL columns (due times, answered_at, opened_at …), where it is 0: "due at once".

CREATE TABLE contacts (
	id           INTEGER PRIMARY KEY,
	platform     TEXT    NOT NULL,
	user_id      TEXT    NOT NULL, -- "erased-<random>" once erased
	name         TEXT    NOT NULL DEFAULT '',
	locale       TEXT    NOT NULL DEFAULT '',
	timezone     TEXT    NOT NULL DEFAULT '',
	seen_at      INTEGER,
	created_at   INTEGER,
	opted_out_at INTEGER,
	unreachable  TEXT    NOT NULL DEFAULT '',
	erased_at    INTEGER,
	pending      TEXT    NOT NULL DEFAULT '',
	pending_text TEXT    NOT NULL DEFAULT '',
	pending_run  INTEGER,
	pending_at   INTEGER,
	UNIQUE (platform, user_id)
);

CREATE TABLE invites (
	token      TEXT PRIMARY KEY,
	stage      TEXT NOT NULL DEFAULT '',
	ref        TEXT NOT NULL DEFAULT '',
	name       TEXT NOT NULL DEFAULT '',
	created_at INTEGER,
	used_at    INTEGER,
	used_by    INTEGER REFERENCES contacts (id)
) WITHOUT ROWID;
CREATE INDEX invites_used_by ON invites (used_by) WHERE used_by IS NOT NULL;

CREATE TABLE touchpoints (
	id          INTEGER PRIMARY KEY,
	contact_id  INTEGER NOT NULL REFERENCES contacts (id),
	stage       TEXT    NOT NULL,
	ref         TEXT    NOT NULL DEFAULT '',
	occurred_at INTEGER,
	created_at  INTEGER,
	key         TEXT UNIQUE -- NULL when the touchpoint has no idempotency key
);
CREATE INDEX touchpoints_contact ON touchpoints (contact_id, id);

CREATE TABLE survey_runs (
	id            INTEGER PRIMARY KEY,
	contact_id    INTEGER NOT NULL REFERENCES contacts (id),
	touchpoint_id INTEGER REFERENCES touchpoints (id),
	plan          TEXT    NOT NULL,
	state         TEXT    NOT NULL,
	skip_reason   TEXT    NOT NULL DEFAULT '',
	due_at        INTEGER NOT NULL,
	expires_at    INTEGER,
	sent_at       INTEGER,
	reminded_at   INTEGER,
	finished_at   INTEGER,
	question      INTEGER NOT NULL DEFAULT 0,
	question_msg  INTEGER, -- outbox id
	created_at    INTEGER
);
CREATE INDEX survey_runs_contact ON survey_runs (contact_id, state);
CREATE INDEX survey_runs_touchpoint ON survey_runs (touchpoint_id) WHERE touchpoint_id IS NOT NULL;
CREATE INDEX survey_runs_state_due ON survey_runs (state, due_at);
CREATE INDEX survey_runs_sent ON survey_runs (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE answers (
	id           INTEGER PRIMARY KEY,
	run_id       INTEGER NOT NULL REFERENCES survey_runs (id),
	contact_id   INTEGER NOT NULL REFERENCES contacts (id),
	plan         TEXT    NOT NULL,
	question_key TEXT    NOT NULL,
	score        INTEGER, -- NULL for text and skipped answers
	text         TEXT    NOT NULL DEFAULT '',
	skipped      INTEGER NOT NULL DEFAULT 0,
	answered_at  INTEGER NOT NULL
);
-- A contact's answers are found through their runs: one index less to write per answer.
CREATE INDEX answers_run ON answers (run_id, score);
-- Covers ScoreStats: for each key, a week's scores are one range of the index, read in
-- order without sorting.
CREATE INDEX answers_scores ON answers (question_key, answered_at, score) WHERE score IS NOT NULL;
-- LowestComments reads only the answers that carry text.
CREATE INDEX answers_texts ON answers (answered_at) WHERE text <> '';

-- AUTOINCREMENT so that sqlite_sequence can start complaint references at C-1001.
CREATE TABLE complaints (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	contact_id      INTEGER NOT NULL REFERENCES contacts (id),
	run_id          INTEGER REFERENCES survey_runs (id),
	status          TEXT    NOT NULL,
	text            TEXT    NOT NULL DEFAULT '',
	opened_at       INTEGER NOT NULL,
	ack_due         INTEGER,
	resolve_due     INTEGER,
	ack_at          INTEGER,
	ack_by          TEXT    NOT NULL DEFAULT '',
	owner_platform  TEXT    NOT NULL DEFAULT '',
	owner_id        TEXT    NOT NULL DEFAULT '',
	resolved_at     INTEGER,
	resolved_by     TEXT    NOT NULL DEFAULT '',
	resolution_note TEXT    NOT NULL DEFAULT '',
	closed_at       INTEGER,
	confirmed       INTEGER, -- NULL until answered or auto-closed
	reopened        INTEGER NOT NULL DEFAULT 0,
	card_msg        INTEGER -- outbox id of the team card
);
INSERT INTO sqlite_sequence (name, seq) VALUES ('complaints', 1000);
CREATE INDEX complaints_contact ON complaints (contact_id);
CREATE INDEX complaints_status ON complaints (status, opened_at);
CREATE INDEX complaints_opened ON complaints (opened_at);
CREATE INDEX complaints_card ON complaints (card_msg) WHERE card_msg IS NOT NULL;

CREATE TABLE thread_messages (
	id               INTEGER PRIMARY KEY,
	complaint_id     INTEGER NOT NULL REFERENCES complaints (id),
	author           TEXT    NOT NULL DEFAULT '',
	account_platform TEXT    NOT NULL DEFAULT '',
	account_id       TEXT    NOT NULL DEFAULT '',
	from_team        INTEGER NOT NULL DEFAULT 0,
	text             TEXT    NOT NULL DEFAULT '',
	at               INTEGER
);
CREATE INDEX thread_messages_complaint ON thread_messages (complaint_id, at);

CREATE TABLE breaches (
	id           INTEGER PRIMARY KEY,
	complaint_id INTEGER NOT NULL REFERENCES complaints (id),
	kind         TEXT    NOT NULL,
	deadline     INTEGER,
	at           INTEGER NOT NULL
);
CREATE INDEX breaches_at ON breaches (at, kind);
CREATE INDEX breaches_complaint ON breaches (complaint_id);

CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY,
	platform    TEXT    NOT NULL,
	chat_id     TEXT    NOT NULL,
	dm          INTEGER NOT NULL DEFAULT 0,
	payload     TEXT    NOT NULL, -- core.Message as JSON
	edit_of     INTEGER,
	thread_of   INTEGER,
	contact_id  INTEGER REFERENCES contacts (id),
	state       TEXT    NOT NULL,
	created_at  INTEGER,
	due_at      INTEGER NOT NULL,
	lease_until INTEGER,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT    NOT NULL DEFAULT '',
	sent_at     INTEGER,
	sent_id     TEXT    NOT NULL DEFAULT '',
	dead_at     INTEGER
);
-- Each chat's pending messages in order: finds a chat's next head.
CREATE INDEX outbox_chat_pending ON outbox (platform, chat_id, id) WHERE state = 'pending';
CREATE INDEX outbox_sent_id ON outbox (platform, sent_id) WHERE sent_id <> '';
CREATE INDEX outbox_contact ON outbox (contact_id) WHERE contact_id IS NOT NULL;
-- Messages about no one customer, searched for quotes when a customer is erased.
CREATE INDEX outbox_unowned ON outbox (id) WHERE contact_id IS NULL;
CREATE INDEX outbox_dead ON outbox (dead_at) WHERE dead_at IS NOT NULL;

-- outbox_heads holds, for each chat with pending messages, its oldest pending message and
-- when that one becomes claimable (ready_at = max(due_at, lease_until)). The triggers below
-- keep it exact, so claiming reads one row per ready chat however long the queues are.
CREATE TABLE outbox_heads (
	platform TEXT    NOT NULL,
	chat_id  TEXT    NOT NULL,
	head_id  INTEGER NOT NULL,
	ready_at INTEGER NOT NULL,
	PRIMARY KEY (platform, chat_id)
) WITHOUT ROWID;
CREATE INDEX outbox_heads_ready ON outbox_heads (ready_at, head_id);

CREATE TRIGGER outbox_head_insert AFTER INSERT ON outbox WHEN new.state = 'pending'
BEGIN
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at)
	VALUES (new.platform, new.chat_id, new.id, max(new.due_at, coalesce(new.lease_until, 0)))
	ON CONFLICT (platform, chat_id) DO NOTHING;
END;

-- A lease or a new due time changes only when the chat's head becomes claimable.
CREATE TRIGGER outbox_head_ready
AFTER UPDATE OF due_at, lease_until ON outbox
WHEN new.state = 'pending' AND old.state = 'pending'
	AND new.platform IS old.platform AND new.chat_id IS old.chat_id
BEGIN
	UPDATE outbox_heads SET ready_at = max(new.due_at, coalesce(new.lease_until, 0))
	WHERE platform = new.platform AND chat_id = new.chat_id AND head_id = new.id;
END;

-- A message that leaves the pending state, or its chat, lets the next one be the head.
CREATE TRIGGER outbox_head_update_old
AFTER UPDATE OF state, platform, chat_id ON outbox
WHEN old.state = 'pending' OR new.state = 'pending'
BEGIN
	DELETE FROM outbox_heads WHERE platform = old.platform AND chat_id = old.chat_id;
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at)
	SELECT platform, chat_id, id, max(due_at, coalesce(lease_until, 0)) FROM outbox
	WHERE state = 'pending' AND platform = old.platform AND chat_id = old.chat_id
	ORDER BY id LIMIT 1;
END;

CREATE TRIGGER outbox_head_update_new
AFTER UPDATE OF platform, chat_id ON outbox
WHEN new.state = 'pending' AND (new.platform IS NOT old.platform OR new.chat_id IS NOT old.chat_id)
BEGIN
	DELETE FROM outbox_heads WHERE platform = new.platform AND chat_id = new.chat_id;
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at)
	SELECT platform, chat_id, id, max(due_at, coalesce(lease_until, 0)) FROM outbox
	WHERE state = 'pending' AND platform = new.platform AND chat_id = new.chat_id
	ORDER BY id LIMIT 1;
END;

CREATE TRIGGER outbox_head_delete AFTER DELETE ON outbox WHEN old.state = 'pending'
BEGIN
	DELETE FROM outbox_heads WHERE platform = old.platform AND chat_id = old.chat_id;
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at)
	SELECT platform, chat_id, id, max(due_at, coalesce(lease_until, 0)) FROM outbox
	WHERE state = 'pending' AND platform = old.platform AND chat_id = old.chat_id
	ORDER BY id LIMIT 1;
END;

CREATE TABLE jobs (
	id      INTEGER PRIMARY KEY,
	kind    TEXT    NOT NULL,
	subject INTEGER NOT NULL DEFAULT 0,
	key     TEXT, -- NULL when the job is not unique
	due_at  INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (due_at, id);
CREATE INDEX jobs_subject ON jobs (kind, subject);

-- Every job key ever added, so a keyed job is added once even after it was done.
CREATE TABLE job_keys (
	key TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Inbound events seen, for deduplication. No text is kept here.
CREATE TABLE inbound (
	platform TEXT    NOT NULL,
	event_id TEXT    NOT NULL,
	at       INTEGER NOT NULL,
	PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;

CREATE TABLE state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
