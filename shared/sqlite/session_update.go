package sqlite

import (
	wagate "github.com/wagate/wagate/shared"
)

// applyUpdate applies u to s (wagate.Session.Apply) and makes the result
// what it reads back as from the table.
func applyUpdate(s *wagate.Session, u wagate.SessionUpdate) {
	s.Apply(u)
	canonicalize(s)
}

// canonicalize makes s equal to what it reads back as from the table, so the
// cache and a reload agree: times in UTC without monotonic reading, no empty
// event list.
func canonicalize(s *wagate.Session) {
	s.QRExpiresAt = canonicalTime(s.QRExpiresAt)
	s.LastActivity = canonicalTime(s.LastActivity)
	s.CreatedAt = canonicalTime(s.CreatedAt)
	s.UpdatedAt = canonicalTime(s.UpdatedAt)
	if len(s.Webhook.Events) == 0 {
		s.Webhook.Events = nil
	}
}
