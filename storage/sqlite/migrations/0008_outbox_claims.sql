-- why: a claim belongs to the process that made it (no lease that runs out under a live sender), and each message has a class so that replies go before bulk.
-- class: 1 reply, 2 team, 3 bulk, 4 cosmetic (core.Class); lower goes first. While a message
-- is claimed, lease_until holds the far future (claims never expire by time) and claimed_by
-- the claiming instance; a new instance takes over the claims of instances that are gone.
ALTER TABLE outbox ADD COLUMN class INTEGER NOT NULL DEFAULT 2;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox_heads ADD COLUMN class INTEGER NOT NULL DEFAULT 2;
-- Finds the claims to take over without a scan.
CREATE INDEX outbox_claimed ON outbox (claimed_by) WHERE lease_until IS NOT NULL;

DROP TRIGGER outbox_head_insert;
DROP TRIGGER outbox_head_ready;
DROP TRIGGER outbox_head_update_old;
DROP TRIGGER outbox_head_update_new;
DROP TRIGGER outbox_head_delete;

CREATE TRIGGER outbox_head_insert AFTER INSERT ON outbox WHEN new.state = 'pending'
BEGIN
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at, class)
	VALUES (new.platform, new.chat_id, new.id, max(new.due_at, coalesce(new.lease_until, 0)), new.class)
	ON CONFLICT (platform, chat_id) DO NOTHING;
END;

-- The messages ahead of a new one in its chat take its class when more urgent: a customer who
-- writes while an invitation to them waits gets both sooner, in order. So a chat's classes
-- never fall along its queue, its head has the most urgent, and only when the message just
-- ahead is less urgent is there anything to lift (one index probe decides).
CREATE TRIGGER outbox_class_lift AFTER INSERT ON outbox
WHEN new.state = 'pending' AND new.class < (SELECT class FROM outbox WHERE state = 'pending'
	AND platform = new.platform AND chat_id = new.chat_id AND id < new.id ORDER BY id DESC LIMIT 1)
BEGIN
	UPDATE outbox SET class = new.class
	WHERE state = 'pending' AND platform = new.platform AND chat_id = new.chat_id AND id < new.id
		AND class > new.class;
END;

-- A claim, a new due time or a new class changes only when and how soon the head goes.
CREATE TRIGGER outbox_head_ready
AFTER UPDATE OF due_at, lease_until, class ON outbox
WHEN new.state = 'pending' AND old.state = 'pending'
	AND new.platform IS old.platform AND new.chat_id IS old.chat_id
BEGIN
	UPDATE outbox_heads SET ready_at = max(new.due_at, coalesce(new.lease_until, 0)), class = new.class
	WHERE platform = new.platform AND chat_id = new.chat_id AND head_id = new.id;
END;

-- A message that leaves the pending state, or its chat, lets the next one be the head.
CREATE TRIGGER outbox_head_update_old
AFTER UPDATE OF state, platform, chat_id ON outbox
WHEN old.state = 'pending' OR new.state = 'pending'
BEGIN
	DELETE FROM outbox_heads WHERE platform = old.platform AND chat_id = old.chat_id;
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at, class)
	SELECT platform, chat_id, id, max(due_at, coalesce(lease_until, 0)), class FROM outbox
	WHERE state = 'pending' AND platform = old.platform AND chat_id = old.chat_id
	ORDER BY id LIMIT 1;
END;

CREATE TRIGGER outbox_head_update_new
AFTER UPDATE OF platform, chat_id ON outbox
WHEN new.state = 'pending' AND (new.platform IS NOT old.platform OR new.chat_id IS NOT old.chat_id)
BEGIN
	DELETE FROM outbox_heads WHERE platform = new.platform AND chat_id = new.chat_id;
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at, class)
	SELECT platform, chat_id, id, max(due_at, coalesce(lease_until, 0)), class FROM outbox
	WHERE state = 'pending' AND platform = new.platform AND chat_id = new.chat_id
	ORDER BY id LIMIT 1;
END;

CREATE TRIGGER outbox_head_delete AFTER DELETE ON outbox WHEN old.state = 'pending'
BEGIN
	DELETE FROM outbox_heads WHERE platform = old.platform AND chat_id = old.chat_id;
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at, class)
	SELECT platform, chat_id, id, max(due_at, coalesce(lease_until, 0)), class FROM outbox
	WHERE state = 'pending' AND platform = old.platform AND chat_id = old.chat_id
	ORDER BY id LIMIT 1;
END;
