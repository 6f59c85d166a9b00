-- Messages of every session. AUTOINCREMENT: numeric ids are never reused.
-- Times are UTC, fixed-width RFC 3339 text (see timefmt.go), so they sort as text.
-- Structured content is JSON (see message_json.go); NULL when absent.
CREATE TABLE messages (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	session_id      TEXT    NOT NULL,
	whatsapp_id     TEXT    NOT NULL,
	chat_id         TEXT    NOT NULL,
	chat_lid        TEXT    NOT NULL DEFAULT '',
	sender_jid      TEXT    NOT NULL DEFAULT '',
	sender_lid      TEXT    NOT NULL DEFAULT '',
	sender_name     TEXT    NOT NULL DEFAULT '',
	from_me         INTEGER NOT NULL DEFAULT 0,
	is_group        INTEGER NOT NULL DEFAULT 0,
	type            TEXT    NOT NULL,
	body            TEXT    NOT NULL DEFAULT '',
	media           TEXT,
	location        TEXT,
	contacts        TEXT,
	reaction        TEXT,
	quoted_id       TEXT    NOT NULL DEFAULT '',
	edited          INTEGER NOT NULL DEFAULT 0,
	revoked         INTEGER NOT NULL DEFAULT 0,
	history         INTEGER NOT NULL DEFAULT 0,
	seen            INTEGER NOT NULL DEFAULT 0,
	status          TEXT    NOT NULL DEFAULT '',
	error           TEXT    NOT NULL DEFAULT '',
	timestamp       TEXT    NOT NULL,
	sent_at         TEXT,
	delivered_at    TEXT,
	read_at         TEXT,
	played_at       TEXT,
	idempotency_key TEXT    NOT NULL DEFAULT '',
	created_at      TEXT    NOT NULL
);
CREATE UNIQUE INDEX messages_whatsapp_id ON messages (session_id, whatsapp_id);
CREATE UNIQUE INDEX messages_idempotency_key ON messages (session_id, idempotency_key) WHERE idempotency_key <> '';
-- Newest first, per session and per filter of ListMessages. The trailing
-- columns cover the other filters, so combined filters (and their bounded
-- counts) read only the index of the most selective one (see messageWhere).
CREATE INDEX messages_session_time ON messages (session_id, timestamp DESC, id DESC);
CREATE INDEX messages_chat_time    ON messages (session_id, chat_id, timestamp DESC, id DESC, type, from_me);
CREATE INDEX messages_type_time    ON messages (session_id, type, timestamp DESC, id DESC, from_me);
CREATE INDEX messages_from_me_time ON messages (session_id, from_me, timestamp DESC, id DESC);
-- Unread = inbound, not seen, not from history sync. Sparse: only unread rows.
-- Queries must repeat the WHERE terms literally for SQLite to use them; the
-- trailing columns let ListUnread skip its offset without reading rows.
CREATE INDEX messages_unread      ON messages (timestamp DESC, id DESC, from_me, seen, history) WHERE from_me = 0 AND seen = 0 AND history = 0;
CREATE INDEX messages_unread_chat ON messages (session_id, chat_id)     WHERE from_me = 0 AND seen = 0 AND history = 0;

-- Chats, maintained by InsertMessage and MarkChatRead in the message's transaction.
CREATE TABLE chats (
	session_id      TEXT    NOT NULL,
	chat_id         TEXT    NOT NULL,
	name            TEXT    NOT NULL DEFAULT '',
	is_group        INTEGER NOT NULL DEFAULT 0,
	unread_count    INTEGER NOT NULL DEFAULT 0,
	total_messages  INTEGER NOT NULL DEFAULT 0,
	archived        INTEGER NOT NULL DEFAULT 0,
	pinned          INTEGER NOT NULL DEFAULT 0,
	muted           INTEGER NOT NULL DEFAULT 0,
	last_message_id INTEGER NOT NULL DEFAULT 0,  -- messages.id; only moves forward in time
	last_message_at TEXT    NOT NULL DEFAULT '', -- its timestamp
	PRIMARY KEY (session_id, chat_id)
) WITHOUT ROWID;
CREATE INDEX chats_activity ON chats (session_id, last_message_at DESC, chat_id);

-- Message counts per session and dimension ("all", "type:<t>", "fromMe:<0|1>",
-- "unread", "chats"), so list totals never count rows. Per-chat counts are
-- chats.total_messages.
CREATE TABLE message_counters (
	session_id TEXT    NOT NULL,
	dimension  TEXT    NOT NULL,
	count      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (session_id, dimension)
) WITHOUT ROWID;
