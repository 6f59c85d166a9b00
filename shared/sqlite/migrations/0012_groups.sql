-- Groups every session is in, kept current from WhatsApp's group events and
-- the list fetched at connect. Members are a JSON array (a group has at most
-- 1024), read and written with the group.
CREATE TABLE session_groups (
	session_id   TEXT    NOT NULL,
	jid          TEXT    NOT NULL,
	subject      TEXT    NOT NULL DEFAULT '',
	description  TEXT    NOT NULL DEFAULT '',
	owner_jid    TEXT    NOT NULL DEFAULT '',
	created_at   TEXT,
	announce     INTEGER NOT NULL DEFAULT 0,
	locked       INTEGER NOT NULL DEFAULT 0,
	participants TEXT    NOT NULL DEFAULT '[]',
	invite_code  TEXT    NOT NULL DEFAULT '',
	sort_key     TEXT    NOT NULL DEFAULT '',  -- lower-cased subject
	updated_at   TEXT    NOT NULL,
	PRIMARY KEY (session_id, jid)
) WITHOUT ROWID;
CREATE INDEX session_groups_order ON session_groups (session_id, sort_key, jid);
