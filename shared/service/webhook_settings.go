package service

import (
	"context"

	wagate "github.com/wagate/wagate/shared"
)

// WebhookInput changes a session's webhook settings; nil fields stay.
type WebhookInput struct {
	URL          *string
	Secret       *string
	Events       *[]string
	SendToFrappe *bool
}

// SetWebhook changes where the session's events go. It takes effect for the
// next event delivered: no restart, no re-pairing. Returns EINVALID, ENOSESSION.
func (s *Sessions) SetWebhook(ctx context.Context, key string, in WebhookInput) (*wagate.Session, error) {
	var u, sec string
	if in.URL != nil {
		u = *in.URL
	}
	if in.Secret != nil {
		sec = *in.Secret
	}
	if err := validateWebhook(u, sec); err != nil {
		return nil, err
	}
	if in.Events != nil {
		if err := validateEvents(*in.Events); err != nil {
			return nil, err
		}
	}
	sess, err := s.Store.FindSession(ctx, key)
	if err != nil {
		return nil, err
	}
	return s.Store.UpdateSession(ctx, sess.SessionID, wagate.SessionUpdate{
		WebhookURL: in.URL, WebhookSecret: in.Secret, WebhookEvents: in.Events, SendToFrappe: in.SendToFrappe,
	})
}
