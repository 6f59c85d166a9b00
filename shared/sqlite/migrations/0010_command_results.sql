-- Replies of request/reply commands (create group, contact info, invite
-- code…), keyed by command id, readable until they expire.
CREATE TABLE command_results (
	id           TEXT    PRIMARY KEY,
	session_id   TEXT    NOT NULL DEFAULT '',
	type         TEXT    NOT NULL DEFAULT '',
	status       TEXT    NOT NULL,           -- pending, done, failed
	result       BLOB,                       -- the type's result contract (JSON); NULL unless done
	err_code     TEXT    NOT NULL DEFAULT '',
	err_message  TEXT    NOT NULL DEFAULT '',
	created_at   TEXT    NOT NULL,
	completed_at TEXT,
	expires_at   TEXT    NOT NULL
);
CREATE INDEX command_results_expires ON command_results (expires_at);
