-- Event outbox: published events wait here until the deliverer acks them.
CREATE TABLE outbox (
	seq           INTEGER PRIMARY KEY, -- publish order among the rows present
	id            TEXT    NOT NULL UNIQUE,
	type          TEXT    NOT NULL,
	session_id    TEXT    NOT NULL DEFAULT '',
	session_db_id INTEGER NOT NULL DEFAULT 0,
	time          TEXT    NOT NULL,
	data          BLOB,
	visible_at    INTEGER NOT NULL DEFAULT 0 -- unix ms; > now while leased
);
CREATE INDEX outbox_visible ON outbox (visible_at);
