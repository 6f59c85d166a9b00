package sqlite

import (
	"slices"

	wagate "github.com/wagate/wagate/shared"
)

// applyUpdate sets the non-nil fields of u on s. A zero time clears
// QRExpiresAt or LastActivity; an empty slice clears the webhook events.
func applyUpdate(s *wagate.Session, u wagate.SessionUpdate) {
	setIf(&s.Name, u.Name)
	setIf(&s.PhoneNumber, u.PhoneNumber)
	setIf(&s.Webhook.URL, u.WebhookURL)
	setIf(&s.Webhook.Secret, u.WebhookSecret)
	if u.WebhookEvents != nil {
		s.Webhook.Events = slices.Clone(*u.WebhookEvents)
	}
	setIf(&s.Webhook.SendToFrappe, u.SendToFrappe)
	setIf(&s.AutoConnect, u.AutoConnect)

	setIf(&s.Status, u.Status)
	setIf(&s.Reason, u.Reason)
	setIf(&s.ReasonDetail, u.ReasonDetail)
	setIf(&s.QRCode, u.QRCode)
	setIf(&s.QRExpiresAt, u.QRExpiresAt)
	setIf(&s.PairingCode, u.PairingCode)
	setIf(&s.DeviceJID, u.DeviceJID)
	setIf(&s.Profile, u.Profile)
	setIf(&s.LastActivity, u.LastActivity)
	canonicalize(s)
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
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
