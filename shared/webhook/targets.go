package webhook

import (
	"strings"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// Frappe is the global Frappe endpoint (FRAPPE_WEBHOOK_URL,
// FRAPPE_WEBHOOK_SECRET) of the sessions with sendToFrappe.
type Frappe struct {
	URL    string
	Secret string
}

// Targets returns where ev goes, given the session it belongs to (nil for
// a deleted session: nowhere):
//
//   - wagate.TargetSession when the session has a webhookUrl and its
//     webhookEvents subscribe to ev's type (see Subscribed);
//   - wagate.TargetFrappe, for every event, when the session has
//     sendToFrappe and fr.URL is set.
//
// A session whose webhookUrl is the Frappe URL itself gets the Frappe target
// only, so the CRM does not receive everything twice.
func Targets(ev events.Event, sess *wagate.Session, fr Frappe) []string {
	if sess == nil {
		return nil
	}
	var out []string
	frappe := sess.Webhook.SendToFrappe && fr.URL != ""
	if u := strings.TrimSpace(sess.Webhook.URL); u != "" && !(frappe && u == strings.TrimSpace(fr.URL)) &&
		Subscribed(sess.Webhook.Events, ev.Type) {
		out = append(out, wagate.TargetSession)
	}
	if frappe {
		out = append(out, wagate.TargetFrappe)
	}
	return out
}

// Resolve returns the URL and secret of a target as the settings are now,
// read at each attempt so a change applies to pending retries at once; ok
// is false when the target is no longer configured.
func Resolve(target string, sess *wagate.Session, fr Frappe) (url, secret string, ok bool) {
	if sess == nil {
		return "", "", false
	}
	switch target {
	case wagate.TargetSession:
		if sess.Webhook.URL != "" {
			return sess.Webhook.URL, sess.Webhook.Secret, true
		}
	case wagate.TargetFrappe:
		if sess.Webhook.SendToFrappe && fr.URL != "" {
			return fr.URL, fr.Secret, true
		}
	}
	return "", "", false
}

// Subscribed reports whether a webhookEvents list takes events of type
// typ. An empty list, "all" or "*" take everything; "message" is
// message.received; "message_status" the outbound statuses (message.sent,
// delivered, read, played, failed); "session" every session.* event;
// "qr" session.qr; "group" group.*; "status" status.*. An exact type
// ("message.read") or a "prefix.*" pattern works too. Matching ignores
// case and surrounding spaces.
func Subscribed(subs []string, typ string) bool {
	if len(subs) == 0 {
		return true
	}
	for _, s := range subs {
		if subscribes(strings.ToLower(strings.TrimSpace(s)), typ) {
			return true
		}
	}
	return false
}

func subscribes(sub, typ string) bool {
	switch sub {
	case "all", "*":
		return true
	case "message":
		return typ == events.EvMessageReceived
	case "message_status":
		switch typ {
		case events.EvMessageSent, events.EvMessageDelivered, events.EvMessageRead, events.EvMessagePlayed, events.EvMessageFailed:
			return true
		}
		return false
	case "session":
		return strings.HasPrefix(typ, "session.")
	case "qr":
		return typ == events.EvSessionQR
	case "group":
		return strings.HasPrefix(typ, "group.")
	case "status":
		return strings.HasPrefix(typ, "status.")
	}
	if prefix, ok := strings.CutSuffix(sub, ".*"); ok {
		return strings.HasPrefix(typ, prefix+".")
	}
	return sub != "" && sub == typ
}
