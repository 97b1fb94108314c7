-- why: /wait pauses a complaint's resolve clock while the team waits for the customer; the pause and the time it kept are stored (as SQLite's 0009).
-- waiting_at: when the team started waiting (NULL: not waiting); resolve_left: the counted
-- time the resolve standard had left then (ms); waited: the counted time spent waiting so
-- far (ms), which the digest's resolve figures leave out.
ALTER TABLE complaints ADD COLUMN waiting_at BIGINT;
ALTER TABLE complaints ADD COLUMN resolve_left BIGINT NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN waited BIGINT NOT NULL DEFAULT 0;
