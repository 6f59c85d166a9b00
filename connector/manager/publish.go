package manager

import (
	"context"
	"path"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// statusEvents maps an outbound status to its event type.
var statusEvents = map[wagate.MessageStatus]string{
	wagate.StatusSent:      events.EvMessageSent,
	wagate.StatusDelivered: events.EvMessageDelivered,
	wagate.StatusRead:      events.EvMessageRead,
	wagate.StatusPlayed:    events.EvMessagePlayed,
	wagate.StatusFailed:    events.EvMessageFailed,
}

// publishReceived publishes message.received for msg with a stable id.
func (m *Manager) publishReceived(ctx context.Context, msg *wagate.Message) error {
	sess, err := m.Store.FindSession(ctx, msg.SessionID)
	if err != nil {
		if wagate.ErrorCode(err) == wagate.ENOSESSION {
			return nil
		}
		return err
	}
	data := events.MessageData{SessionID: sess.SessionID, SessionDBID: sess.ID, Message: ReceivedPayload(msg, sess.SessionID)}
	ev, err := events.NewEvent("msg-"+sess.SessionID+"-"+msg.WhatsAppID, events.EvMessageReceived, sess.SessionID, sess.ID, m.now(), data)
	if err != nil {
		return err
	}
	return m.Bus.Publish(ctx, ev)
}

// publishStatus publishes message.<status> for an outbound message.
func (m *Manager) publishStatus(ctx context.Context, msg *wagate.Message) {
	typ, ok := statusEvents[msg.Status]
	if !ok || m.Bus == nil {
		return
	}
	sess, err := m.Store.FindSession(ctx, msg.SessionID)
	if err != nil {
		return
	}
	at := msg.Timestamp
	switch msg.Status {
	case wagate.StatusSent:
		at = msg.SentAt
	case wagate.StatusDelivered:
		at = msg.DeliveredAt
	case wagate.StatusRead:
		at = msg.ReadAt
	case wagate.StatusPlayed:
		at = msg.PlayedAt
	}
	if at.IsZero() {
		at = m.now()
	}
	data := events.MessageStatusData{
		SessionID: sess.SessionID, SessionDBID: sess.ID, ID: msg.ID, MessageID: msg.WhatsAppID,
		WhatsAppMessageID: msg.WhatsAppID, ChatID: msg.ChatID, ChatLID: msg.ChatLID,
		Status: string(msg.Status), Timestamp: at.Unix(), Error: msg.Error,
	}
	ev, err := events.NewEvent("st-"+sess.SessionID+"-"+msg.WhatsAppID+"-"+string(msg.Status), typ, sess.SessionID, sess.ID, m.now(), data)
	if err == nil {
		err = m.Bus.Publish(ctx, ev)
	}
	if err != nil {
		m.log().Error("publish message status", "session_id", sess.SessionID, "whatsapp_id", msg.WhatsAppID, "err", err)
	}
}

// ReceivedPayload renders msg as data.message of message.received. to is
// what the seed puts in "to": the receiving session's id.
func ReceivedPayload(msg *wagate.Message, to string) events.MessagePayload {
	p := events.MessagePayload{
		WhatsAppMessageID: msg.WhatsAppID, Content: msg.Body, ChatID: msg.ChatID, From: msg.SenderJID, To: to,
		Timestamp: msg.Timestamp.Unix(), Type: string(msg.Type), ID: msg.ID, MessageID: msg.WhatsAppID,
		FromMe: msg.FromMe, IsGroup: msg.IsGroup, ChatLID: msg.ChatLID, FromLID: msg.SenderLID,
		PushName: msg.SenderName, QuotedMessageID: msg.QuotedID,
	}
	if p.From == "" {
		p.From = msg.ChatID
	}
	if md := msg.Media; md != nil {
		p.HasAttachment = md.BlobKey != ""
		if p.HasAttachment {
			p.Media = &events.MediaPayload{Filename: md.Filename, Filesize: md.Size, Mimetype: md.Mimetype, MediaID: mediaIDOf(md.BlobKey)}
		}
	}
	if l := msg.Location; l != nil {
		p.Location = &events.LocationPayload{DegreesLatitude: l.Latitude, DegreesLongitude: l.Longitude, Name: l.Name, Address: l.Address}
	}
	for _, c := range msg.Contacts {
		p.Contacts = append(p.Contacts, events.ContactPayload{DisplayName: c.DisplayName, VCard: c.VCard})
	}
	if r := msg.Reaction; r != nil {
		chat := r.TargetChatID
		if chat == "" {
			chat = msg.ChatID
		}
		p.ReactionMessage = &events.ReactionPayload{Key: events.ReactionKey{ID: r.TargetID, RemoteJID: chat, FromMe: r.TargetFromMe}, Text: r.Text}
	}
	return p
}

// mediaIDOf is the media file id inside a blob key "media/<session>/<id>".
func mediaIDOf(key string) string {
	return path.Base(key)
}
