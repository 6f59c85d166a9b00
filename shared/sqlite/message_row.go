package sqlite

import (
	"database/sql"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// messageColumns lists the columns of the messages table in the order
// scanMessage reads them and messageValues writes them (id first).
const messageColumns = `id, session_id, whatsapp_id,
	chat_id, chat_lid, sender_jid, sender_lid, sender_name, from_me, is_group,
	type, body, media, location, contacts, reaction, quoted_id,
	edited, revoked, history, seen, status, error, timestamp,
	sent_at, delivered_at, read_at, played_at, idempotency_key, created_at`

// messageSets is the SET clause of the columns UpdateMessage may change.
const messageSets = `body = ?, media = ?, edited = ?, revoked = ?, status = ?, error = ?,
	sent_at = ?, delivered_at = ?, read_at = ?, played_at = ?`

// messageValues returns the values of every column but id, in
// messageColumns order.
func messageValues(m *wagate.Message) ([]any, error) {
	media, err := encodeMedia(m.Media)
	if err != nil {
		return nil, err
	}
	location, err := encodeLocation(m.Location)
	if err != nil {
		return nil, err
	}
	contacts, err := encodeContacts(m.Contacts)
	if err != nil {
		return nil, err
	}
	reaction, err := encodeReaction(m.Reaction)
	if err != nil {
		return nil, err
	}
	return []any{m.SessionID, m.WhatsAppID,
		m.ChatID, m.ChatLID, m.SenderJID, m.SenderLID, m.SenderName, m.FromMe, m.IsGroup,
		string(m.Type), m.Body, media, location, contacts, reaction, m.QuotedID,
		m.Edited, m.Revoked, m.History, m.Seen, string(m.Status), m.Error, formatTime(m.Timestamp),
		nullTime(m.SentAt), nullTime(m.DeliveredAt), nullTime(m.ReadAt), nullTime(m.PlayedAt),
		m.IdempotencyKey, formatTime(m.CreatedAt),
	}, nil
}

// messageSetValues returns the values of messageSets.
func messageSetValues(m *wagate.Message) ([]any, error) {
	media, err := encodeMedia(m.Media)
	if err != nil {
		return nil, err
	}
	return []any{m.Body, media, m.Edited, m.Revoked, string(m.Status), m.Error,
		nullTime(m.SentAt), nullTime(m.DeliveredAt), nullTime(m.ReadAt), nullTime(m.PlayedAt)}, nil
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// scanMessage reads one row selected with messageColumns.
func scanMessage(row scanner) (*wagate.Message, error) {
	var (
		m                                   wagate.Message
		typ, status                         string
		media, location, contacts, reaction sql.NullString
		timestamp, createdAt                sql.NullString
		sent, delivered, read, played       sql.NullString
	)
	err := row.Scan(&m.ID, &m.SessionID, &m.WhatsAppID,
		&m.ChatID, &m.ChatLID, &m.SenderJID, &m.SenderLID, &m.SenderName, &m.FromMe, &m.IsGroup,
		&typ, &m.Body, &media, &location, &contacts, &reaction, &m.QuotedID,
		&m.Edited, &m.Revoked, &m.History, &m.Seen, &status, &m.Error, &timestamp,
		&sent, &delivered, &read, &played, &m.IdempotencyKey, &createdAt)
	if err != nil {
		return nil, err
	}
	m.Type, m.Status = wagate.MessageType(typ), wagate.MessageStatus(status)
	if err := decodeMessageParts(&m, media, location, contacts, reaction); err != nil {
		return nil, fmt.Errorf("message %d: %w", m.ID, err)
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{
		{&m.Timestamp, timestamp}, {&m.CreatedAt, createdAt},
		{&m.SentAt, sent}, {&m.DeliveredAt, delivered}, {&m.ReadAt, read}, {&m.PlayedAt, played},
	} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, fmt.Errorf("message %d: %w", m.ID, err)
		}
	}
	return &m, nil
}

func decodeMessageParts(m *wagate.Message, media, location, contacts, reaction sql.NullString) error {
	var err error
	if m.Media, err = decodeMedia(media); err != nil {
		return err
	}
	if m.Location, err = decodeLocation(location); err != nil {
		return err
	}
	if m.Contacts, err = decodeContacts(contacts); err != nil {
		return err
	}
	m.Reaction, err = decodeReaction(reaction)
	return err
}

// scanMessages reads every row selected with messageColumns.
func scanMessages(rows *sql.Rows) ([]*wagate.Message, error) {
	defer rows.Close()
	var list []*wagate.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("scan message: %w", err)
		}
		list = append(list, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	return list, nil
}
