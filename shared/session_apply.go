package wagate

import "slices"

// Apply sets the non-nil fields of u on s; every adapter of SessionStore
// updates sessions through it. A zero time clears QRExpiresAt or
// LastActivity; an empty (or nil) event list clears the webhook events,
// which read back as nil. The event list is copied, so s never shares
// memory with u.
func (s *Session) Apply(u SessionUpdate) {
	setIf(&s.Name, u.Name)
	setIf(&s.PhoneNumber, u.PhoneNumber)
	setIf(&s.Webhook.URL, u.WebhookURL)
	setIf(&s.Webhook.Secret, u.WebhookSecret)
	if u.WebhookEvents != nil {
		s.Webhook.Events = nil
		if len(*u.WebhookEvents) > 0 {
			s.Webhook.Events = slices.Clone(*u.WebhookEvents)
		}
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
}
