package waengine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	wagate "github.com/wagate/wagate/shared"
)

// Receiving: the I/O around inbound.go and receipt.go.
//
// The client runs with whatsmeow's SynchronousAck: a message is
// acknowledged to WhatsApp only after the event handler returns true. For a
// live message the handler passes a MessageEvent on and waits until the
// connector calls its Handled (the message is stored) before returning; on
// an error, a timeout or a disconnect it returns false and WhatsApp
// delivers the message again on the next connection. whatsmeow's decrypted
// event buffer (EnableDecryptedEventBuffer) keeps the plaintext for that
// redelivery, which could not be decrypted a second time otherwise.

// handledTimeout bounds the wait for the connector to store a message. It
// is longer than the connector's eager media download (two minutes), so
// that a large file does not make every delivery of it fail. While it
// waits, the session's other events wait too: whatsmeow handles them in
// order.
const handledTimeout = 3 * time.Minute

// lidLookupTimeout bounds a LID → phone number lookup in the device store.
const lidLookupTimeout = 5 * time.Second

// waReceiver is what the receiver needs from whatsmeow's client.
type waReceiver interface {
	ParseWebMessage(chat types.JID, msg *waWeb.WebMessageInfo) (*events.Message, error)
	Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error)
}

// receiver turns whatsmeow's message, history sync and receipt events into
// engine events.
type receiver struct {
	log *slog.Logger
	out *emitter
	wa  waReceiver
	ids identities
	// stopped is closed when the client stops (Disconnect, Logout): no
	// Handled can be waited for any more.
	stopped func() <-chan struct{}
	// handledWait is handledTimeout; tests shorten it.
	handledWait time.Duration
}

// handle handles the events of the receiver; mine is false for the others.
// ok is the success status whatsmeow acknowledges on.
func (r *receiver) handle(raw any) (ok, mine bool) {
	switch evt := raw.(type) {
	case *events.Message:
		return r.handleMessage(evt), true
	case *events.HistorySync:
		r.handleHistorySync(evt)
		return true, true
	case *events.Receipt:
		if ev, ok := convertReceipt(evt, r.ids); ok {
			r.out.emit(ev)
		}
		return true, true
	}
	return true, false
}

// handleMessage passes a live message on and, for a MessageEvent, waits
// until the connector has handled it.
func (r *receiver) handleMessage(evt *events.Message) bool {
	in := convertMessage(evt, r.ids, false)
	switch ev := in.event.(type) {
	case nil:
		return true
	case wagate.MessageEvent:
		done := make(chan error, 1)
		ev.Handled = func(err error) {
			select {
			case done <- err:
			default: // called twice: the first call counts
			}
		}
		ev.Download = r.downloader(in.media)
		r.out.emit(ev)
		return r.awaitHandled(ev.Message, done)
	default:
		r.out.emit(ev)
		return true
	}
}

// awaitHandled waits for the connector's verdict on m.
func (r *receiver) awaitHandled(m *wagate.Message, done <-chan error) bool {
	timer := time.NewTimer(r.handledWait)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			r.log.Warn("message not stored; WhatsApp will deliver it again", "whatsapp_id", m.WhatsAppID, "error", err)
			return false
		}
		return true
	case <-r.stopped():
		r.log.Info("client stopped before the message was stored; WhatsApp will deliver it again", "whatsapp_id", m.WhatsAppID)
		return false
	case <-timer.C:
		r.log.Warn("message not stored in time; WhatsApp will deliver it again", "whatsapp_id", m.WhatsAppID, "wait", r.handledWait)
		return false
	}
}

// handleHistorySync passes on the messages of a history sync blob, marked
// History. They are not waited for: the blob is not redelivered anyway.
func (r *receiver) handleHistorySync(evt *events.HistorySync) {
	var sent, skipped int
	for _, conv := range evt.Data.GetConversations() {
		chat, err := types.ParseJID(conv.GetID())
		if err != nil {
			r.log.Debug("history sync: bad conversation id", "id", conv.GetID(), "error", err)
			skipped += len(conv.GetMessages())
			continue
		}
		for _, hm := range conv.GetMessages() {
			if r.emitHistory(chat, hm.GetMessage()) {
				sent++
			} else {
				skipped++
			}
		}
	}
	for _, wm := range evt.Data.GetStatusV3Messages() {
		if r.emitHistory(types.StatusBroadcastJID, wm) {
			sent++
		} else {
			skipped++
		}
	}
	r.log.Info("history sync", "type", evt.Data.GetSyncType().String(), "messages", sent, "skipped", skipped)
}

// emitHistory converts one history message and passes it on; false when
// it is none for the port.
func (r *receiver) emitHistory(chat types.JID, wm *waWeb.WebMessageInfo) bool {
	if wm == nil {
		return false
	}
	evt, err := r.wa.ParseWebMessage(chat, wm)
	if err != nil {
		r.log.Debug("history sync: unparsable message", "chat", chat.String(), "error", err)
		return false
	}
	in := convertMessage(evt, r.ids, true)
	ev, ok := in.event.(wagate.MessageEvent)
	if !ok {
		return false
	}
	ev.Download = r.downloader(in.media)
	r.out.emit(ev)
	return true
}

// downloader returns the Download of a MessageEvent: nil without media.
func (r *receiver) downloader(part whatsmeow.DownloadableMessage) func(ctx context.Context) ([]byte, error) {
	if part == nil {
		return nil
	}
	return func(ctx context.Context) ([]byte, error) {
		data, err := r.wa.Download(ctx, part)
		if err != nil && len(data) > 0 && (errors.Is(err, whatsmeow.ErrFileLengthMismatch) || errors.Is(err, whatsmeow.ErrInvalidMediaSHA256)) {
			// The file decrypted and its MAC matched; only the sender's
			// stated length or plaintext hash disagree. Keep it.
			r.log.Warn("downloaded media failed a check; keeping it", "error", err)
			return data, nil
		} else if err != nil {
			return nil, fmt.Errorf("download media: %w", err)
		}
		return data, nil
	}
}

// route is the client's whatsmeow event handler: messages, history syncs
// and receipts to the receiver, everything else to the dispatcher.
func route(r *receiver, d *dispatcher) whatsmeow.EventHandlerWithSuccessStatus {
	return func(raw any) bool {
		if ok, mine := r.handle(raw); mine {
			return ok
		}
		d.handle(raw)
		return true
	}
}

// storeIdentities resolves addresses with the device store of a client.
func storeIdentities(wa *whatsmeow.Client, dev deviceView, log *slog.Logger) identities {
	return identities{
		pnForLID: func(lid types.JID) types.JID {
			ctx, cancel := context.WithTimeout(context.Background(), lidLookupTimeout)
			defer cancel()
			pn, err := wa.Store.LIDs.GetPNForLID(ctx, lid)
			if err != nil {
				log.Debug("LID lookup failed", "lid", lid.String(), "error", err)
				return types.EmptyJID
			}
			return pn
		},
		isOwn: func(jid types.JID) bool { return isOwnJID(dev, jid) },
	}
}
