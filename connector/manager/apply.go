package manager

import (
	"context"
	"fmt"
	"time"

	"github.com/wagate/wagate/connector/qrpng"
	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// apply mirrors one engine event into the store and onto the bus. It
// returns false when the client has given up and the host is gone.
func (m *Manager) apply(h *host, ev wagate.EngineEvent) bool {
	ctx := context.Background()
	switch e := ev.(type) {
	case wagate.QREvent:
		m.handleQR(ctx, h, e)
	case wagate.QRTimeoutEvent:
		return m.handleGiveUp(ctx, h, wagate.DisconnectedEvent{Reason: wagate.ReasonQRTimeout})
	case wagate.PairedEvent:
		m.handlePaired(ctx, h, e)
	case wagate.ConnectedEvent:
		m.handleConnected(ctx, h, e)
		m.syncDirectory(h)
	case wagate.DisconnectedEvent:
		if !e.Reconnecting {
			return m.handleGiveUp(ctx, h, e)
		}
		st := wagate.StatusConnecting
		m.record(ctx, h.sessionID, wagate.SessionUpdate{Status: &st, Reason: &e.Reason, ReasonDetail: &e.Detail}, events.EvSessionDisconnected)
	case wagate.MessageEvent:
		m.handleMessage(ctx, h, e)
	case wagate.MessageChangeEvent:
		m.handleChange(ctx, h, e)
	case wagate.ReceiptEvent:
		m.handleReceipt(ctx, h, e)
	case wagate.ContactsEvent:
		m.handleContacts(ctx, h, e)
	case wagate.ContactPictureEvent:
		m.handleContactPicture(ctx, h, e)
	case wagate.GroupEvent:
		m.handleGroup(ctx, h, e)
	case wagate.GroupChangeEvent:
		m.handleGroupChange(ctx, h, e)
	case wagate.ProfileEvent:
		m.record(ctx, h.sessionID, wagate.SessionUpdate{Profile: &e.Profile}, "")
	default:
		m.log().Debug("engine event ignored", "session_id", h.sessionID, "type", fmt.Sprintf("%T", ev))
	}
	return true
}

func (m *Manager) handleQR(ctx context.Context, h *host, e wagate.QREvent) {
	url, err := qrpng.DataURL(e.Code)
	if err != nil {
		m.log().Error("render qr", "session_id", h.sessionID, "err", err)
		return
	}
	st, none := wagate.StatusQRCode, wagate.ReasonNone
	exp := e.ExpiresAt.UTC()
	m.record(ctx, h.sessionID, wagate.SessionUpdate{Status: &st, Reason: &none, QRCode: &url, QRExpiresAt: &exp}, events.EvSessionQR)
}

func (m *Manager) handlePaired(ctx context.Context, h *host, e wagate.PairedEvent) {
	st := wagate.StatusConnecting
	upd := wagate.SessionUpdate{
		Status: &st, DeviceJID: &e.DeviceJID, QRCode: new(string), QRExpiresAt: new(time.Time), PairingCode: new(string),
	}
	if e.PhoneNumber != "" {
		upd.PhoneNumber = &e.PhoneNumber
	}
	if e.PushName != "" || e.BusinessName != "" {
		if cur, err := m.Store.FindSession(ctx, h.sessionID); err == nil {
			p := cur.Profile
			p.Name, p.IsBusiness = firstNonEmpty(e.PushName, e.BusinessName, p.Name), e.BusinessName != ""
			upd.Profile = &p
		}
	}
	m.record(ctx, h.sessionID, upd, "")
}

func (m *Manager) handleConnected(ctx context.Context, h *host, e wagate.ConnectedEvent) {
	st, none, now := wagate.StatusConnected, wagate.ReasonNone, m.now().UTC()
	upd := wagate.SessionUpdate{
		Status: &st, Reason: &none, ReasonDetail: new(string), LastActivity: &now,
		QRCode: new(string), QRExpiresAt: new(time.Time), PairingCode: new(string),
	}
	if e.PhoneNumber != "" {
		upd.PhoneNumber = &e.PhoneNumber
	}
	if e.PushName != "" {
		if cur, err := m.Store.FindSession(ctx, h.sessionID); err == nil && cur.Profile.Name != e.PushName {
			p := cur.Profile
			p.Name = e.PushName
			upd.Profile = &p
		}
	}
	m.record(ctx, h.sessionID, upd, events.EvSessionConnected)
}

// handleGiveUp: the client stopped for good (logged out, replaced, banned,
// QR timeout…). The host is removed; the session stays down until a
// connect command.
func (m *Manager) handleGiveUp(ctx context.Context, h *host, e wagate.DisconnectedEvent) bool {
	if !m.detach(h) {
		return false // already stopped by a command
	}
	go h.client.Disconnect() // may wait on the engine's own goroutines
	m.setDown(ctx, h.sessionID, e.Reason, e.Detail, e.CredentialsGone)
	m.settle(ctx, h.sessionID)
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
