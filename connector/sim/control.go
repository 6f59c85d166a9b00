package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	wagate "github.com/wagate/wagate/shared"
)

const (
	// minPhoneDigits and maxPhoneDigits bound a phone number with country code (E.164).
	minPhoneDigits = 7
	maxPhoneDigits = 15
	// simPhonePrefix starts generated phone numbers: Spanish mobiles, 34 6xx xxx xxx.
	simPhonePrefix = "346"
)

// Scan acts as a phone scanning the session's current QR code: the device
// is stored, then PairedEvent and (after the connect delay) ConnectedEvent
// follow. phone defaults to a generated number, pushName to DefaultPushName.
// Returns ENOTFOUND if the session is not hosted, EINVALID if it shows no QR
// code or phone is not 7-15 digits.
func (n *Network) Scan(ctx context.Context, sessionID, phone, pushName string) error {
	if phone == "" {
		phone = generatePhone()
	}
	phone, err := normalizePhone(phone)
	if err != nil {
		return err
	}
	pushName = strings.TrimSpace(pushName)
	if pushName == "" {
		pushName = DefaultPushName
	}
	c, err := n.client(sessionID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.showingQR() {
		return wagate.Errorf(wagate.EINVALID, "Session %s is not showing a QR code.", sessionID)
	}
	d, err := n.store.create(ctx, phone, pushName)
	if err != nil {
		return fmt.Errorf("sim: scan session %q: %w", sessionID, err)
	}
	c.pair(d)
	return nil
}

// Drop cuts the session's connection: DisconnectedEvent{Reconnecting: true,
// Reason: ReasonConnectionLost}, then ConnectedEvent after the reconnect
// delay unless the client disconnects first. Returns ENOTFOUND if the
// session is not hosted, EINVALID if it is not connected.
func (n *Network) Drop(ctx context.Context, sessionID string) error {
	return n.drop(sessionID, wagate.ReasonConnectionLost, "")
}

// Logout acts as the phone unlinking the device: the device is deleted and a
// connected (or connecting) client gets DisconnectedEvent{Reason:
// ReasonLoggedOut, CredentialsGone: true}. A client that is not connected
// learns it when it next connects, as with WhatsApp. Returns ENOTFOUND if
// the session is not hosted, EINVALID if it is not paired.
func (n *Network) Logout(ctx context.Context, sessionID string) error {
	return n.unlink(ctx, sessionID, "")
}

// Kick ends the session's connection the way WhatsApp does for reason:
//
//   - ReasonReplaced (StreamReplaced), ReasonBanned (TemporaryBan; put the
//     expiry in detail), ReasonClientOutdated, ReasonPasskeyRequired,
//     ReasonConnectFailed: DisconnectedEvent{Reconnecting: false}; the
//     credentials stay and a later Connect succeeds.
//   - ReasonConnectionLost, ReasonKeepAlive: like Drop, with that reason.
//   - ReasonLoggedOut: like Logout.
//
// Returns ENOTFOUND if the session is not hosted, EINVALID for another
// reason or when the client is not in a state the reason applies to.
func (n *Network) Kick(ctx context.Context, sessionID string, reason wagate.Reason, detail string) error {
	switch reason {
	case wagate.ReasonConnectionLost, wagate.ReasonKeepAlive:
		return n.drop(sessionID, reason, detail)
	case wagate.ReasonLoggedOut:
		return n.unlink(ctx, sessionID, detail)
	case wagate.ReasonReplaced, wagate.ReasonBanned, wagate.ReasonClientOutdated,
		wagate.ReasonPasskeyRequired, wagate.ReasonConnectFailed:
		return n.kick(sessionID, reason, detail)
	}
	return wagate.Errorf(wagate.EINVALID, "Reason %q cannot be simulated.", reason)
}

// drop cuts a connected client, which reconnects by itself.
func (n *Network) drop(sessionID string, reason wagate.Reason, detail string) error {
	c, err := n.client(sessionID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateConnected {
		return wagate.Errorf(wagate.EINVALID, "Session %s is not connected.", sessionID)
	}
	c.setState(stateReconnecting)
	c.emit(wagate.DisconnectedEvent{Reason: reason, Detail: detail, Reconnecting: true})
	c.timer = c.after(n.opts.ReconnectDelay, c.finishConnect)
	return nil
}

// kick ends an active client's connection for good; credentials stay.
func (n *Network) kick(sessionID string, reason wagate.Reason, detail string) error {
	c, err := n.client(sessionID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.state.active() {
		return wagate.Errorf(wagate.EINVALID, "Session %s is not connected.", sessionID)
	}
	c.setState(stateIdle)
	c.emit(wagate.DisconnectedEvent{Reason: reason, Detail: detail})
	return nil
}

// unlink deletes the session's device as the phone would.
func (n *Network) unlink(ctx context.Context, sessionID, detail string) error {
	c, err := n.client(sessionID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dev == nil || c.state == stateClosed {
		return wagate.Errorf(wagate.EINVALID, "Session %s is not linked to a phone.", sessionID)
	}
	if err := n.store.delete(ctx, c.dev.JID); err != nil {
		return fmt.Errorf("sim: unlink session %q: %w", sessionID, err)
	}
	if !c.state.active() {
		return nil // refused as logged out at its next Connect
	}
	c.dev = nil
	c.setState(stateIdle)
	c.emit(wagate.DisconnectedEvent{Reason: wagate.ReasonLoggedOut, Detail: detail, CredentialsGone: true})
	return nil
}

// normalizePhone accepts digits with country code, optionally with a
// leading "+" or a "@s.whatsapp.net" suffix, and returns the digits.
func normalizePhone(phone string) (string, error) {
	p := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(phone), "+"), "@s.whatsapp.net")
	ok := len(p) >= minPhoneDigits && len(p) <= maxPhoneDigits && p[0] != '0'
	for i := 0; ok && i < len(p); i++ {
		ok = p[i] >= '0' && p[i] <= '9'
	}
	if !ok {
		return "", wagate.Errorf(wagate.EINVALID, "phoneNumber must be %d-%d digits with country code and no leading 0, e.g. 34600000000.", minPhoneDigits, maxPhoneDigits)
	}
	return p, nil
}

// generatePhone returns a random Spanish mobile number for a phone that
// did not say which it is.
func generatePhone() string {
	return fmt.Sprintf("%s%08d", simPhonePrefix, rand.IntN(100_000_000))
}
