package waengine

import (
	"log/slog"
	"sync"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	wagate "github.com/wagate/wagate/shared"
)

// emitter passes events to the session's handler one at a time: events come
// from whatsmeow's goroutines, the QR channel and background fetches.
type emitter struct {
	mu     sync.Mutex
	handle func(wagate.EngineEvent)
}

func (e *emitter) emit(ev wagate.EngineEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.handle(ev)
}

// emitIf emits ev only if ok still holds once the event's turn has come.
func (e *emitter) emitIf(ok func() bool, ev wagate.EngineEvent) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ok() {
		e.handle(ev)
	}
}

// deviceView is what the dispatcher reads from the live client.
type deviceView interface {
	// ID is the device's own AD-JID; empty while unpaired.
	ID() types.JID
	// LID is the account's hidden-user JID, when known.
	LID() types.JID
	PushName() string
	BusinessName() string
	// AutoReconnects reports whether whatsmeow reconnects by itself after
	// an unexpected disconnect (auto-reconnect on and paired).
	AutoReconnects() bool
}

// storeView is the deviceView of a whatsmeow client's store.
type storeView struct {
	store          *store.Device
	autoReconnects func() bool
}

func (v storeView) ID() types.JID        { return v.store.GetJID() }
func (v storeView) LID() types.JID       { return v.store.GetLID() }
func (v storeView) PushName() string     { return v.store.PushName }
func (v storeView) BusinessName() string { return v.store.BusinessName }
func (v storeView) AutoReconnects() bool { return v.autoReconnects() }

// dispatcher turns whatsmeow's session events into wagate engine events
// (messages, history syncs and receipts go to the receiver, receive.go:
// route sends each event to one of them). It runs on whatsmeow's
// goroutines and must never do network I/O there.
type dispatcher struct {
	log     *slog.Logger
	dev     deviceView
	out     *emitter
	now     func() time.Time
	profile *profileTracker
}

// handle dispatches one whatsmeow event to its handle<Event> method.
// Events not listed here are of no interest to the engine port.
func (d *dispatcher) handle(raw any) {
	switch evt := raw.(type) {
	case *events.QR:
		// The codes reach us through the QR channel (qr.go).
	case *events.PairSuccess:
		d.handlePairSuccess(evt)
	case *events.PairError:
		d.handlePairError(evt)
	case *events.QRScannedWithoutMultidevice:
		d.handleQRScannedWithoutMultidevice()
	case *events.Connected:
		d.handleConnected()
	case *events.Disconnected:
		d.handleDisconnected()
	case *events.LoggedOut:
		d.handleLoggedOut(evt)
	case *events.StreamReplaced:
		d.handleStreamReplaced()
	case *events.TemporaryBan:
		d.handleTemporaryBan(evt)
	case *events.ConnectFailure:
		d.handleConnectFailure(evt)
	case *events.ClientOutdated:
		d.handleClientOutdated()
	case *events.StreamError:
		d.handleStreamError(evt)
	case *events.KeepAliveTimeout:
		d.handleKeepAliveTimeout(evt)
	case *events.KeepAliveRestored:
		d.handleKeepAliveRestored()
	case *events.PushNameSetting:
		d.handlePushNameSetting(evt)
	case *events.UserAbout:
		d.handleUserAbout(evt)
	case *events.Picture:
		d.handlePicture(evt)
	case *events.BusinessName:
		d.handleBusinessName(evt)
	}
}

// handlePairSuccess: a phone scanned the QR code (or entered the pairing
// code). whatsmeow has saved the device; it reconnects and a Connected
// follows.
func (d *dispatcher) handlePairSuccess(evt *events.PairSuccess) {
	d.log.Info("device paired", "device_jid", evt.ID.String(), "platform", evt.Platform)
	d.out.emit(wagate.PairedEvent{
		DeviceJID:    evt.ID.String(),
		PhoneNumber:  evt.ID.User,
		PushName:     d.dev.PushName(),
		BusinessName: evt.BusinessName,
	})
	d.profile.setBusiness(evt.BusinessName != "")
}

// handlePairError: the phone scanned the code but finishing the pairing
// locally failed. The QR channel closes after it: pairing is over.
func (d *dispatcher) handlePairError(evt *events.PairError) {
	d.log.Warn("pairing failed", "device_jid", evt.ID.String(), "error", evt.Error)
	detail := "pairing failed"
	if evt.Error != nil {
		detail += ": " + evt.Error.Error()
	}
	d.out.emit(wagate.DisconnectedEvent{Reason: wagate.ReasonConnectFailed, Detail: detail})
}

// handleQRScannedWithoutMultidevice: not terminal, the same codes can still
// be scanned once the phone enables multi-device, so no event.
func (d *dispatcher) handleQRScannedWithoutMultidevice() {
	d.log.Warn("QR code scanned by a phone without multi-device; codes stay valid")
}

func (d *dispatcher) handleConnected() {
	d.out.emit(wagate.ConnectedEvent{PushName: d.dev.PushName(), PhoneNumber: d.dev.ID().User})
	d.profile.connected(d.dev.PushName(), d.dev.BusinessName() != "")
}

// handleDisconnected: the server closed the socket (we never get this for
// our own Disconnect). While unpaired it ends the pairing attempt, and the
// QR channel reports that as a QR timeout, so it is not reported twice.
func (d *dispatcher) handleDisconnected() {
	if d.dev.ID().IsEmpty() {
		d.log.Debug("socket closed while pairing; the QR channel reports it")
		return
	}
	d.out.emit(wagate.DisconnectedEvent{
		Reason:       wagate.ReasonConnectionLost,
		Reconnecting: d.dev.AutoReconnects(),
	})
}

func (d *dispatcher) handleLoggedOut(evt *events.LoggedOut) {
	d.log.Warn("device logged out", "on_connect", evt.OnConnect, "reason", int(evt.Reason))
	d.out.emit(loggedOutEvent(evt))
}

// handleStreamReplaced: another client connected with the same credentials.
// whatsmeow does not reconnect (both would kick each other out forever).
func (d *dispatcher) handleStreamReplaced() {
	d.log.Warn("connection replaced by another client with the same credentials")
	d.out.emit(wagate.DisconnectedEvent{
		Reason: wagate.ReasonReplaced,
		Detail: "another client connected with the same credentials",
	})
}

func (d *dispatcher) handleTemporaryBan(evt *events.TemporaryBan) {
	d.log.Warn("account temporarily banned", "code", int(evt.Code), "expire", evt.Expire)
	d.out.emit(tempBanEvent(evt, d.now()))
}

func (d *dispatcher) handleConnectFailure(evt *events.ConnectFailure) {
	d.log.Warn("connect failure", "reason", int(evt.Reason), "message", evt.Message)
	d.out.emit(connectFailureEvent(evt))
}

func (d *dispatcher) handleClientOutdated() {
	version := store.GetWAVersion().String()
	d.log.Error("WhatsApp rejected the client version; update whatsmeow", "wa_version", version)
	d.out.emit(wagate.DisconnectedEvent{
		Reason: wagate.ReasonClientOutdated,
		Detail: "WhatsApp rejected client version " + version,
	})
}

// handleStreamError: an unknown stream error. If the server closes the
// socket after it, a Disconnected follows.
func (d *dispatcher) handleStreamError(evt *events.StreamError) {
	d.log.Warn("unknown stream error", "code", evt.Code)
}

// handleKeepAliveTimeout: pings go unanswered; whatsmeow forces a reconnect
// after a few minutes of this. Only the first of a series is a change of
// state; the ones after it are logged.
// While pairing, the QR window (a few minutes at most) decides instead.
func (d *dispatcher) handleKeepAliveTimeout(evt *events.KeepAliveTimeout) {
	detail := keepAliveDetail(evt, d.now())
	if evt.ErrorCount > 1 || d.dev.ID().IsEmpty() {
		d.log.Warn("keep-alive still failing", "detail", detail)
		return
	}
	d.log.Warn("keep-alive failed", "detail", detail)
	d.out.emit(wagate.DisconnectedEvent{
		Reason:       wagate.ReasonKeepAlive,
		Detail:       detail,
		Reconnecting: d.dev.AutoReconnects(),
	})
}

func (d *dispatcher) handleKeepAliveRestored() {
	if d.dev.ID().IsEmpty() {
		return // pairing: not logged in, so not connected in wagate's sense
	}
	d.out.emit(wagate.ConnectedEvent{PushName: d.dev.PushName(), PhoneNumber: d.dev.ID().User})
}

// isOwn reports whether jid is the linked account (phone or LID JID).
func (d *dispatcher) isOwn(jid types.JID) bool { return isOwnJID(d.dev, jid) }

// isOwnJID reports whether jid is the account of dev (phone or LID JID).
func isOwnJID(dev deviceView, jid types.JID) bool {
	jid = jid.ToNonAD()
	own, lid := dev.ID(), dev.LID()
	return (!own.IsEmpty() && jid == own.ToNonAD()) || (!lid.IsEmpty() && jid == lid.ToNonAD())
}

func (d *dispatcher) handlePushNameSetting(evt *events.PushNameSetting) {
	d.profile.setName(evt.Action.GetName())
}

func (d *dispatcher) handleUserAbout(evt *events.UserAbout) {
	if d.isOwn(evt.JID) {
		d.profile.setAbout(evt.Status)
	}
}

func (d *dispatcher) handlePicture(evt *events.Picture) {
	if d.isOwn(evt.JID) {
		d.profile.pictureChanged(evt.Remove)
	}
}

func (d *dispatcher) handleBusinessName(evt *events.BusinessName) {
	if d.isOwn(evt.JID) {
		d.profile.setBusiness(evt.NewBusinessName != "")
	}
}
