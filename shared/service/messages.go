package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
)

// Messages implements sending and reading messages.
type Messages struct {
	Sessions wagate.SessionStore
	Store    wagate.MessageStore
	Media    wagate.MediaStore
	Blobs    wagate.BlobStore
	Queue    wagate.CommandQueue
	Sources  MediaSources
	Now      func() time.Time

	// SendWait is how long a send waits for the connector's result before
	// answering with the message still pending (zero: SendWaitDefault;
	// negative: answer at once).
	SendWait time.Duration
}

// SendWaitDefault bounds how long a send request waits to report "sent".
const SendWaitDefault = 2 * time.Second

func (s *Messages) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Send validates in, stores the message as pending, queues it for the
// connector and waits (bounded) for it to leave. A repeated request with the
// same idempotency key returns the first message and never sends twice.
// Once the command is queued no error is returned: the message is reported
// as it is (pending if the wait ran out).
// Returns EINVALID, ENOSESSION, ENOTCONNECTED, ENOTFOUND (media id).
func (s *Messages) Send(ctx context.Context, sessionKey string, in SendInput) (*wagate.Message, error) {
	sess, err := s.Sessions.FindSession(ctx, sessionKey)
	if err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" {
		prev, err := s.Store.FindByIdempotencyKey(ctx, sess.SessionID, in.IdempotencyKey)
		if err == nil {
			return s.resume(ctx, prev), nil
		} else if wagate.ErrorCode(err) != wagate.ENOTFOUND {
			return nil, err
		}
	}
	if sess.Status != wagate.StatusConnected {
		return nil, wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is %s: connect it (POST /api/sessions/%s/connect) before sending.", sess.SessionID, sess.Status, sess.SessionID)
	}
	to, err := jid.Normalize(in.To)
	if err != nil {
		return nil, err
	}
	m := &wagate.Message{
		SessionID: sess.SessionID, WhatsAppID: NewWhatsAppID(), ChatID: to, FromMe: true,
		IsGroup: jid.IsGroup(to), Type: in.Type, Body: in.Text, Location: in.Location,
		Contacts: in.Contacts, QuotedID: in.QuotedID, Status: wagate.StatusPending,
		Timestamp: s.now().UTC(), IdempotencyKey: in.IdempotencyKey,
	}
	if jid.IsLID(to) {
		m.ChatLID = to
	}
	if in.Type == wagate.TypeContact && m.Body == "" {
		m.Body = contactsBody(in)
	}
	if in.Type.HasMedia() {
		if m.Media, err = s.Sources.resolve(ctx, s, sess.SessionID, m.WhatsAppID, in); err != nil {
			return nil, err
		}
	}
	// From here on the client giving up must not leave a stored message
	// without its queued send: the writes ignore the request's cancellation.
	wctx := context.WithoutCancel(ctx)
	stored, created, err := s.Store.InsertMessage(wctx, m)
	if err != nil {
		return nil, err
	}
	if !created { // a concurrent twin with the same key won the insert
		return s.resume(ctx, stored), nil
	}
	if err := s.enqueueSend(wctx, stored); err != nil {
		return nil, err
	}
	return s.waitSent(ctx, stored), nil
}

// resume answers a repeated request: the stored message, and if it is still
// pending its command is queued again (deduplicated by command id, and the
// connector never sends a message that already left).
func (s *Messages) resume(ctx context.Context, m *wagate.Message) *wagate.Message {
	if m.Status != wagate.StatusPending {
		return m
	}
	if err := s.enqueueSend(context.WithoutCancel(ctx), m); err != nil {
		return m
	}
	return s.waitSent(ctx, m)
}

// SendCommandID is the command id of a message's send: one per message, so
// queueing it again is deduplicated.
func SendCommandID(m *wagate.Message) string {
	return "send-" + m.SessionID + "-" + m.WhatsAppID
}

func (s *Messages) enqueueSend(ctx context.Context, m *wagate.Message) error {
	cmd, err := events.NewCommand(SendCommandID(m), events.CmdMessageSend, m.SessionID, s.now(),
		events.MessageSendPayload{MessageID: m.ID, WhatsAppMessageID: m.WhatsAppID})
	if err != nil {
		return err
	}
	if err := s.Queue.Enqueue(ctx, cmd); err != nil {
		return fmt.Errorf("enqueue send of %s: %w", m.WhatsAppID, err)
	}
	return nil
}

// waitSent waits until the message left (or failed) or the wait ends, and
// returns it as it is then. It never fails: the command is queued. Stores
// that signal changes in-process are waited on; others are polled.
func (s *Messages) waitSent(ctx context.Context, m *wagate.Message) *wagate.Message {
	wait := s.SendWait
	if wait == 0 {
		wait = SendWaitDefault
	}
	deadline := time.Now().Add(wait)
	watcher, watched := s.Store.(wagate.MessageWatcher)
	poll := time.Millisecond
	for {
		changed, stop := (<-chan struct{})(nil), func() {}
		if watched {
			changed, stop = watcher.WatchMessage(m.SessionID, m.WhatsAppID) // before the read: no change is missed
		}
		if cur, err := s.Store.FindMessage(ctx, m.SessionID, m.WhatsAppID); err == nil {
			m = cur
		}
		left := time.Until(deadline)
		if m.Status != wagate.StatusPending || left <= 0 {
			stop()
			return m
		}
		if !watched {
			left = min(left, poll)
			poll = min(poll*2, 25*time.Millisecond)
		}
		timer := time.NewTimer(left)
		select {
		case <-ctx.Done():
		case <-changed:
		case <-timer.C:
		}
		timer.Stop()
		stop()
		if ctx.Err() != nil {
			return m
		}
	}
}

// NewWhatsAppID mints a message id in WhatsApp Web's form: "3EB0" and 18
// upper-case hex digits.
func NewWhatsAppID() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return "3EB0" + strings.ToUpper(hex.EncodeToString(b))
}

func contactsBody(in SendInput) string {
	if in.ContactsName != "" {
		return in.ContactsName
	}
	names := make([]string, 0, len(in.Contacts))
	for _, c := range in.Contacts {
		if c.DisplayName != "" {
			names = append(names, c.DisplayName)
		}
	}
	return strings.Join(names, ", ")
}
