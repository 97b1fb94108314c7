-- why: a claim belongs to the process that made it (no lease that runs out under a live sender), and each message has a class so that replies go before bulk; as SQLite's 0008.
-- class: 1 reply, 2 team, 3 bulk, 4 cosmetic (core.Class); lower goes first. While a message
-- is claimed, lease_until holds the far future (claims never expire by time) and claimed_by
-- the claiming instance. An instance is alive while its lease 'outbox:<instance>' in leases
-- is current (ReclaimOutbox renews it); the claims of instances that are not are taken over.
ALTER TABLE outbox ADD COLUMN class INTEGER NOT NULL DEFAULT 2;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox_heads ADD COLUMN class INTEGER NOT NULL DEFAULT 2;
-- Finds the claims to take over without a scan.
CREATE INDEX outbox_claimed ON outbox (claimed_by) WHERE lease_until IS NOT NULL;
CREATE INDEX outbox_heads_class ON outbox_heads (class, head_id);

CREATE OR REPLACE FUNCTION outbox_head_refresh(p TEXT, c TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM outbox_heads WHERE platform = p AND chat_id = c;
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at, class)
	SELECT platform, chat_id, id, greatest(due_at, coalesce(lease_until, 0)), class FROM outbox
	WHERE state = 'pending' AND platform = p AND chat_id = c
	ORDER BY id LIMIT 1;
END $$;

CREATE OR REPLACE FUNCTION outbox_head_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO outbox_heads (platform, chat_id, head_id, ready_at, class)
	VALUES (NEW.platform, NEW.chat_id, NEW.id, greatest(NEW.due_at, coalesce(NEW.lease_until, 0)), NEW.class)
	ON CONFLICT (platform, chat_id) DO NOTHING;
	RETURN NULL;
END $$;

-- The messages ahead of a new one in its chat take its class when more urgent: a customer who
-- writes while an invitation to them waits gets both sooner, in order. So a chat's classes
-- never fall along its queue, its head has the most urgent, and only when the message just
-- ahead is less urgent is there anything to lift (one index probe decides).
CREATE FUNCTION outbox_class_lift() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.class < (SELECT class FROM outbox WHERE state = 'pending' AND platform = NEW.platform
			AND chat_id = NEW.chat_id AND id < NEW.id ORDER BY id DESC LIMIT 1) THEN
		UPDATE outbox SET class = NEW.class
		WHERE state = 'pending' AND platform = NEW.platform AND chat_id = NEW.chat_id
			AND id < NEW.id AND class > NEW.class;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER outbox_class_lift AFTER INSERT ON outbox
	FOR EACH ROW WHEN (NEW.state = 'pending') EXECUTE FUNCTION outbox_class_lift();

-- A claim, a new due time or a new class changes only when and how soon the head goes.
CREATE OR REPLACE FUNCTION outbox_head_ready() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE outbox_heads SET ready_at = greatest(NEW.due_at, coalesce(NEW.lease_until, 0)), class = NEW.class
	WHERE platform = NEW.platform AND chat_id = NEW.chat_id AND head_id = NEW.id;
	RETURN NULL;
END $$;
DROP TRIGGER outbox_head_ready ON outbox;
CREATE TRIGGER outbox_head_ready AFTER UPDATE OF due_at, lease_until, class ON outbox
	FOR EACH ROW WHEN (NEW.state = 'pending' AND OLD.state = 'pending'
		AND NEW.platform = OLD.platform AND NEW.chat_id = OLD.chat_id)
	EXECUTE FUNCTION outbox_head_ready();
