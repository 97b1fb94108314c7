-- why: LowestComments ranks a week's comments from the index alone, without reading each answer's row.

-- Unlike SQLite's, this index leaves the text out: a B-tree entry must fit in a third of a
-- page, and a customer may write more. LowestComments reads the text of the few it returns.
DROP INDEX answers_texts;
CREATE INDEX answers_texts ON answers (answered_at) INCLUDE (run_id, question_key) WHERE text <> '';
