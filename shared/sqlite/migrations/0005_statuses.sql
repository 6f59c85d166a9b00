-- WhatsApp statuses (stories) of every session; they expire after 24 h.
CREATE TABLE statuses (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	session_id  TEXT    NOT NULL,
	whatsapp_id TEXT    NOT NULL,
	sender_jid  TEXT    NOT NULL DEFAULT '',
	sender_lid  TEXT    NOT NULL DEFAULT '',
	sender_name TEXT    NOT NULL DEFAULT '',
	from_me     INTEGER NOT NULL DEFAULT 0,
	type        TEXT    NOT NULL DEFAULT '',
	body        TEXT    NOT NULL DEFAULT '',
	media       TEXT,                 -- JSON (see message_json.go); NULL when absent
	timestamp   TEXT    NOT NULL,
	expires_at  TEXT    NOT NULL,
	viewed      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX statuses_whatsapp_id ON statuses (session_id, whatsapp_id);
CREATE INDEX statuses_session_time ON statuses (session_id, timestamp DESC, id DESC);
CREATE INDEX statuses_expires ON statuses (expires_at);
