package sim

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

const (
	// qrRefBytes is the size of the random server reference in a QR code.
	qrRefBytes = 45
	// qrKeyBytes is the size of each key in a QR code (Curve25519 keys, ADV secret).
	qrKeyBytes = 32
	// pairingCodeLen is the length of a phone pairing code, without the dash.
	pairingCodeLen = 8
	// pairingAlphabet is WhatsApp's linking-code alphabet (Crockford-like base32).
	pairingAlphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ"
)

// qrState is what an unpaired, connecting client holds: the key part of its
// QR codes, how many codes it showed, the rotation timer and the phone
// pairing request, if any.
type qrState struct {
	keys    string // ",<noise key>,<identity key>,<adv secret>", fixed per attempt
	shown   int    // codes emitted so far
	timer   *time.Timer
	pairSeq uint32 // bumped by each PairPhone; a stale pairing step compares it
}

func (q *qrState) stop() {
	if q.timer != nil {
		q.timer.Stop()
		q.timer = nil
	}
}

// startQR begins an unpaired connect: after the connect delay the first QR
// code appears, then one replaces the other until the last expires. c.mu is
// held.
func (c *Client) startQR() {
	c.setState(stateQR)
	c.qr = &qrState{keys: "," + randomBase64(qrKeyBytes) + "," + randomBase64(qrKeyBytes) + "," + randomBase64(qrKeyBytes)}
	c.qr.timer = c.after(c.net.opts.ConnectDelay, c.rotateQR)
}

// rotateQR shows the next QR code, or ends the attempt with QRTimeoutEvent
// when the last code expired. c.mu is held.
func (c *Client) rotateQR() {
	q, opts := c.qr, c.net.opts
	if q.shown >= opts.QRCodes {
		c.setState(stateIdle)
		c.emit(wagate.QRTimeoutEvent{})
		return
	}
	life := opts.QRNextTimeout
	if q.shown == 0 {
		life = opts.QRFirstTimeout
	}
	q.shown++
	c.emit(wagate.QREvent{Code: "2@" + randomBase64(qrRefBytes) + q.keys, ExpiresAt: time.Now().Add(life)})
	q.timer = c.after(life, c.rotateQR)
}

// showingQR reports whether a QR code is on screen to be scanned. c.mu is held.
func (c *Client) showingQR() bool {
	return c.state == stateQR && c.qr.shown > 0
}

// PairPhone returns a pairing code for phone ("ABCD-EFGH"); after
// Options.PairPhoneDelay the simulated user has typed it into that phone and
// the device pairs (PairedEvent, then ConnectedEvent), unless the QR codes
// time out or the client disconnects first. A new request replaces the
// previous code. The client must be connecting and unpaired (EINVALID
// otherwise); phone is digits with country code.
func (c *Client) PairPhone(ctx context.Context, phone string) (string, error) {
	phone, err := normalizePhone(phone)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateQR {
		return "", wagate.Errorf(wagate.EINVALID, "Session %s is not waiting to be linked: connect it first, unpaired.", c.sessionID)
	}
	c.qr.pairSeq++
	seq := c.qr.pairSeq
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timer = c.after(c.net.opts.PairPhoneDelay, func() {
		if c.qr.pairSeq == seq {
			c.pairByPhone(phone)
		}
	})
	return newPairingCode(), nil
}

// pairByPhone links the device as if the user typed the pairing code into
// phone. It runs on a timer, so the store write has no caller context.
// c.mu is held.
func (c *Client) pairByPhone(phone string) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	d, err := c.net.store.create(ctx, phone, DefaultPushName)
	if err != nil {
		c.timer = nil
		c.net.opts.Logger.Error("sim: pair by phone code", "session_id", c.sessionID, "error", err)
		return
	}
	c.pair(d)
}

// pair links d to the client (it was showing QR codes): PairedEvent, then
// ConnectedEvent after the connect delay. c.mu is held.
func (c *Client) pair(d *device) {
	c.dev = d
	c.setState(stateConnecting)
	c.emit(wagate.PairedEvent{DeviceJID: d.JID, PhoneNumber: d.Phone, PushName: d.PushName, BusinessName: d.BusinessName})
	c.timer = c.after(c.net.opts.ConnectDelay, c.finishConnect)
}

// newPairingCode returns a code like "7YQ2-K9BD".
func newPairingCode() string {
	b := make([]byte, pairingCodeLen)
	rand.Read(b) // never fails (crypto/rand, Go ≥ 1.24)
	var sb strings.Builder
	for i, x := range b {
		if i == pairingCodeLen/2 {
			sb.WriteByte('-')
		}
		sb.WriteByte(pairingAlphabet[int(x)%len(pairingAlphabet)]) // 256 % 32 == 0: unbiased
	}
	return sb.String()
}

// randomBase64 returns n random bytes in standard base64.
func randomBase64(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go ≥ 1.24)
	return base64.StdEncoding.EncodeToString(b)
}
