package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.ContactStore = (*ContactStore)(nil)

// ContactStore is wagate.ContactStore on the contacts table. Writes read the
// row, merge in Go and write it back in one transaction, so the sort key (the
// lower-cased display name) always follows the names.
type ContactStore struct {
	db *DB
}

// NewContactStore returns the contact store of db.
func NewContactStore(db *DB) *ContactStore { return &ContactStore{db: db} }

const contactColumns = `session_id, jid, lid, phone, name, first_name, push_name, business_name, is_wa_contact,
	about, picture_id, picture_url, business, profile_at, updated_at`

// UpsertContacts creates or updates the address-book part of each contact.
func (st *ContactStore) UpsertContacts(ctx context.Context, sessionID string, cs []*wagate.Contact) error {
	for _, c := range cs {
		if c == nil || c.JID == "" {
			return wagate.Errorf(wagate.EINVALID, "contacts: every contact needs a JID")
		}
	}
	if len(cs) == 0 {
		return nil
	}
	now := canonicalTime(time.Now())
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		q := preparedTx{st.db, tx}
		for _, c := range cs {
			if err := upsertContact(ctx, q, sessionID, c, now); err != nil {
				return fmt.Errorf("contact %q: %w", c.JID, err)
			}
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("upsert %d contacts of session %q: %w", len(cs), sessionID, err)
	}
	return nil
}

// upsertContact merges c into the stored row it belongs to: its JID, or a
// phone contact that has c's JID as its LID. A LID-only row that c now
// names by phone is absorbed.
func upsertContact(ctx context.Context, q querier, sessionID string, c *wagate.Contact, now time.Time) error {
	row, err := findContactRow(ctx, q, `session_id = ? AND jid = ?`, sessionID, c.JID)
	if err != nil {
		return err
	}
	if row == nil && c.LID == "" && c.JID != "" && strings.HasSuffix(c.JID, "@lid") {
		if row, err = findContactRow(ctx, q, `session_id = ? AND lid = ?`, sessionID, c.JID); err != nil {
			return err
		}
	}
	if row == nil {
		row = &wagate.Contact{SessionID: sessionID, JID: c.JID}
	}
	if c.LID != "" && c.LID != row.JID {
		old, err := findContactRow(ctx, q, `session_id = ? AND jid = ?`, sessionID, c.LID)
		if err != nil {
			return err
		}
		if old != nil {
			if row.ProfileAt.IsZero() && !old.ProfileAt.IsZero() {
				row.About, row.PictureID, row.PictureURL, row.Business, row.ProfileAt = old.About, old.PictureID, old.PictureURL, old.Business, old.ProfileAt
			}
			if _, err := q.ExecContext(ctx, `DELETE FROM contacts WHERE session_id = ? AND jid = ?`, sessionID, c.LID); err != nil {
				return err
			}
		}
	}
	if c.LID != "" || row.JID == c.JID {
		row.LID = firstNonEmpty(c.LID, row.LID)
	}
	row.Phone = firstNonEmpty(c.Phone, firstNonEmpty(row.Phone, phoneOfJID(row.JID)))
	row.Name, row.FirstName, row.PushName, row.BusinessName = c.Name, c.FirstName, c.PushName, c.BusinessName
	row.IsWAContact = c.IsWAContact
	row.UpdatedAt = now
	return writeContact(ctx, q, row)
}

// SetContactProfile records a live look-up, creating the contact if needed.
func (st *ContactStore) SetContactProfile(ctx context.Context, sessionID, jid string, p wagate.ContactProfile) error {
	if jid == "" {
		return wagate.Errorf(wagate.EINVALID, "contact profile: JID is required")
	}
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		q := preparedTx{st.db, tx}
		row, err := findContactRow(ctx, q, `session_id = ? AND (jid = ? OR lid = ?)`, sessionID, jid, jid)
		if err != nil {
			return err
		}
		if row == nil {
			row = &wagate.Contact{SessionID: sessionID, JID: jid, Phone: phoneOfJID(jid)}
		}
		row.IsWAContact = true
		row.LID = firstNonEmpty(p.LID, row.LID)
		row.BusinessName = firstNonEmpty(p.BusinessName, row.BusinessName)
		row.About, row.PictureID, row.PictureURL, row.Business = p.About, p.PictureID, p.PictureURL, p.Business.Clone()
		row.ProfileAt = canonicalTime(p.FetchedAt)
		if row.ProfileAt.IsZero() {
			row.ProfileAt = canonicalTime(time.Now())
		}
		row.UpdatedAt = canonicalTime(time.Now())
		return writeContact(ctx, q, row)
	}, nil)
	if err != nil {
		return fmt.Errorf("set profile of contact %q of session %q: %w", jid, sessionID, err)
	}
	return nil
}

// SetContactPicture records a picture change of a known contact.
func (st *ContactStore) SetContactPicture(ctx context.Context, sessionID, jid, pictureID string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE contacts SET picture_id = ?, picture_url = '', profile_at = NULL, updated_at = ?
			WHERE session_id = ? AND (jid = ? OR lid = ?)`, pictureID, formatTime(time.Now()), sessionID, jid, jid)
		return err
	}, nil)
	if err != nil {
		return fmt.Errorf("set picture of contact %q of session %q: %w", jid, sessionID, err)
	}
	return nil
}

// FindContact returns the contact whose JID, LID or phone is key.
func (st *ContactStore) FindContact(ctx context.Context, sessionID, key string) (*wagate.Contact, error) {
	c, err := findContactRow(ctx, st.db.sql, `session_id = ? AND (jid = ? OR lid = ? OR phone = ?)`, sessionID, key, key, key)
	if err != nil {
		return nil, fmt.Errorf("find contact %q of session %q: %w", key, sessionID, err)
	}
	if c == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Contact %s not found.", key)
	}
	return c, nil
}

// DeleteSessionContacts removes every contact of a session.
func (st *ContactStore) DeleteSessionContacts(ctx context.Context, sessionID string) error {
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE session_id = ?`, sessionID)
		return err
	}, nil)
	if err != nil {
		return fmt.Errorf("delete contacts of session %q: %w", sessionID, err)
	}
	return nil
}

// findContactRow returns the first contact matching where, or nil.
func findContactRow(ctx context.Context, q querier, where string, args ...any) (*wagate.Contact, error) {
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT `+contactColumns+` FROM contacts WHERE `+where+` LIMIT 1`, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// writeContact inserts or replaces the row of c.
func writeContact(ctx context.Context, q querier, c *wagate.Contact) error {
	var business sql.NullString
	if c.Business != nil {
		var err error
		if business, err = encodeDoc("business profile", c.Business); err != nil {
			return err
		}
	}
	_, err := q.ExecContext(ctx, `INSERT OR REPLACE INTO contacts (`+contactColumns+`, sort_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.SessionID, c.JID, c.LID, c.Phone, c.Name, c.FirstName, c.PushName, c.BusinessName, c.IsWAContact,
		c.About, c.PictureID, c.PictureURL, business, nullTime(c.ProfileAt), formatTime(c.UpdatedAt),
		strings.ToLower(c.DisplayName()))
	return err
}

// phoneOfJID returns the digits of a phone JID ("" for other JIDs).
func phoneOfJID(jid string) string {
	user, ok := strings.CutSuffix(jid, "@s.whatsapp.net")
	if !ok || user == "" || strings.Trim(user, "0123456789") != "" {
		return ""
	}
	return user
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
