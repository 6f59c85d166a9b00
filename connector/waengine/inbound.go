package waengine

import (
	"cmp"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/reflect/protoreflect"

	wagate "github.com/wagate/wagate/shared"
)

// Inbound messages, pure: whatsmeow's events.Message → a wagate engine
// event. The I/O around it (waiting for the connector, downloads, history
// sync) is in receive.go.

// identities resolves the addresses of chats and people.
type identities struct {
	// pnForLID returns the phone JID of a LID, or the empty JID when it is
	// not known. nil: never known.
	pnForLID func(lid types.JID) types.JID
	// isOwn reports whether jid is the linked account (phone JID or LID).
	// nil: never.
	isOwn func(jid types.JID) bool
}

// resolve names a person or chat as the port does: the phone JID when
// known (else the LID) and the LID when known. alt is the other address
// WhatsApp sent along, if any. Groups and other chats come back as they are.
func (ids identities) resolve(primary, alt types.JID) (id, lid string) {
	p, a := primary.ToNonAD(), alt.ToNonAD()
	switch p.Server {
	case types.HiddenUserServer:
		pn := types.EmptyJID
		if a.Server == types.DefaultUserServer {
			pn = a
		} else if ids.pnForLID != nil {
			pn = ids.pnForLID(p).ToNonAD()
		}
		if pn.Server == types.DefaultUserServer && pn.User != "" {
			return pn.String(), p.String()
		}
		return p.String(), p.String()
	case types.DefaultUserServer:
		if a.Server == types.HiddenUserServer {
			return p.String(), a.String()
		}
	}
	return p.String(), ""
}

// chat returns the chat of a message: in a direct chat its other side's
// alternative address is SenderAlt (their message) or RecipientAlt (ours).
// A message someone sent to a broadcast list of theirs shows in the direct
// chat with them.
func (ids identities) chat(src types.MessageSource) (chatID, chatLID string) {
	chat, alt := src.Chat, types.EmptyJID
	if src.IsIncomingBroadcast() && !src.IsFromMe {
		chat = src.Sender
	}
	if src.IsFromMe {
		alt = src.RecipientAlt
	} else if chat.ToNonAD() == src.Sender.ToNonAD() {
		alt = src.SenderAlt
	}
	return ids.resolve(chat, alt)
}

// inbound is a converted events.Message.
type inbound struct {
	// event is a MessageEvent (without Download and Handled) or a
	// MessageChangeEvent; nil when the message is not one for the port
	// (protocol messages, key distribution, updates to polls, …).
	event wagate.EngineEvent
	// media is the part to download for a MessageEvent with media.
	media whatsmeow.DownloadableMessage
}

// convertMessage converts a live message (history false) or one parsed from
// a history sync (history true: edits come with the edited content under
// the original id, and revocations are skipped).
func convertMessage(evt *events.Message, ids identities, history bool) inbound {
	raw := evt.Message
	if raw == nil {
		raw = evt.RawMessage
	}
	content, wrappedEdit := unwrapContent(raw)
	if content == nil {
		return inbound{}
	}
	info := evt.Info
	chatID, chatLID := ids.chat(info.MessageSource)
	edit := evt.IsEdit || wrappedEdit
	if pm := content.GetProtocolMessage(); pm != nil {
		if history {
			return inbound{}
		}
		return inbound{event: protocolChange(pm, chatID, info)}
	}
	if edit && !history {
		return inbound{event: wagate.MessageChangeEvent{
			ChatID: chatID, TargetID: info.ID, NewBody: bodyOf(content), At: info.Timestamp.UTC(),
		}}
	}
	m := &wagate.Message{
		WhatsAppID: info.ID,
		ChatID:     chatID,
		ChatLID:    chatLID,
		SenderName: info.PushName,
		FromMe:     info.IsFromMe,
		IsGroup:    info.Chat.Server == types.GroupServer,
		Edited:     edit,
		History:    history,
		Status:     wagate.StatusReceived,
		Timestamp:  info.Timestamp.UTC(),
	}
	if m.FromMe {
		m.Status = wagate.StatusSent // sent from the phone
	}
	m.SenderJID, m.SenderLID = ids.resolve(info.Sender, info.SenderAlt)
	media, ok := fillContent(m, content, info, ids)
	if !ok {
		return inbound{}
	}
	return inbound{
		event: wagate.MessageEvent{Message: m, Status: info.Chat.ToNonAD() == types.StatusBroadcastJID},
		media: media,
	}
}

// protocolChange converts a revocation or an edit; other protocol messages
// give nil.
func protocolChange(pm *waE2E.ProtocolMessage, chatID string, info types.MessageInfo) wagate.EngineEvent {
	ev := wagate.MessageChangeEvent{ChatID: chatID, TargetID: pm.GetKey().GetID(), At: info.Timestamp.UTC()}
	if ev.TargetID == "" {
		return nil
	}
	switch pm.GetType() {
	case waE2E.ProtocolMessage_REVOKE:
		ev.Revoked = true
	case waE2E.ProtocolMessage_MESSAGE_EDIT:
		edited, _ := unwrapContent(pm.GetEditedMessage())
		ev.NewBody = bodyOf(edited)
	default:
		return nil
	}
	return ev
}

// maxWrapDepth bounds unwrapping (wrappers nest a few levels at most).
const maxWrapDepth = 8

// unwrapContent removes the wrappers around a message's content, in any
// order: sent from another own device, disappearing, view-once (all three
// kinds), document with caption, edit, Lottie sticker, bot invocation,
// album child and group mention. edit reports an EditedMessage wrapper.
// whatsmeow's UnwrapRaw does most of this in a fixed order; doing it here
// again makes hand-built and history events come out the same.
func unwrapContent(msg *waE2E.Message) (content *waE2E.Message, edit bool) {
	for range maxWrapDepth {
		var inner *waE2E.Message
		switch {
		case msg.GetDeviceSentMessage().GetMessage() != nil:
			inner = msg.GetDeviceSentMessage().GetMessage()
		case msg.GetEditedMessage().GetMessage() != nil:
			inner, edit = msg.GetEditedMessage().GetMessage(), true
		default:
			inner = futureProofContent(msg)
		}
		if inner == nil {
			return msg, edit
		}
		msg = inner
	}
	return msg, edit
}

// futureProofContent returns the message inside a FutureProofMessage
// wrapper, or nil.
func futureProofContent(msg *waE2E.Message) *waE2E.Message {
	for _, w := range []*waE2E.FutureProofMessage{
		msg.GetEphemeralMessage(),
		msg.GetViewOnceMessage(),
		msg.GetViewOnceMessageV2(),
		msg.GetViewOnceMessageV2Extension(),
		msg.GetDocumentWithCaptionMessage(),
		msg.GetLottieStickerMessage(),
		msg.GetBotInvokeMessage(),
		msg.GetAssociatedChildMessage(),
		msg.GetGroupMentionedMessage(),
	} {
		if inner := w.GetMessage(); inner != nil {
			return inner
		}
	}
	return nil
}

// fillContent sets m's type and type-specific fields from the unwrapped
// content c and returns the part to download (nil without media). ok is
// false for content that is not a message of its own.
func fillContent(m *wagate.Message, c *waE2E.Message, info types.MessageInfo, ids identities) (media whatsmeow.DownloadableMessage, ok bool) {
	var part interface{ GetContextInfo() *waE2E.ContextInfo }
	switch {
	case c.Conversation != nil:
		m.Type, m.Body = wagate.TypeText, c.GetConversation()
	case c.ExtendedTextMessage != nil:
		p := c.ExtendedTextMessage
		m.Type, m.Body, part = wagate.TypeText, p.GetText(), p
	case c.ImageMessage != nil:
		p := c.ImageMessage
		m.Type, m.Body, part, media = wagate.TypeImage, p.GetCaption(), p, p
		m.Media = &wagate.Media{Mimetype: p.GetMimetype(), Size: int64(p.GetFileLength()), Caption: p.GetCaption(),
			Width: int(p.GetWidth()), Height: int(p.GetHeight())}
	case c.VideoMessage != nil || c.PtvMessage != nil:
		p := c.VideoMessage
		if p == nil {
			p = c.PtvMessage // a round video note
		}
		m.Type, m.Body, part, media = wagate.TypeVideo, p.GetCaption(), p, p
		m.Media = &wagate.Media{Mimetype: p.GetMimetype(), Size: int64(p.GetFileLength()), Caption: p.GetCaption(),
			Width: int(p.GetWidth()), Height: int(p.GetHeight()), Seconds: int(p.GetSeconds())}
	case c.AudioMessage != nil:
		p := c.AudioMessage
		m.Type, part, media = wagate.TypeAudio, p, p
		m.Media = &wagate.Media{Mimetype: p.GetMimetype(), Size: int64(p.GetFileLength()), PTT: p.GetPTT(), Seconds: int(p.GetSeconds())}
	case c.DocumentMessage != nil:
		p := c.DocumentMessage
		m.Type, m.Body, part, media = wagate.TypeDocument, p.GetCaption(), p, p
		name := p.GetFileName()
		if name == "" {
			name = p.GetTitle()
		}
		m.Media = &wagate.Media{Filename: name, Mimetype: p.GetMimetype(), Size: int64(p.GetFileLength()), Caption: p.GetCaption()}
	case c.StickerMessage != nil:
		p := c.StickerMessage
		m.Type, part, media = wagate.TypeSticker, p, p
		m.Media = &wagate.Media{Mimetype: p.GetMimetype(), Size: int64(p.GetFileLength()), Width: int(p.GetWidth()), Height: int(p.GetHeight())}
	case c.LocationMessage != nil:
		p := c.LocationMessage
		m.Type, m.Body, part = wagate.TypeLocation, p.GetName(), p
		m.Location = &wagate.Location{Latitude: p.GetDegreesLatitude(), Longitude: p.GetDegreesLongitude(),
			Name: p.GetName(), Address: p.GetAddress(), URL: p.GetURL()}
	case c.LiveLocationMessage != nil:
		p := c.LiveLocationMessage
		m.Type, m.Body, part = wagate.TypeLocation, p.GetCaption(), p
		m.Location = &wagate.Location{Latitude: p.GetDegreesLatitude(), Longitude: p.GetDegreesLongitude()}
	case c.ContactMessage != nil:
		p := c.ContactMessage
		m.Type, m.Body, part = wagate.TypeContact, p.GetDisplayName(), p
		m.Contacts = []wagate.ContactCard{{DisplayName: p.GetDisplayName(), VCard: p.GetVcard()}}
	case c.ContactsArrayMessage != nil:
		p := c.ContactsArrayMessage
		m.Type, part = wagate.TypeContact, p
		names := make([]string, 0, len(p.GetContacts()))
		for _, card := range p.GetContacts() {
			m.Contacts = append(m.Contacts, wagate.ContactCard{DisplayName: card.GetDisplayName(), VCard: card.GetVcard()})
			names = append(names, card.GetDisplayName())
		}
		m.Body = cmp.Or(p.GetDisplayName(), strings.Join(names, ", "))
	case c.ReactionMessage != nil:
		p := c.ReactionMessage
		m.Type, m.Body = wagate.TypeReaction, p.GetText()
		m.Reaction = &wagate.Reaction{TargetID: p.GetKey().GetID(), TargetChatID: m.ChatID,
			TargetFromMe: reactionTargetFromMe(p.GetKey(), info, ids), Text: p.GetText()}
		if m.Reaction.TargetID == "" {
			return nil, false
		}
	default:
		desc := describeUnknown(c)
		if desc == "" {
			return nil, false
		}
		m.Type, m.Body = wagate.TypeUnknown, desc
	}
	if part != nil {
		m.QuotedID = part.GetContextInfo().GetStanzaID()
	}
	return media, true
}

// reactionTargetFromMe reports whether the reacted message is ours. The key
// is the reactor's view: FromMe means the reactor's own message.
func reactionTargetFromMe(key *waCommon.MessageKey, info types.MessageInfo, ids identities) bool {
	switch {
	case info.IsFromMe:
		return key.GetFromMe()
	case key.GetFromMe():
		return false
	case key.GetParticipant() != "":
		p, err := types.ParseJID(key.GetParticipant())
		return err == nil && ids.isOwn != nil && ids.isOwn(p)
	}
	// A direct chat: a message the reactor did not send is ours.
	return info.Chat.Server != types.GroupServer && !info.Chat.IsBroadcastList() && info.Chat != types.StatusBroadcastJID
}

// bodyOf returns the text or caption of a message (for edits).
func bodyOf(c *waE2E.Message) string {
	switch {
	case c.Conversation != nil:
		return c.GetConversation()
	case c.ExtendedTextMessage != nil:
		return c.GetExtendedTextMessage().GetText()
	case c.ImageMessage != nil:
		return c.GetImageMessage().GetCaption()
	case c.VideoMessage != nil:
		return c.GetVideoMessage().GetCaption()
	case c.DocumentMessage != nil:
		return c.GetDocumentMessage().GetCaption()
	}
	return ""
}

// skippedParts are fields of a Message that are no message of their own:
// updates to other messages, key distribution, album announcements (the
// items follow as messages) and placeholders (the real content follows
// under the same id; storing the placeholder would shadow it).
var skippedParts = map[protoreflect.Name]bool{
	"messageContextInfo":                         true,
	"senderKeyDistributionMessage":               true,
	"fastRatchetKeySenderKeyDistributionMessage": true,
	"protocolMessage":                            true,
	"encReactionMessage":                         true,
	"pollUpdateMessage":                          true,
	"keepInChatMessage":                          true,
	"pinInChatMessage":                           true,
	"encEventResponseMessage":                    true,
	"encCommentMessage":                          true,
	"secretEncryptedMessage":                     true,
	"placeholderMessage":                         true,
	"albumMessage":                               true,
	"stickerSyncRmrMessage":                      true,
	"messageHistoryNotice":                       true,
}

// describeUnknown describes a message of a kind wagate does not model
// ("poll: Lunch?", "unsupported message: buttonsMessage"), or returns ""
// when c holds no message of its own.
func describeUnknown(c *waE2E.Message) string {
	switch {
	case c.PollCreationMessage != nil, c.PollCreationMessageV2 != nil, c.PollCreationMessageV3 != nil, c.PollCreationMessageV5 != nil:
		name := cmp.Or(c.GetPollCreationMessage().GetName(), c.GetPollCreationMessageV2().GetName(),
			c.GetPollCreationMessageV3().GetName(), c.GetPollCreationMessageV5().GetName())
		return "poll: " + name
	case c.GroupInviteMessage != nil:
		return "group invite: " + c.GetGroupInviteMessage().GetGroupName()
	case c.EventMessage != nil:
		return "event: " + c.GetEventMessage().GetName()
	}
	r := c.ProtoReflect()
	fields := r.Descriptor().Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		if r.Has(fd) && !skippedParts[fd.Name()] {
			return "unsupported message: " + string(fd.Name())
		}
	}
	return ""
}
