-- Sessions: one row per linked (or to be linked) WhatsApp number.
-- AUTOINCREMENT: numeric ids are monotonic and never reused, even after a delete.
CREATE TABLE sessions (
	id                  INTEGER PRIMARY KEY AUTOINCREMENT,
	session_id          TEXT    NOT NULL UNIQUE,
	name                TEXT    NOT NULL DEFAULT '',
	phone_number        TEXT    NOT NULL DEFAULT '',
	webhook_url         TEXT    NOT NULL DEFAULT '',
	webhook_secret      TEXT    NOT NULL DEFAULT '',
	webhook_events      TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
	send_to_frappe      INTEGER NOT NULL DEFAULT 0,
	status              TEXT    NOT NULL DEFAULT '',
	reason              TEXT    NOT NULL DEFAULT '',
	reason_detail       TEXT    NOT NULL DEFAULT '',
	qr_code             TEXT    NOT NULL DEFAULT '',
	qr_expires_at       TEXT,                          -- UTC, fixed-width RFC 3339; NULL = none
	pairing_code        TEXT    NOT NULL DEFAULT '',
	device_jid          TEXT    NOT NULL DEFAULT '',
	profile_name        TEXT    NOT NULL DEFAULT '',
	profile_about       TEXT    NOT NULL DEFAULT '',
	profile_picture_url TEXT    NOT NULL DEFAULT '',
	profile_is_business INTEGER NOT NULL DEFAULT 0,
	last_activity       TEXT,
	auto_connect        INTEGER NOT NULL DEFAULT 0,
	created_at          TEXT    NOT NULL,
	updated_at          TEXT    NOT NULL
);
