package webhook_test

import (
	"slices"
	"testing"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/webhook"
)

func TestSubscribed(t *testing.T) {
	all := []string{
		events.EvMessageReceived, events.EvMessageSent, events.EvMessageDelivered, events.EvMessageRead,
		events.EvMessagePlayed, events.EvMessageFailed, events.EvSessionQR, events.EvSessionConnected,
		events.EvSessionDisconnected, events.EvSessionLoggedOut, "group.update", "status.received",
	}
	for _, tc := range []struct {
		name string
		subs []string
		want []string
	}{
		{"Empty", nil, all},
		{"All", []string{"all"}, all},
		{"Star", []string{"*"}, all},
		{"Message", []string{"message"}, []string{events.EvMessageReceived}},
		{"MessageStatus", []string{"message_status"}, []string{events.EvMessageSent, events.EvMessageDelivered, events.EvMessageRead, events.EvMessagePlayed, events.EvMessageFailed}},
		{"SeedExample", []string{"message", "message_status"}, all[:6]},
		{"Session", []string{"session"}, []string{events.EvSessionQR, events.EvSessionConnected, events.EvSessionDisconnected, events.EvSessionLoggedOut}},
		{"QR", []string{"qr"}, []string{events.EvSessionQR}},
		{"Group", []string{"group"}, []string{"group.update"}},
		{"Status", []string{"status"}, []string{"status.received"}},
		{"ExactType", []string{"message.read"}, []string{events.EvMessageRead}},
		{"Pattern", []string{"session.*"}, []string{events.EvSessionQR, events.EvSessionConnected, events.EvSessionDisconnected, events.EvSessionLoggedOut}},
		{"CaseAndSpaces", []string{" QR "}, []string{events.EvSessionQR}},
		{"Unknown", []string{"nope", ""}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, typ := range all {
				if webhook.Subscribed(tc.subs, typ) {
					got = append(got, typ)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Subscribed(%q) takes %v, want %v", tc.subs, got, tc.want)
			}
		})
	}
}

func TestTargets(t *testing.T) {
	fr := webhook.Frappe{URL: "https://crm.example/api/method/handle_webhook", Secret: "fsecret"}
	session := func(url string, subs []string, frappe bool) *wagate.Session {
		return &wagate.Session{SessionID: "s1", Webhook: wagate.WebhookConfig{URL: url, Secret: "ssecret", Events: subs, SendToFrappe: frappe}}
	}
	msg := events.Event{ID: "e1", Type: events.EvMessageReceived, SessionID: "s1"}
	qr := events.Event{ID: "e2", Type: events.EvSessionQR, SessionID: "s1"}
	for _, tc := range []struct {
		name string
		ev   events.Event
		sess *wagate.Session
		fr   webhook.Frappe
		want []string
	}{
		{"Deleted", msg, nil, fr, nil},
		{"NoWebhook", msg, session("", nil, false), fr, nil},
		{"Own", msg, session("https://a.example/hook", nil, false), fr, []string{wagate.TargetSession}},
		{"OwnFiltered", qr, session("https://a.example/hook", []string{"message"}, false), fr, nil},
		{"QRToSessionSubscribers", qr, session("https://a.example/hook", []string{"session"}, false), fr, []string{wagate.TargetSession}},
		{"Frappe", msg, session("", nil, true), fr, []string{wagate.TargetFrappe}},
		{"FrappeTakesAll", qr, session("https://a.example/hook", []string{"message"}, true), fr, []string{wagate.TargetFrappe}},
		{"Both", msg, session("https://a.example/hook", nil, true), fr, []string{wagate.TargetSession, wagate.TargetFrappe}},
		{"FrappeUnset", msg, session("", nil, true), webhook.Frappe{}, nil},
		{"OwnIsFrappe", msg, session(fr.URL, nil, true), fr, []string{wagate.TargetFrappe}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := webhook.Targets(tc.ev, tc.sess, tc.fr); !slices.Equal(got, tc.want) {
				t.Fatalf("Targets = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	fr := webhook.Frappe{URL: "https://crm.example/hook", Secret: "fsecret"}
	sess := &wagate.Session{SessionID: "s1", Webhook: wagate.WebhookConfig{URL: "https://a.example/hook", Secret: "ssecret", SendToFrappe: true}}
	off := &wagate.Session{SessionID: "s2"}
	for _, tc := range []struct {
		name, target      string
		sess              *wagate.Session
		wantURL, wantSecr string
		wantOK            bool
	}{
		{"Session", wagate.TargetSession, sess, "https://a.example/hook", "ssecret", true},
		{"Frappe", wagate.TargetFrappe, sess, fr.URL, "fsecret", true},
		{"SessionRemoved", wagate.TargetSession, off, "", "", false},
		{"FrappeTurnedOff", wagate.TargetFrappe, off, "", "", false},
		{"Deleted", wagate.TargetSession, nil, "", "", false},
		{"UnknownTarget", "elsewhere", sess, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, secret, ok := webhook.Resolve(tc.target, tc.sess, fr)
			if url != tc.wantURL || secret != tc.wantSecr || ok != tc.wantOK {
				t.Fatalf("Resolve = %q, %q, %v; want %q, %q, %v", url, secret, ok, tc.wantURL, tc.wantSecr, tc.wantOK)
			}
		})
	}
}
