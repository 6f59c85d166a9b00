package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	wagate "github.com/wagate/wagate/shared"
)

// ListContacts returns a page of a session's contacts in display-name order
// and how many match (counted up to maxCountedTotal).
func (st *ContactStore) ListContacts(ctx context.Context, f wagate.ContactFilter) ([]*wagate.Contact, int, error) {
	where, args := contactWhere(f)
	rows, err := st.db.sql.QueryContext(ctx, `SELECT `+contactColumns+` FROM contacts WHERE `+where+
		` ORDER BY sort_key, jid LIMIT ? OFFSET ?`, append(args, listLimit(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list contacts of session %q: %w", f.SessionID, err)
	}
	defer rows.Close()
	var list []*wagate.Contact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list contacts of session %q: %w", f.SessionID, err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list contacts of session %q: %w", f.SessionID, err)
	}
	var total int
	if err := st.db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM contacts WHERE `+where+` LIMIT ?)`,
		append(args, maxCountedTotal)...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count contacts of session %q: %w", f.SessionID, err)
	}
	return list, total, nil
}

// contactWhere is the WHERE clause of a contact filter. The search matches
// any name, or the number when it is typed as one ("+34 600…").
func contactWhere(f wagate.ContactFilter) (string, []any) {
	where, args := `session_id = ?`, []any{f.SessionID}
	search := strings.TrimSpace(f.Search)
	if search == "" {
		return where, args
	}
	like := "%" + escapeLike(search) + "%"
	where += ` AND (name LIKE ? ESCAPE '\' OR first_name LIKE ? ESCAPE '\' OR push_name LIKE ? ESCAPE '\'
		OR business_name LIKE ? ESCAPE '\' OR jid LIKE ? ESCAPE '\'`
	args = append(args, like, like, like, like, like)
	if digits := phoneDigits(search); digits != "" {
		where += ` OR phone LIKE ?`
		args = append(args, "%"+digits+"%")
	}
	return where + `)`, args
}

// escapeLike escapes LIKE's wildcards with '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// phoneDigits returns the digits of s if s is a number as people type it
// (digits, spaces, '+', '-', '.', parentheses), else "".
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" +-.()", r):
		default:
			return ""
		}
	}
	return b.String()
}

// ContactStats counts a session's contacts in one pass over its rows.
func (st *ContactStore) ContactStats(ctx context.Context, sessionID string) (*wagate.ContactStats, error) {
	var s wagate.ContactStats
	err := st.db.sql.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(jid LIKE '%@s.whatsapp.net' OR jid LIKE '%@lid'), 0),
		COALESCE(SUM(is_wa_contact), 0),
		COALESCE(SUM(name <> ''), 0),
		COALESCE(SUM(picture_url <> '' OR picture_id <> ''), 0)
		FROM contacts WHERE session_id = ?`, sessionID).Scan(&s.Total, &s.Users, &s.WAContacts, &s.WithNames, &s.WithProfilePics)
	if err != nil {
		return nil, fmt.Errorf("count contacts of session %q: %w", sessionID, err)
	}
	return &s, nil
}

// scanContact reads one row selected with contactColumns.
func scanContact(row scanner) (*wagate.Contact, error) {
	var (
		c                    wagate.Contact
		business             sql.NullString
		profileAt, updatedAt sql.NullString
	)
	err := row.Scan(&c.SessionID, &c.JID, &c.LID, &c.Phone, &c.Name, &c.FirstName, &c.PushName, &c.BusinessName,
		&c.IsWAContact, &c.About, &c.PictureID, &c.PictureURL, &business, &profileAt, &updatedAt)
	if err != nil {
		return nil, err
	}
	if business.Valid && business.String != "" {
		c.Business = &wagate.BusinessProfile{}
		if err := decodeDoc("business profile", business, c.Business); err != nil {
			return nil, fmt.Errorf("contact %q: %w", c.JID, err)
		}
	}
	if c.ProfileAt, err = parseTime(profileAt); err != nil {
		return nil, fmt.Errorf("contact %q: %w", c.JID, err)
	}
	if c.UpdatedAt, err = parseTime(updatedAt); err != nil {
		return nil, fmt.Errorf("contact %q: %w", c.JID, err)
	}
	return &c, nil
}
