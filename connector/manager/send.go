package manager

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/mediatype"
)

// Send retries while a session is not live (reconnecting, not yet resumed).
const (
	NotLiveRetry    = 3 * time.Second
	NotLiveAttempts = 40 // ≈ 2 minutes, then the message fails
	// shortPace is a pacing delay small enough to wait for in place.
	shortPace = 20 * time.Millisecond
)

// send sends a stored pending message. A message that is not pending was
// handled already (a redelivered command): it is never sent twice. If a
// crash comes between WhatsApp taking the message and the store saying so,
// the retry re-sends the same WhatsApp id, which recipients deduplicate.
func (m *Manager) send(ctx context.Context, d wagate.Delivery, p events.MessageSendPayload) (time.Duration, error) {
	return m.deliver(ctx, d, p.WhatsAppMessageID, func(c wagate.EngineClient, msg *wagate.Message, data []byte) (time.Time, error) {
		return c.Send(ctx, msg, data)
	})
}

// deliver hands a stored pending message (with its file) to the engine
// through submit, with the checks and outcomes of a send: a message that is
// no longer pending is left alone, a session that is not live is retried,
// pacing applies, and the message ends sent or failed.
func (m *Manager) deliver(ctx context.Context, d wagate.Delivery, waID string, submit func(wagate.EngineClient, *wagate.Message, []byte) (time.Time, error)) (time.Duration, error) {
	sid := d.Command.SessionID
	msg, err := m.Messages.FindMessage(ctx, sid, waID)
	if wagate.ErrorCode(err) == wagate.ENOTFOUND {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if msg.Status != wagate.StatusPending {
		return 0, nil
	}
	h := m.get(sid)
	if h == nil || !h.client.IsLive() {
		if d.Attempt < NotLiveAttempts {
			return NotLiveRetry, nil
		}
		m.failMessage(ctx, msg, "the session was not connected")
		return 0, nil
	}
	if wait := m.pacers.delay(m.Pacing, sid, m.now()); wait > shortPace {
		return wait, nil
	} else if wait > 0 {
		sleep(ctx, wait)
	}
	data, err := m.mediaBytes(ctx, msg)
	if err != nil {
		if wagate.ErrorCode(err) == wagate.EINTERNAL {
			return 0, err
		}
		m.failMessage(ctx, msg, wagate.ErrorMessage(err))
		return 0, nil
	}
	if _, _, owned := m.fenced(sid); !owned {
		// The lease ended (or is about to): the next owner sends it.
		return NotLiveRetry, nil
	}
	ts, err := submit(h.client, msg, data)
	if err != nil {
		if code := wagate.ErrorCode(err); code == wagate.ENOTCONNECTED && d.Attempt < NotLiveAttempts {
			return NotLiveRetry, nil
		}
		m.log().Warn("send failed", "session_id", sid, "whatsapp_id", msg.WhatsAppID, "err", err)
		m.failMessage(ctx, msg, wagate.ErrorMessage(err))
		return 0, nil
	}
	m.advance(ctx, msg.SessionID, msg.WhatsAppID, wagate.StatusSent, ts)
	return 0, nil
}

// mediaBytes returns the file of a media message, fetching a URL source
// into the blob store first.
func (m *Manager) mediaBytes(ctx context.Context, msg *wagate.Message) ([]byte, error) {
	if msg.Media == nil || !msg.Type.HasMedia() {
		return nil, nil
	}
	if msg.Media.BlobKey == "" {
		if err := m.fetchMedia(ctx, msg); err != nil {
			return nil, err
		}
	}
	rc, _, err := m.Blobs.Open(ctx, msg.Media.BlobKey)
	if err != nil {
		return nil, fmt.Errorf("open media of %s: %w", msg.WhatsAppID, err)
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// fetchMedia downloads a URL source, checks its type and stores it.
func (m *Manager) fetchMedia(ctx context.Context, msg *wagate.Message) error {
	if msg.Media.SourceURL == "" || m.Fetch == nil {
		return wagate.Errorf(wagate.EINVALID, "the message has no media to send")
	}
	data, ctype, err := m.Fetch(ctx, msg.Media.SourceURL)
	if err != nil {
		if wagate.ErrorCode(err) == wagate.EINTERNAL {
			return wagate.Errorf(wagate.EINVALID, "could not download the media url: %v", err)
		}
		return err
	}
	media := *msg.Media
	if media.Mimetype == "" {
		media.Mimetype = mediatype.Sniff(data, media.Filename)
		if media.Mimetype == "application/octet-stream" && ctype != "" {
			media.Mimetype = ctype
		}
	}
	if err := mediatype.Check(msg.Type, media.Mimetype, media.PTT); err != nil {
		return err
	}
	if media.Filename == "" {
		media.Filename = msg.WhatsAppID + mediatype.Extension(media.Mimetype)
	}
	if err := m.storeMedia(ctx, msg, &media, data, "outbound"); err != nil {
		return err
	}
	if _, _, err := m.Messages.UpdateMessage(ctx, msg.SessionID, msg.WhatsAppID, wagate.MessageUpdate{Media: &media}); err != nil {
		return err
	}
	msg.Media = &media
	return nil
}

// storeMedia puts data in the blob store and records the media file.
func (m *Manager) storeMedia(ctx context.Context, msg *wagate.Message, media *wagate.Media, data []byte, origin string) error {
	id := ids.New()
	key := "media/" + msg.SessionID + "/" + id
	info, err := m.Blobs.Put(ctx, key, bytes.NewReader(data), media.Mimetype)
	if err != nil {
		return fmt.Errorf("store media of %s: %w", msg.WhatsAppID, err)
	}
	media.BlobKey, media.Size = key, info.Size
	if m.Media == nil {
		return nil
	}
	return m.Media.InsertMedia(ctx, &wagate.MediaFile{
		ID: id, SessionID: msg.SessionID, BlobKey: key, Filename: media.Filename, Mimetype: media.Mimetype,
		Size: info.Size, Origin: origin, MessageID: msg.WhatsAppID, CreatedAt: m.now().UTC(),
	})
}

// failMessage marks a pending message failed and publishes message.failed.
func (m *Manager) failMessage(ctx context.Context, msg *wagate.Message, reason string) {
	failed := wagate.StatusFailed
	upd := wagate.MessageUpdate{Status: &failed, At: m.now(), Error: &reason}
	cur, changed, err := m.updateMessage(ctx, msg.SessionID, msg.WhatsAppID, upd)
	if err != nil {
		m.log().Error("mark message failed", "session_id", msg.SessionID, "whatsapp_id", msg.WhatsAppID, "err", err)
		return
	}
	if changed {
		m.publishStatus(ctx, cur)
	}
}

// advance moves an outbound message forward and publishes the change.
func (m *Manager) advance(ctx context.Context, sessionID, waID string, st wagate.MessageStatus, at time.Time) {
	cur, changed, err := m.updateMessage(ctx, sessionID, waID, wagate.MessageUpdate{Status: &st, At: at})
	if wagate.ErrorCode(err) == wagate.ENOTFOUND {
		return
	} else if err != nil {
		m.log().Error("update message status", "session_id", sessionID, "whatsapp_id", waID, "status", st, "err", err)
		return
	}
	if changed && cur.FromMe {
		m.publishStatus(ctx, cur)
	}
}

// markRead sends read receipts for a chat's messages.
func (m *Manager) markRead(ctx context.Context, d wagate.Delivery, p events.ChatReadPayload) (time.Duration, error) {
	h := m.get(d.Command.SessionID)
	if h == nil || !h.client.IsLive() {
		if d.Attempt < NotLiveAttempts {
			return NotLiveRetry, nil
		}
		return 0, wagate.Errorf(wagate.ENOTCONNECTED, "session not connected; read receipts dropped")
	}
	for _, r := range p.Receipts {
		if err := h.client.MarkRead(ctx, p.ChatID, r.SenderJID, r.IDs, m.now()); err != nil {
			return 0, wagate.Errorf(wagate.EWHATSAPP, "mark read: %v", err)
		}
	}
	return 0, nil
}
