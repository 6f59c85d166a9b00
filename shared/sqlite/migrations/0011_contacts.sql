-- Contacts of every session: the engine's address book and push names
-- (upserted), plus the profile of live look-ups (cached).
-- sort_key is the lower-cased display name, so pages come in name order
-- from the index. Times are UTC fixed-width RFC 3339 text (timefmt.go).
CREATE TABLE contacts (
	session_id     TEXT    NOT NULL,
	jid            TEXT    NOT NULL,
	lid            TEXT    NOT NULL DEFAULT '',
	phone          TEXT    NOT NULL DEFAULT '',
	name           TEXT    NOT NULL DEFAULT '',
	first_name     TEXT    NOT NULL DEFAULT '',
	push_name      TEXT    NOT NULL DEFAULT '',
	business_name  TEXT    NOT NULL DEFAULT '',
	is_wa_contact  INTEGER NOT NULL DEFAULT 0,
	about          TEXT    NOT NULL DEFAULT '',
	picture_id     TEXT    NOT NULL DEFAULT '',
	picture_url    TEXT    NOT NULL DEFAULT '',
	business       TEXT,                       -- JSON business profile; NULL when none
	profile_at     TEXT,                       -- last live look-up; NULL = never or stale
	sort_key       TEXT    NOT NULL DEFAULT '',
	updated_at     TEXT    NOT NULL,
	PRIMARY KEY (session_id, jid)
) WITHOUT ROWID;
CREATE INDEX contacts_order ON contacts (session_id, sort_key, jid);
CREATE INDEX contacts_lid   ON contacts (session_id, lid) WHERE lid <> '';
CREATE INDEX contacts_phone ON contacts (session_id, phone) WHERE phone <> '';
