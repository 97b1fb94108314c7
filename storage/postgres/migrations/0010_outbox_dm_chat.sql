-- why: an erase finds every DM to a person by address (older replies carry no contact id), without scanning the outbox (as SQLite's 0010).
CREATE INDEX outbox_dm_chat ON outbox (platform, chat_id) WHERE dm;
