package waengine

import (
	"time"

	"go.mau.fi/whatsmeow"

	wagate "github.com/wagate/wagate/shared"
)

// qrItemEvent converts one item of whatsmeow's QR channel.
//
// The channel reports two things nothing else does: each new code (with
// how long it is shown) and the end of the pairing window ("timeout": the
// codes ran out, or the server closed the socket before any was scanned).
// Its other items repeat a whatsmeow event that every handler also gets and
// that the dispatcher reports with more detail, so they give no event here:
//
//	success                         PairSuccess → PairedEvent
//	error                           PairError → DisconnectedEvent (connect_failed)
//	err-client-outdated             ClientOutdated → DisconnectedEvent (client_outdated)
//	err-unexpected-state            Connected / ConnectFailure / LoggedOut / TemporaryBan
//	err-scanned-without-multidevice QRScannedWithoutMultidevice (not terminal: codes stay valid)
func qrItemEvent(item whatsmeow.QRChannelItem, now time.Time) (wagate.EngineEvent, bool) {
	switch item.Event {
	case whatsmeow.QRChannelEventCode:
		return wagate.QREvent{Code: item.Code, ExpiresAt: now.Add(item.Timeout)}, true
	case whatsmeow.QRChannelTimeout.Event:
		return wagate.QRTimeoutEvent{}, true
	}
	return nil, false
}

// qrItemEnds reports whether item is the last one of its channel.
func qrItemEnds(item whatsmeow.QRChannelItem) bool {
	return item.Event != whatsmeow.QRChannelEventCode &&
		item.Event != whatsmeow.QRChannelScannedWithoutMultidevice.Event
}

// consumeQR forwards the QR channel of attempt a until it ends or the
// attempt is cancelled. It runs on its own goroutine.
func (c *Client) consumeQR(a *attempt, ch <-chan whatsmeow.QRChannelItem) {
	for {
		select {
		case <-a.ctx.Done():
			return
		case item, ok := <-ch:
			if !ok {
				// Closed without a final item: whatsmeow gave up on the
				// channel and disconnected. The pairing window is over.
				c.out.emitIf(a.live, wagate.QRTimeoutEvent{})
				return
			}
			c.handleQRItem(a, item)
			if qrItemEnds(item) {
				return
			}
		}
	}
}

func (c *Client) handleQRItem(a *attempt, item whatsmeow.QRChannelItem) {
	switch item.Event {
	case whatsmeow.QRChannelEventCode:
		a.markQRReady()
	case whatsmeow.QRChannelEventError:
		c.log.Debug("QR channel ended with an error", "error", item.Error)
	default:
		c.log.Debug("QR channel item", "event", item.Event)
	}
	ev, ok := qrItemEvent(item, time.Now())
	if !ok {
		return
	}
	if _, isCode := ev.(wagate.QREvent); isCode {
		// A code read just before the phone scanned must not follow the
		// PairedEvent.
		c.out.emitIf(func() bool { return a.live() && c.dev.ID().IsEmpty() }, ev)
		return
	}
	c.out.emitIf(a.live, ev)
}
