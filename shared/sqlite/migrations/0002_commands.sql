-- Command queue: per-session FIFO, at most one command of a session in flight.
-- The head of a session is its lowest seq; the others wait behind it.
CREATE TABLE commands (
	seq         INTEGER PRIMARY KEY, -- no AUTOINCREMENT: order among live rows is all FIFO needs
	id          TEXT    NOT NULL UNIQUE,   -- command id: enqueue is idempotent
	session_id  TEXT    NOT NULL,
	type        TEXT    NOT NULL,
	created_at  TEXT    NOT NULL,
	payload     BLOB,
	visible_at  INTEGER NOT NULL DEFAULT 0, -- unix ms; > now while in flight or delayed by a nack
	receipt     TEXT,                       -- token of the current delivery; NULL when not in flight
	attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX commands_session ON commands (session_id, seq);
CREATE INDEX commands_visible ON commands (visible_at);
