-- Metadata of media files; the bytes are in the blob store.
CREATE TABLE media_files (
	id         TEXT    PRIMARY KEY,
	session_id TEXT    NOT NULL,
	blob_key   TEXT    NOT NULL DEFAULT '',
	filename   TEXT    NOT NULL DEFAULT '',
	mimetype   TEXT    NOT NULL DEFAULT '',
	size       INTEGER NOT NULL DEFAULT 0,
	origin     TEXT    NOT NULL DEFAULT '',
	message_id TEXT    NOT NULL DEFAULT '',
	created_at TEXT    NOT NULL
);
CREATE INDEX media_files_session_time ON media_files (session_id, created_at DESC, id DESC);
