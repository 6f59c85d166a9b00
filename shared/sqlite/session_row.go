package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// sessionColumns lists the columns of the sessions table in the order
// scanSession reads them and sessionValues writes them (id first).
const sessionColumns = `id, session_id, name, phone_number,
	webhook_url, webhook_secret, webhook_events, send_to_frappe,
	status, reason, reason_detail, qr_code, qr_expires_at, pairing_code, device_jid,
	profile_name, profile_about, profile_picture_url, profile_is_business,
	last_activity, auto_connect, created_at, updated_at`

// sessionSets is the SET clause writing every column but id and session_id.
const sessionSets = `name = ?, phone_number = ?,
	webhook_url = ?, webhook_secret = ?, webhook_events = ?, send_to_frappe = ?,
	status = ?, reason = ?, reason_detail = ?, qr_code = ?, qr_expires_at = ?, pairing_code = ?, device_jid = ?,
	profile_name = ?, profile_about = ?, profile_picture_url = ?, profile_is_business = ?,
	last_activity = ?, auto_connect = ?, created_at = ?, updated_at = ?`

// sessionValues returns the values of every column but id and session_id,
// in sessionColumns order.
func sessionValues(s *wagate.Session) ([]any, error) {
	events := s.Webhook.Events
	if events == nil {
		events = []string{}
	}
	ev, err := json.Marshal(events)
	if err != nil {
		return nil, fmt.Errorf("encode webhook events: %w", err)
	}
	return []any{
		s.Name, s.PhoneNumber,
		s.Webhook.URL, s.Webhook.Secret, string(ev), s.Webhook.SendToFrappe,
		string(s.Status), string(s.Reason), s.ReasonDetail, s.QRCode, nullTime(s.QRExpiresAt), s.PairingCode, s.DeviceJID,
		s.Profile.Name, s.Profile.About, s.Profile.PictureURL, s.Profile.IsBusiness,
		nullTime(s.LastActivity), s.AutoConnect, formatTime(s.CreatedAt), formatTime(s.UpdatedAt),
	}, nil
}

// scanSession reads one row selected with sessionColumns.
func scanSession(rows *sql.Rows) (*wagate.Session, error) {
	var (
		s                       wagate.Session
		status, reason, events  string
		qrExpires, lastActivity sql.NullString
		createdAt, updatedAt    sql.NullString
	)
	err := rows.Scan(&s.ID, &s.SessionID, &s.Name, &s.PhoneNumber,
		&s.Webhook.URL, &s.Webhook.Secret, &events, &s.Webhook.SendToFrappe,
		&status, &reason, &s.ReasonDetail, &s.QRCode, &qrExpires, &s.PairingCode, &s.DeviceJID,
		&s.Profile.Name, &s.Profile.About, &s.Profile.PictureURL, &s.Profile.IsBusiness,
		&lastActivity, &s.AutoConnect, &createdAt, &updatedAt)
	if err != nil {
		return nil, fmt.Errorf("scan session: %w", err)
	}
	s.Status, s.Reason = wagate.Status(status), wagate.Reason(reason)
	if err := json.Unmarshal([]byte(events), &s.Webhook.Events); err != nil {
		return nil, fmt.Errorf("decode webhook events of session %q: %w", s.SessionID, err)
	}
	if len(s.Webhook.Events) == 0 {
		s.Webhook.Events = nil
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&s.QRExpiresAt, qrExpires}, {&s.LastActivity, lastActivity}, {&s.CreatedAt, createdAt}, {&s.UpdatedAt, updatedAt}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, fmt.Errorf("session %q: %w", s.SessionID, err)
		}
	}
	return &s, nil
}
