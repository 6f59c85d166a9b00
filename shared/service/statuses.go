package service

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/jid"
)

// Limits of a posted status.
const (
	// MaxStatusTextRunes is WhatsApp's limit for the text of a text status.
	MaxStatusTextRunes = 700
	// MaxStatusCaptionRunes caps the caption of an image or video status.
	MaxStatusCaptionRunes = 1024
	// DefaultStatusBackground is the background of a text status that names
	// none (WhatsApp's teal), and DefaultStatusText its text colour.
	DefaultStatusBackground uint32 = 0xFF128C7E
	DefaultStatusText       uint32 = 0xFFFFFFFF
)

// Statuses implements the status (story) use cases. Posting reuses the send
// pipeline of Messages: the status is stored as an outbound message of chat
// status@broadcast (its delivery state), queued, sent by the connector, and
// kept in the status store beside the statuses the session received.
type Statuses struct {
	Messages *Messages
	Store    wagate.StatusStore
	Now      func() time.Time
}

func (s *Statuses) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// StatusInput is a status to post, after decoding.
type StatusInput struct {
	Type           wagate.MessageType // text, image or video
	Text           string             // the text, or the caption of media
	Style          wagate.StatusStyle // text statuses
	Media          *MediaInput        // image and video statuses
	IdempotencyKey string
}

// List returns a page of the session's statuses, newest first, and the
// total; activeOnly keeps those that have not expired.
// Returns ENOSESSION.
func (s *Statuses) List(ctx context.Context, sessionKey string, activeOnly bool, page, limit int) ([]*wagate.StatusPost, int, error) {
	sess, err := s.Messages.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, 0, err
	}
	return s.Store.ListStatuses(ctx, sess.SessionID, activeOnly, s.now().UTC(), (page-1)*limit, limit)
}

// Post validates in, stores the status and its message, queues status.post
// and waits (bounded) for the connector's result, like a send. It returns
// the status and its message (sent, failed or still pending). A repeated
// request with the same idempotency key returns the first status.
// Returns EINVALID, ENOSESSION, ENOTCONNECTED, ENOTFOUND (media id).
func (s *Statuses) Post(ctx context.Context, sessionKey string, in StatusInput) (*wagate.StatusPost, *wagate.Message, error) {
	ms := s.Messages
	sess, err := ms.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, nil, err
	}
	if err := checkStatus(&in); err != nil {
		return nil, nil, err
	}
	if in.IdempotencyKey != "" {
		prev, err := ms.Store.FindByIdempotencyKey(ctx, sess.SessionID, in.IdempotencyKey)
		if err == nil {
			return s.resume(ctx, prev, in.Style)
		} else if wagate.ErrorCode(err) != wagate.ENOTFOUND {
			return nil, nil, err
		}
	}
	if sess.Status != wagate.StatusConnected {
		return nil, nil, wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is %s: connect it (POST /api/sessions/%s/connect) before posting a status.", sess.SessionID, sess.Status, sess.SessionID)
	}
	m := &wagate.Message{
		SessionID: sess.SessionID, WhatsAppID: NewWhatsAppID(), ChatID: jid.StatusBroadcast, FromMe: true,
		Type: in.Type, Body: in.Text, Status: wagate.StatusPending, Timestamp: s.now().UTC(),
		IdempotencyKey: in.IdempotencyKey,
	}
	if in.Type.HasMedia() {
		send := SendInput{Type: in.Type, Text: in.Text, Media: in.Media}
		if m.Media, err = ms.Sources.resolve(ctx, ms, sess.SessionID, m.WhatsAppID, send); err != nil {
			return nil, nil, err
		}
	}
	stored, created, err := ms.Store.InsertMessage(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	if !created { // a concurrent twin with the same key won the insert
		return s.resume(ctx, stored, in.Style)
	}
	post, _, err := s.Store.InsertStatus(ctx, &wagate.StatusPost{
		SessionID: sess.SessionID, WhatsAppID: stored.WhatsAppID, SenderJID: ownJID(sess), SenderName: sess.Profile.Name,
		FromMe: true, Type: stored.Type, Body: stored.Body, Media: stored.Media,
		Timestamp: stored.Timestamp, ExpiresAt: stored.Timestamp.Add(wagate.StatusTTL),
	})
	if err != nil {
		return nil, nil, err
	}
	if err := s.enqueue(ctx, stored, in.Style); err != nil {
		return nil, nil, err
	}
	return post, ms.waitSent(ctx, stored), nil
}

// resume answers a repeated post: the stored status and message, queued
// again if still pending (the command id deduplicates it).
func (s *Statuses) resume(ctx context.Context, m *wagate.Message, style wagate.StatusStyle) (*wagate.StatusPost, *wagate.Message, error) {
	if m.ChatID != jid.StatusBroadcast {
		return nil, nil, wagate.Errorf(wagate.EINVALID, "This Idempotency-Key was used for a message, not a status: use a new key.")
	}
	if m.Status == wagate.StatusPending && s.enqueue(ctx, m, style) == nil {
		m = s.Messages.waitSent(ctx, m)
	}
	return s.postOf(ctx, m), m, nil
}

// postOf returns the stored status of m, or (a post WhatsApp refused has
// been removed) the status as it would have been.
func (s *Statuses) postOf(ctx context.Context, m *wagate.Message) *wagate.StatusPost {
	if p, err := s.Store.FindStatus(ctx, m.SessionID, m.WhatsAppID); err == nil {
		return p
	}
	return &wagate.StatusPost{SessionID: m.SessionID, WhatsAppID: m.WhatsAppID, FromMe: true, Type: m.Type,
		Body: m.Body, Media: m.Media, Timestamp: m.Timestamp, ExpiresAt: m.Timestamp.Add(wagate.StatusTTL)}
}

// StatusCommandID is the command id of a status post: one per message.
func StatusCommandID(m *wagate.Message) string {
	return "status-" + m.SessionID + "-" + m.WhatsAppID
}

func (s *Statuses) enqueue(ctx context.Context, m *wagate.Message, style wagate.StatusStyle) error {
	cmd, err := events.NewCommand(StatusCommandID(m), events.CmdStatusPost, m.SessionID, s.now(), events.StatusPostPayload{
		MessageID: m.ID, WhatsAppMessageID: m.WhatsAppID,
		BackgroundARGB: style.BackgroundARGB, TextARGB: style.TextARGB, Font: style.Font,
	})
	if err != nil {
		return err
	}
	if err := s.Messages.Queue.Enqueue(ctx, cmd); err != nil {
		return fmt.Errorf("enqueue status post %s: %w", m.WhatsAppID, err)
	}
	return nil
}

// View marks a status viewed and queues the read receipt to its poster
// (a receipt on chat status@broadcast with the poster as participant), as
// a phone does when the status is opened. Viewing one's own status sends
// nothing. Returns ENOSESSION, ENOTFOUND.
func (s *Statuses) View(ctx context.Context, sessionKey, statusKey string) (*wagate.StatusPost, error) {
	sess, err := s.Messages.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.FindStatus(ctx, sess.SessionID, statusKey)
	if err != nil {
		return nil, err
	}
	if !p.FromMe {
		poster := p.SenderJID
		if poster == "" {
			poster = p.SenderLID
		}
		cmd, err := events.NewCommand(ids.New(), events.CmdChatRead, sess.SessionID, s.now(), events.ChatReadPayload{
			ChatID: jid.StatusBroadcast, Receipts: []events.ReadReceipt{{SenderJID: poster, IDs: []string{p.WhatsAppID}}},
		})
		if err == nil {
			err = s.Messages.Queue.Enqueue(ctx, cmd)
		}
		if err != nil {
			return nil, fmt.Errorf("enqueue view receipt of status %s: %w", p.WhatsAppID, err)
		}
	}
	if err := s.Store.MarkStatusViewed(ctx, sess.SessionID, p.WhatsAppID); err != nil {
		return nil, err
	}
	p.Viewed = true
	return p, nil
}

// ErrStatusReaction explains why reacting to a status is refused.
var ErrStatusReaction = wagate.Errorf(wagate.ENOTSUPPORTED,
	"Reacting to a status is not supported: whatsmeow can only send a status reaction to status@broadcast, "+
		"which would deliver it to every recipient of your own status audience instead of only to the person who posted it.")

// React refuses status reactions; see ErrStatusReaction and
// docs/statuses-media.md. Returns ENOTSUPPORTED.
func (s *Statuses) React(context.Context) error { return ErrStatusReaction }

// SweepExpired deletes the statuses that expired before now.
func (s *Statuses) SweepExpired(ctx context.Context) (int, error) {
	return s.Store.DeleteExpiredStatuses(ctx, s.now().UTC())
}

// checkStatus validates a status and fills in the default look.
func checkStatus(in *StatusInput) error {
	switch in.Type {
	case wagate.TypeText:
		n := utf8.RuneCountInString(in.Text)
		if n == 0 {
			return wagate.Errorf(wagate.EINVALID, "A text status needs text.")
		} else if n > MaxStatusTextRunes {
			return wagate.Errorf(wagate.EINVALID, "text is %d characters long; a text status holds at most %d.", n, MaxStatusTextRunes)
		}
		if in.Media != nil {
			return wagate.Errorf(wagate.EINVALID, "A text status has no file: use type image or video to post one.")
		}
		if in.Style.Font < 0 || in.Style.Font > wagate.MaxStatusFont {
			return wagate.Errorf(wagate.EINVALID, "font must be a number from 0 to %d.", wagate.MaxStatusFont)
		}
		if in.Style.BackgroundARGB == 0 {
			in.Style.BackgroundARGB = DefaultStatusBackground
		}
		if in.Style.TextARGB == 0 {
			in.Style.TextARGB = DefaultStatusText
		}
	case wagate.TypeImage, wagate.TypeVideo:
		if in.Media == nil {
			return wagate.Errorf(wagate.EINVALID, "A status of type %s needs its file: mediaUrl, base64 or mediaId.", in.Type)
		}
		if n := utf8.RuneCountInString(in.Text); n > MaxStatusCaptionRunes {
			return wagate.Errorf(wagate.EINVALID, "caption is %d characters long; the maximum is %d.", n, MaxStatusCaptionRunes)
		}
		in.Style = wagate.StatusStyle{}
	default:
		return wagate.Errorf(wagate.EINVALID, "type must be text, image or video (a status cannot be %q).", in.Type)
	}
	return nil
}

// ownJID is the session's phone JID, or "" before it is paired.
func ownJID(s *wagate.Session) string {
	if s.PhoneNumber == "" {
		return ""
	}
	return s.PhoneNumber + "@" + jid.UserServer
}
