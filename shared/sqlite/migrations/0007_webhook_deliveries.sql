-- Webhook deliveries: one row per (event, target) on its way to a CRM, and
-- the log of every attempt. The target's URL and secret are not stored: the
-- deliverer reads them from the session at each attempt.
CREATE TABLE webhook_deliveries (
	id              TEXT    PRIMARY KEY,
	event_id        TEXT    NOT NULL,
	event_type      TEXT    NOT NULL,
	session_id      TEXT    NOT NULL DEFAULT '',
	target          TEXT    NOT NULL,
	event           BLOB,                       -- the bus event (events.Event) as JSON
	status          TEXT    NOT NULL,           -- pending, delivered, dead
	attempts        INTEGER NOT NULL DEFAULT 0, -- attempts since creation or the last replay
	next_attempt_at INTEGER NOT NULL DEFAULT 0, -- unix ms; a pending delivery is due from then
	lease_until     INTEGER NOT NULL DEFAULT 0, -- unix ms; > now while an attempt holds it
	last_url        TEXT    NOT NULL DEFAULT '',
	last_code       INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT '',
	created_at      TEXT    NOT NULL,
	updated_at      TEXT    NOT NULL,
	delivered_at    TEXT,
	UNIQUE (event_id, target)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at, id);
CREATE INDEX webhook_deliveries_session ON webhook_deliveries (session_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_type ON webhook_deliveries (event_type, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_time ON webhook_deliveries (created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
	delivery_id TEXT    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
	n           INTEGER NOT NULL, -- 1, 2, … over the life of the delivery (replays continue the count)
	at          TEXT    NOT NULL,
	url         TEXT    NOT NULL DEFAULT '',
	status_code INTEGER NOT NULL DEFAULT 0,
	latency_ms  INTEGER NOT NULL DEFAULT 0,
	error       TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (delivery_id, n)
) WITHOUT ROWID;
