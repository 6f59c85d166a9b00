package sqlite

import (
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// applyMessageUpdate applies upd to m and reports whether m changed. The
// status moves only forward (wagate.MessageStatus.Advances) and stamps its
// own time field with upd.At, or now when At is zero.
func applyMessageUpdate(m *wagate.Message, upd wagate.MessageUpdate, now time.Time) bool {
	changed := false
	if upd.Status != nil && m.Status.Advances(*upd.Status) {
		m.Status, changed = *upd.Status, true
		at := upd.At
		if at.IsZero() {
			at = now
		}
		if field := statusTime(m, m.Status); field != nil {
			*field = canonicalTime(at)
		}
	}
	changed = setChanged(&m.Error, upd.Error) || changed
	changed = setChanged(&m.Body, upd.Body) || changed
	changed = setChanged(&m.Edited, upd.Edited) || changed
	changed = setChanged(&m.Revoked, upd.Revoked) || changed
	if upd.Media != nil && (m.Media == nil || *m.Media != *upd.Media) {
		media := *upd.Media
		m.Media, changed = &media, true
	}
	return changed
}

// statusTime returns the field of m that records when it reached s, or nil.
func statusTime(m *wagate.Message, s wagate.MessageStatus) *time.Time {
	switch s {
	case wagate.StatusSent:
		return &m.SentAt
	case wagate.StatusDelivered:
		return &m.DeliveredAt
	case wagate.StatusRead:
		return &m.ReadAt
	case wagate.StatusPlayed:
		return &m.PlayedAt
	}
	return nil
}

// setChanged sets *dst to *v when v is not nil and differs, and reports
// whether it did.
func setChanged[T comparable](dst *T, v *T) bool {
	if v == nil || *dst == *v {
		return false
	}
	*dst = *v
	return true
}
