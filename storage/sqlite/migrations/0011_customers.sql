-- why: the business's own customer ids (shop:4711) linked to chat accounts by invites, touchpoints that wait for such a link, and reusable, expiring invites.

CREATE TABLE customer_links (
	namespace   TEXT    NOT NULL,
	external_id TEXT    NOT NULL,
	contact_id  INTEGER NOT NULL REFERENCES contacts (id),
	linked_at   INTEGER NOT NULL,
	PRIMARY KEY (namespace, external_id, contact_id)
) WITHOUT ROWID;
-- An account is linked to at most one id per namespace; this also finds an account's links.
CREATE UNIQUE INDEX customer_links_contact ON customer_links (contact_id, namespace);

CREATE TABLE waiting_touches (
	id            INTEGER PRIMARY KEY,
	namespace     TEXT    NOT NULL,
	external_id   TEXT    NOT NULL,
	stage         TEXT    NOT NULL,
	ref           TEXT    NOT NULL DEFAULT '',
	occurred_at   INTEGER NOT NULL,
	created_at    INTEGER NOT NULL,
	key           TEXT UNIQUE, -- NULL without an idempotency key
	wait_until    INTEGER,     -- NULL: waits until linked or erased
	state         TEXT    NOT NULL, -- waiting, linked or skipped
	reason        TEXT    NOT NULL DEFAULT '',
	touchpoint_id INTEGER REFERENCES touchpoints (id) -- what it became, once linked
);
CREATE INDEX waiting_touches_customer ON waiting_touches (namespace, external_id, state, id);
CREATE INDEX waiting_touches_touchpoint ON waiting_touches (touchpoint_id) WHERE touchpoint_id IS NOT NULL;

ALTER TABLE invites ADD COLUMN customer_ns TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN customer_id TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN uses        TEXT NOT NULL DEFAULT 'once';
ALTER TABLE invites ADD COLUMN expires_at  INTEGER;
ALTER TABLE invites ADD COLUMN opens       INTEGER NOT NULL DEFAULT 0;
UPDATE invites SET opens = 1 WHERE used_at IS NOT NULL;
