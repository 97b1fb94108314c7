-- why: /wait pauses a complaint's resolve clock while the team waits for the customer; the pause and the time it kept are stored.
-- waiting_at: when the team started waiting (NULL: not waiting); resolve_left: the counted
-- time the resolve standard had left then (ms); waited: the counted time spent waiting so
-- far (ms), which the digest's resolve figures leave out.
ALTER TABLE complaints ADD COLUMN waiting_at INTEGER;
ALTER TABLE complaints ADD COLUMN resolve_left INTEGER NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN waited INTEGER NOT NULL DEFAULT 0;
