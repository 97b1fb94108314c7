-- why: a daily prune forgets old inbound events and delivered messages; these indexes find them without a scan.
CREATE INDEX inbound_at ON inbound (at);
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE state = 'sent';
CREATE INDEX outbox_edit_of ON outbox (edit_of) WHERE edit_of IS NOT NULL;
CREATE INDEX outbox_thread_of ON outbox (thread_of) WHERE thread_of IS NOT NULL;
