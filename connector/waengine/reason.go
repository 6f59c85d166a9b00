package waengine

import (
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/types/events"

	wagate "github.com/wagate/wagate/shared"
)

// This file holds the pure conversions from whatsmeow's failure events to
// wagate disconnect events.

// loggedOutEvent: the phone (or WhatsApp) unlinked the device; whatsmeow has
// already deleted its credentials. OnConnect tells whether the server said
// so when we connected (with a reason code) or while connected.
func loggedOutEvent(evt *events.LoggedOut) wagate.DisconnectedEvent {
	detail := "device was unlinked while connected"
	if evt.OnConnect {
		detail = "device was unlinked: " + evt.Reason.String()
	}
	return wagate.DisconnectedEvent{
		Reason:          wagate.ReasonLoggedOut,
		Detail:          detail,
		CredentialsGone: true,
	}
}

// tempBanEvent: the account is temporarily banned. whatsmeow does not
// reconnect; the ban code and expiry go into Detail.
func tempBanEvent(evt *events.TemporaryBan, now time.Time) wagate.DisconnectedEvent {
	detail := "temporary ban " + evt.Code.String()
	if evt.Expire > 0 {
		detail += fmt.Sprintf("; expires in %s (%s)", evt.Expire, now.Add(evt.Expire).UTC().Format(time.RFC3339))
	}
	return wagate.DisconnectedEvent{Reason: wagate.ReasonBanned, Detail: detail}
}

// connectFailureEvent maps a <failure> the server sent while we connected.
// whatsmeow turns the known reasons into LoggedOut, TemporaryBan and
// ClientOutdated itself and only emits ConnectFailure for the others, but
// every reason is mapped here so the result never depends on that split.
//
// Passkeys: this whatsmeow version has no failure reason (nor any event)
// for an account that must confirm a passkey or re-verify before linking;
// those accounts never complete pairing and end in a QR timeout. Newer
// whatsmeow versions emit events.PairPasskeyRequest during pairing, which
// is where ReasonPasskeyRequired belongs.
func connectFailureEvent(evt *events.ConnectFailure) wagate.DisconnectedEvent {
	detail := evt.Reason.String()
	if evt.Message != "" {
		detail += " (" + evt.Message + ")"
	}
	ev := wagate.DisconnectedEvent{Reason: wagate.ReasonConnectFailed, Detail: detail}
	switch r := evt.Reason; {
	case r.IsLoggedOut():
		ev.Reason, ev.CredentialsGone = wagate.ReasonLoggedOut, true
	case r == events.ConnectFailureTempBanned:
		ev.Reason = wagate.ReasonBanned
	case r == events.ConnectFailureClientOutdated:
		ev.Reason = wagate.ReasonClientOutdated
	case r == events.ConnectFailureServiceUnavailable || r == events.ConnectFailureInternalServerError:
		// whatsmeow reconnects by itself after these.
		ev.Reconnecting = true
	}
	return ev
}

// keepAliveDetail describes a keep-alive failure.
func keepAliveDetail(evt *events.KeepAliveTimeout, now time.Time) string {
	if evt.LastSuccess.IsZero() {
		return fmt.Sprintf("%d keep-alive pings unanswered", max(evt.ErrorCount, 1))
	}
	return fmt.Sprintf("%d keep-alive pings unanswered; last answer %s ago",
		max(evt.ErrorCount, 1), now.Sub(evt.LastSuccess).Round(time.Second))
}
