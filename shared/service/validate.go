package service

import (
	"net/url"
	"strings"
	"unicode/utf8"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
)

func validateCreate(in *CreateInput) error {
	in.SessionID = strings.TrimSpace(in.SessionID)
	in.SessionName = strings.TrimSpace(in.SessionName)
	if in.SessionID != "" && !ids.ValidSessionID(in.SessionID) {
		return wagate.Errorf(wagate.EINVALID, "sessionId must be 1-64 letters, digits, '_', '.' or '-', start with a letter or digit, and not be all digits.")
	}
	if utf8.RuneCountInString(in.SessionName) > MaxSessionName {
		return wagate.Errorf(wagate.EINVALID, "sessionName must be at most %d characters.", MaxSessionName)
	}
	in.PhoneNumber = digitsOnly(in.PhoneNumber)
	if err := validatePhone(in.PhoneNumber, false); err != nil {
		return err
	}
	if err := validateWebhook(in.WebhookURL, in.WebhookSecret); err != nil {
		return err
	}
	return validateEvents(in.WebhookEvents)
}

// digitsOnly drops the formatting people type around phone numbers
// ("+34 600-000 000"); anything else is kept so validation can reject it.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '+', ' ', '-', '(', ')', '.':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

func validatePhone(p string, required bool) error {
	if p == "" {
		if required {
			return wagate.Errorf(wagate.EINVALID, "phoneNumber is required: digits with country code, e.g. 34600000000.")
		}
		return nil
	}
	if len(p) < 7 || len(p) > 15 || strings.Trim(p, "0123456789") != "" || p[0] == '0' {
		return wagate.Errorf(wagate.EINVALID, "phoneNumber must be 7-15 digits with country code and no leading 0, e.g. 34600000000.")
	}
	return nil
}

func validateWebhook(rawURL, secret string) error {
	if rawURL != "" {
		if len(rawURL) > MaxWebhookURL {
			return wagate.Errorf(wagate.EINVALID, "webhookUrl must be at most %d characters.", MaxWebhookURL)
		}
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return wagate.Errorf(wagate.EINVALID, "webhookUrl must be an absolute http:// or https:// URL.")
		}
	}
	if len(secret) > MaxWebhookSecret {
		return wagate.Errorf(wagate.EINVALID, "webhookSecret must be at most %d characters.", MaxWebhookSecret)
	}
	return nil
}

func validateEvents(evs []string) error {
	for _, e := range evs {
		if !webhookEventNames[e] {
			return wagate.Errorf(wagate.EINVALID, "webhookEvents: unknown event %q; use message, message_status, session, qr, group, status or all.", e)
		}
	}
	return nil
}
