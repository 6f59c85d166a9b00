package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

const (
	// statusBroadcast is the chat of statuses (stories).
	statusBroadcast = "status@broadcast"
	// groupSuffix ends a group JID; lidSuffix a LID JID.
	groupSuffix = "@g.us"
	lidSuffix   = "@lid"
	// inboundIDBytes is the random part of a generated message id: 32 upper-case
	// hex characters, like the ids of messages sent from Android phones.
	inboundIDBytes = 16
	// maxMessageIDLen bounds a message id given by the caller.
	maxMessageIDLen = 128
)

// Default mimetypes of inbound media that came without one.
var defaultMimetypes = map[wagate.MessageType]string{
	wagate.TypeImage:    "image/jpeg",
	wagate.TypeVideo:    "video/mp4",
	wagate.TypeAudio:    "audio/ogg; codecs=opus",
	wagate.TypeDocument: "application/octet-stream",
	wagate.TypeSticker:  "image/webp",
}

// Inbound delivers in to the session as a contact's phone would and returns
// its WhatsApp id (in.ID, or a generated one). The client gets the event the
// whatsmeow engine would emit: MessageEvent (Status set for a status post;
// Download returns the media bytes, nil without media), or
// MessageChangeEvent for an edit or revoke. Like WhatsApp, which considers a
// message delivered only once the device acknowledged it, Inbound waits (up
// to InboundAckTimeout) until the connector reports the message handled —
// so a message is never lost to a crash between the two, and callers see it
// stored when Inbound returns. View-once and ephemeral wrappers are unwrapped, as the
// engine does, so they make no visible difference.
//
// Returns ENOTFOUND if the session is not hosted, EINVALID for a malformed
// message (checked before the connection), ENOTCONNECTED if the client is
// not live.
func (n *Network) Inbound(ctx context.Context, sessionID string, in wagate.SimInbound) (string, error) {
	c, err := n.client(sessionID)
	if err != nil {
		return "", err
	}
	ev, id, err := inboundEvent(sessionID, in)
	if err != nil {
		return "", err
	}
	var handled chan error
	if me, ok := ev.(wagate.MessageEvent); ok {
		handled = make(chan error, 1)
		me.Handled = func(err error) {
			select {
			case handled <- err:
			default:
			}
		}
		ev = me
	}
	c.mu.Lock()
	if c.state != stateConnected {
		c.mu.Unlock()
		return "", c.notConnected()
	}
	c.emit(ev)
	c.noteSender(in)
	c.mu.Unlock()
	if handled == nil {
		return id, nil
	}
	t := time.NewTimer(InboundAckTimeout)
	defer t.Stop()
	select {
	case err := <-handled:
		if err != nil {
			return "", fmt.Errorf("the session did not store message %s: %w", id, err)
		}
	case <-t.C:
		return "", wagate.Errorf(wagate.EUNAVAILABLE, "the session did not acknowledge message %s in %s", id, InboundAckTimeout)
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return id, nil
}

// InboundAckTimeout bounds how long Inbound waits for the connector.
const InboundAckTimeout = 10 * time.Second

// inboundEvent builds the event of in, received now, and returns it with
// the message id.
func inboundEvent(sessionID string, in wagate.SimInbound) (wagate.EngineEvent, string, error) {
	phone, err := normalizePhone(in.From)
	if err != nil {
		return nil, "", invalid("from must be a phone number (%d-%d digits with country code) or a phone JID.", minPhoneDigits, maxPhoneDigits)
	}
	if in.FromLID != "" && !isJID(in.FromLID, lidSuffix, false) {
		return nil, "", invalid("fromLid must be a LID JID like 123456789@lid.")
	}
	id := in.ID
	if id == "" {
		id = newInboundID()
	} else if !validMessageID(id) {
		return nil, "", invalid("id must be 1-%d printable characters without spaces.", maxMessageIDLen)
	}

	m := &wagate.Message{
		SessionID:  sessionID,
		WhatsAppID: id,
		ChatID:     phone + "@" + jidServer,
		ChatLID:    in.FromLID,
		SenderJID:  phone + "@" + jidServer,
		SenderLID:  in.FromLID,
		SenderName: in.PushName,
		Type:       in.Type,
		QuotedID:   in.QuotedID,
		History:    in.History,
		Status:     wagate.StatusReceived,
		Timestamp:  now(),
	}
	switch {
	case in.Status && in.Group != "":
		return nil, "", invalid("A status is not posted in a group.")
	case in.Status:
		m.ChatID, m.ChatLID = statusBroadcast, ""
	case in.Group != "":
		if !isGroupJID(in.Group) {
			return nil, "", invalid("group must be a group JID like 120363000000000000@g.us.")
		}
		m.ChatID, m.ChatLID, m.IsGroup = in.Group, "", true
	}

	if in.Edit || in.Revoke {
		ev, err := changeEvent(m, in)
		return ev, id, err
	}
	data, err := fillContent(m, in)
	if err != nil {
		return nil, "", err
	}
	ev := wagate.MessageEvent{Message: m, Status: in.Status}
	if data != nil {
		ev.Download = func(ctx context.Context) ([]byte, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return data, nil
		}
	}
	return ev, id, nil
}

// changeEvent is the event of an edit or revoke of an earlier message in
// m's chat.
func changeEvent(m *wagate.Message, in wagate.SimInbound) (wagate.EngineEvent, error) {
	switch {
	case in.Edit && in.Revoke:
		return nil, invalid("A message is edited or revoked, not both.")
	case in.TargetID == "":
		return nil, invalid("targetId is required to edit or revoke a message.")
	case in.Edit && in.Content == "":
		return nil, invalid("content (the new text) is required to edit a message.")
	}
	ev := wagate.MessageChangeEvent{ChatID: m.ChatID, TargetID: in.TargetID, Revoked: in.Revoke, At: m.Timestamp}
	if in.Edit {
		ev.NewBody = in.Content
	}
	return ev, nil
}

// fillContent sets m's type-specific fields from in and returns the media
// bytes (nil without media).
func fillContent(m *wagate.Message, in wagate.SimInbound) ([]byte, error) {
	if in.Status {
		switch in.Type {
		case wagate.TypeText, wagate.TypeImage, wagate.TypeVideo:
		default:
			return nil, invalid("A status is text, image or video.")
		}
	}
	switch in.Type {
	case wagate.TypeText:
		if in.Content == "" {
			return nil, invalid("content is required for a text message.")
		}
		m.Body = in.Content
	case wagate.TypeImage, wagate.TypeVideo, wagate.TypeAudio, wagate.TypeDocument, wagate.TypeSticker:
		return fillMedia(m, in)
	case wagate.TypeLocation:
		loc := in.Location
		if loc == nil || math.Abs(loc.Latitude) > 90 || math.Abs(loc.Longitude) > 180 {
			return nil, invalid("location with latitude (-90..90) and longitude (-180..180) is required for a location message.")
		}
		m.Location = &wagate.Location{Latitude: loc.Latitude, Longitude: loc.Longitude, Name: loc.Name, Address: loc.Address, URL: loc.URL}
		m.Body = loc.Name
	case wagate.TypeContact:
		if len(in.Contacts) == 0 {
			return nil, invalid("contacts are required for a contact message.")
		}
		m.Contacts = slices.Clone(in.Contacts)
		names := make([]string, len(in.Contacts))
		for i, card := range in.Contacts {
			names[i] = card.DisplayName
		}
		m.Body = strings.Join(names, ", ")
	case wagate.TypeReaction:
		if in.TargetID == "" {
			return nil, invalid("targetId is required for a reaction.")
		}
		m.Reaction = &wagate.Reaction{TargetID: in.TargetID, TargetChatID: m.ChatID, TargetFromMe: in.TargetFromMe, Text: in.Content}
		m.Body = in.Content
	default:
		return nil, invalid("type must be one of text, image, video, audio, document, location, contact, sticker, reaction.")
	}
	return nil, nil
}

// fillMedia sets m.Media (and the caption, for the types that have one)
// from in and returns a copy of the bytes. Only documents keep a file name
// and only audio a voice-note flag, as on WhatsApp.
func fillMedia(m *wagate.Message, in wagate.SimInbound) ([]byte, error) {
	if in.Media == nil || len(in.Media.Data) == 0 {
		return nil, invalid("media with data is required for a %s message.", in.Type)
	}
	media := &wagate.Media{Mimetype: in.Media.Mimetype, Size: int64(len(in.Media.Data))}
	if media.Mimetype == "" {
		media.Mimetype = defaultMimetypes[in.Type]
	}
	switch in.Type {
	case wagate.TypeDocument:
		media.Filename = in.Media.Filename
		m.Body, media.Caption = in.Content, in.Content
	case wagate.TypeImage, wagate.TypeVideo:
		m.Body, media.Caption = in.Content, in.Content
	case wagate.TypeAudio:
		media.PTT = in.PTT
	}
	m.Media = media
	return slices.Clone(in.Media.Data), nil
}

// invalid is an EINVALID error.
func invalid(format string, args ...any) error {
	return wagate.Errorf(wagate.EINVALID, format, args...)
}

// newInboundID returns a message id like a phone's: 32 upper-case hex characters.
func newInboundID() string {
	b := make([]byte, inboundIDBytes)
	rand.Read(b) // never fails (crypto/rand, Go ≥ 1.24)
	return strings.ToUpper(hex.EncodeToString(b))
}

// validMessageID reports whether id is 1-maxMessageIDLen printable ASCII
// characters without spaces.
func validMessageID(id string) bool {
	if len(id) == 0 || len(id) > maxMessageIDLen {
		return false
	}
	for i := range len(id) {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// isGroupJID reports whether jid is a group JID: "120363…@g.us", or the
// older "<creator phone>-<timestamp>@g.us".
func isGroupJID(jid string) bool { return isJID(jid, groupSuffix, true) }

// isJID reports whether jid is digits (and dashes, if allowed) followed by
// suffix.
func isJID(jid, suffix string, dashes bool) bool {
	user, ok := strings.CutSuffix(jid, suffix)
	if !ok || user == "" || user[0] == '-' {
		return false
	}
	for i := range len(user) {
		if !(user[i] >= '0' && user[i] <= '9' || dashes && user[i] == '-') {
			return false
		}
	}
	return true
}
