package manager

import (
	"context"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/mediatype"
)

// MediaDownloadTimeout bounds the eager download of an inbound file.
const MediaDownloadTimeout = 2 * time.Minute

// handleMessage stores an inbound (or phone-sent) message with its media and
// publishes message.received, then tells the engine it is handled: only
// then is the message acknowledged to WhatsApp.
func (m *Manager) handleMessage(ctx context.Context, h *host, e wagate.MessageEvent) {
	err := m.storeInbound(ctx, h, e)
	if err != nil {
		m.log().Error("store inbound message", "session_id", h.sessionID, "whatsapp_id", e.Message.WhatsAppID, "err", err)
	}
	if e.Handled != nil {
		e.Handled(err)
	}
}

func (m *Manager) storeInbound(ctx context.Context, h *host, e wagate.MessageEvent) error {
	msg := e.Message
	msg.SessionID = h.sessionID
	if msg.Status == "" {
		msg.Status = wagate.StatusReceived
		if msg.FromMe {
			msg.Status = wagate.StatusSent
		}
	}
	// History sync can carry thousands of old files: only live messages are
	// downloaded eagerly.
	if msg.Media != nil && msg.Media.BlobKey == "" && e.Download != nil && !msg.History {
		m.downloadInbound(ctx, msg, e.Download)
	}
	if e.Status {
		return m.storeStatus(ctx, msg)
	}
	stored, _, err := m.Messages.InsertMessage(ctx, msg)
	if err != nil {
		return err
	}
	if stored.History || stored.FromMe {
		return nil
	}
	// Published on every delivery of the message (also a redelivery after a
	// crash): the event id is stable, so the bus stores it once.
	return m.publishReceived(ctx, stored)
}

// downloadInbound fetches the file now (WhatsApp's links expire) and puts
// it in the blob store; a failure keeps the message without its file.
func (m *Manager) downloadInbound(ctx context.Context, msg *wagate.Message, download func(context.Context) ([]byte, error)) {
	dctx, cancel := context.WithTimeout(ctx, MediaDownloadTimeout)
	defer cancel()
	data, err := download(dctx)
	if err == nil && len(data) > 0 {
		media := *msg.Media
		if media.Mimetype == "" {
			media.Mimetype = mediatype.Sniff(data, media.Filename)
		}
		if media.Filename == "" {
			media.Filename = msg.WhatsAppID + mediatype.Extension(media.Mimetype)
		}
		if err = m.storeMedia(ctx, msg, &media, data, "inbound"); err == nil {
			msg.Media = &media
			return
		}
	}
	if err != nil {
		m.log().Warn("download inbound media", "session_id", msg.SessionID, "whatsapp_id", msg.WhatsAppID, "err", err)
	}
}

// storeStatus keeps a status (story) in the status store.
func (m *Manager) storeStatus(ctx context.Context, msg *wagate.Message) error {
	if m.Statuses == nil {
		return nil
	}
	_, _, err := m.Statuses.InsertStatus(ctx, &wagate.StatusPost{
		SessionID: msg.SessionID, WhatsAppID: msg.WhatsAppID, SenderJID: msg.SenderJID, SenderLID: msg.SenderLID,
		SenderName: msg.SenderName, FromMe: msg.FromMe, Type: msg.Type, Body: msg.Body, Media: msg.Media,
		Timestamp: msg.Timestamp, ExpiresAt: msg.Timestamp.Add(wagate.StatusTTL),
	})
	return err
}

// handleChange applies an edit or a revoke to the stored message.
func (m *Manager) handleChange(ctx context.Context, h *host, e wagate.MessageChangeEvent) {
	upd := wagate.MessageUpdate{}
	if e.Revoked {
		yes := true
		upd.Revoked = &yes
	} else {
		yes := true
		upd.Body, upd.Edited = &e.NewBody, &yes
	}
	if _, _, err := m.Messages.UpdateMessage(ctx, h.sessionID, e.TargetID, upd); err != nil && wagate.ErrorCode(err) != wagate.ENOTFOUND {
		m.log().Error("apply message change", "session_id", h.sessionID, "whatsapp_id", e.TargetID, "err", err)
	}
}

// handleReceipt moves our messages forward (delivered, read, played).
func (m *Manager) handleReceipt(ctx context.Context, h *host, e wagate.ReceiptEvent) {
	at := e.At
	if at.IsZero() {
		at = m.now()
	}
	for _, id := range e.IDs {
		m.advance(ctx, h.sessionID, id, e.Status, at)
	}
}
