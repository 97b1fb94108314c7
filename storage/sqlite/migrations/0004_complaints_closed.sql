-- why: the digest reads only the complaints still open at a week's start, so their closing time is indexed.
CREATE INDEX complaints_closed ON complaints (closed_at);
