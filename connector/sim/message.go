package sim

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Sending and receipts. The network remembers what each session sent and
// which read receipts it sent in a ledger shared by all clients, bounded to
// Options.LedgerSize entries of each kind: once full, the oldest entry is
// forgotten (a Receipt for a forgotten id is ENOTFOUND and re-sending it is
// a new message), so a long benchmark does not grow without limit.

// SentMessage is a message as its recipient got it: one per WhatsApp id,
// however many times the id was sent.
type SentMessage struct {
	WhatsAppID string
	ChatID     string
	Type       wagate.MessageType
	Body       string
	QuotedID   string
	Location   *wagate.Location
	Contacts   []wagate.ContactCard
	Filename   string // media: as the sender named it
	Mimetype   string
	MediaSize  int64 // media: bytes received (0 without media)
	PTT        bool
	Timestamp  time.Time           // the server timestamp Send returned
	Style      *wagate.StatusStyle // a status posted with PostStatus (nil otherwise)
}

// ReadRecord is one batch of read receipts a session sent (MarkRead).
type ReadRecord struct {
	ChatID    string
	SenderJID string // the author in groups, "" otherwise
	IDs       []string
	At        time.Time
}

// sentKey names a sent message in the ledger.
type sentKey struct{ sessionID, whatsAppID string }

// sentRecord is a ledger entry: the message and how often its id was sent.
type sentRecord struct {
	key   sentKey
	msg   SentMessage
	count int
}

// readEntry is a ReadRecord with its session.
type readEntry struct {
	sessionID string
	rec       ReadRecord
}

// ledger is what the network remembers about messages. Its mutex may be
// taken while a Client.mu is held, never the other way round.
type ledger struct {
	mu    sync.Mutex
	limit int
	sent  map[sentKey]*sentRecord
	order []*sentRecord // oldest first
	reads []readEntry   // oldest first
}

func (l *ledger) init(limit int) {
	l.limit = limit
	l.sent = make(map[sentKey]*sentRecord)
}

// recordSend adds msg sent by sessionID, or counts a repeated id. It
// returns the server timestamp of the first send and whether msg is new.
func (l *ledger) recordSend(sessionID string, msg SentMessage) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := sentKey{sessionID, msg.WhatsAppID}
	if r := l.sent[key]; r != nil {
		r.count++
		return r.msg.Timestamp, false
	}
	r := &sentRecord{key: key, msg: msg, count: 1}
	l.sent[key] = r
	l.order = append(l.order, r)
	if len(l.order) > l.limit {
		delete(l.sent, l.order[0].key)
		l.order[0] = nil
		l.order = l.order[1:]
	}
	return msg.Timestamp, true
}

// recordRead adds a batch of read receipts sent by sessionID.
func (l *ledger) recordRead(sessionID string, rec ReadRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads = append(l.reads, readEntry{sessionID, rec})
	if len(l.reads) > l.limit {
		l.reads[0] = readEntry{}
		l.reads = l.reads[1:]
	}
}

// chatOf returns the chat of a message sessionID sent, if remembered.
func (l *ledger) chatOf(sessionID, whatsAppID string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.sent[sentKey{sessionID, whatsAppID}]
	if r == nil {
		return "", false
	}
	return r.msg.ChatID, true
}

// Send sends m to m.ChatID and returns the server timestamp (whole seconds,
// UTC, like WhatsApp's) after Options.SendDelay. The recipient gets each
// WhatsApp id once: sending an id again is accepted and returns the first
// send's timestamp. With Options.AutoDeliver a delivered receipt follows
// each new message. Returns EINVALID when m has no WhatsApp id or chat, or
// is a media type without media bytes; ENOTCONNECTED when the client is not
// live (before or after the delay).
func (c *Client) Send(ctx context.Context, m *wagate.Message, media []byte) (time.Time, error) {
	if m != nil && m.ChatID == statusBroadcast {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "Statuses are posted with PostStatus, not sent.")
	}
	return c.send(ctx, m, media, nil)
}

// send records m (with the look of a text status when style is set).
func (c *Client) send(ctx context.Context, m *wagate.Message, media []byte, style *wagate.StatusStyle) (time.Time, error) {
	if m == nil || m.WhatsAppID == "" || m.ChatID == "" {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "A message needs a WhatsApp id and a chat.")
	}
	if m.Type.HasMedia() && len(media) == 0 {
		return time.Time{}, wagate.Errorf(wagate.EINVALID, "A %s message needs its media bytes.", m.Type)
	}
	if !c.IsLive() {
		return time.Time{}, c.notConnected()
	}
	if d := c.net.opts.SendDelay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return time.Time{}, fmt.Errorf("sim: send message %q of session %q: %w", m.WhatsAppID, c.sessionID, ctx.Err())
		case <-t.C:
		}
	}
	msg := sentMessage(m, media)
	msg.Style = style

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateConnected {
		return time.Time{}, c.notConnected()
	}
	if err := c.net.journal.submitted(ctx, c.sessionID, msg.WhatsAppID); err != nil {
		return time.Time{}, err
	}
	at, isNew := c.net.ledger.recordSend(c.sessionID, msg)
	if d := c.net.opts.AutoDeliver; isNew && d > 0 {
		n, sessionID := c.net, c.sessionID
		time.AfterFunc(d, func() { n.autoDeliver(sessionID, msg.ChatID, msg.WhatsAppID) })
	}
	return at, nil
}

// sentMessage is the recipient's copy of m, taken now.
func sentMessage(m *wagate.Message, media []byte) SentMessage {
	s := SentMessage{
		WhatsAppID: m.WhatsAppID,
		ChatID:     m.ChatID,
		Type:       m.Type,
		Body:       m.Body,
		QuotedID:   m.QuotedID,
		Contacts:   slices.Clone(m.Contacts),
		MediaSize:  int64(len(media)),
		Timestamp:  time.Now().UTC().Truncate(time.Second),
	}
	if m.Location != nil {
		loc := *m.Location
		s.Location = &loc
	}
	if m.Media != nil {
		s.Filename, s.Mimetype, s.PTT = m.Media.Filename, m.Media.Mimetype, m.Media.PTT
	}
	return s
}

// autoDeliver reports a sent message delivered, if the session's client
// is live; a client that is not misses the receipt.
func (n *Network) autoDeliver(sessionID, chatID, whatsAppID string) {
	c, err := n.client(sessionID)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == stateConnected {
		c.emit(receipt(chatID, whatsAppID, wagate.StatusDelivered))
	}
}

// MarkRead records read receipts for ids of chatID (senderJID: the author
// in groups). Returns EINVALID without a chat or ids, ENOTCONNECTED when
// the client is not live.
func (c *Client) MarkRead(ctx context.Context, chatID, senderJID string, ids []string, at time.Time) error {
	if chatID == "" || len(ids) == 0 {
		return wagate.Errorf(wagate.EINVALID, "Read receipts need a chat and message ids.")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateConnected {
		return c.notConnected()
	}
	c.net.ledger.recordRead(c.sessionID, ReadRecord{ChatID: chatID, SenderJID: senderJID, IDs: slices.Clone(ids), At: at})
	return nil
}

// notConnected is the error of a client that is not live.
func (c *Client) notConnected() error {
	return wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not connected.", c.sessionID)
}

// Receipt acts as the recipient's phone: the message whatsAppID that the
// session sent was delivered, read or played. The session's client gets
// ReceiptEvent{ChatID, SenderJID (the chat, in 1:1 chats), IDs: [id],
// Status, At: now}. Returns EINVALID for another status, ENOTFOUND if the
// session did not send that id (or the ledger forgot it) or is not
// hosted, ENOTCONNECTED if its client is not live.
func (n *Network) Receipt(ctx context.Context, sessionID, whatsAppID string, status wagate.MessageStatus) error {
	switch status {
	case wagate.StatusDelivered, wagate.StatusRead, wagate.StatusPlayed:
	default:
		return wagate.Errorf(wagate.EINVALID, "status must be delivered, read or played.")
	}
	chatID, ok := n.ledger.chatOf(sessionID, whatsAppID)
	if !ok {
		return wagate.Errorf(wagate.ENOTFOUND, "Session %s sent no message %q.", sessionID, whatsAppID)
	}
	c, err := n.client(sessionID)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != stateConnected {
		return c.notConnected()
	}
	c.emit(receipt(chatID, whatsAppID, status))
	return nil
}

// receipt is the event of one message's receipt, now.
func receipt(chatID, whatsAppID string, status wagate.MessageStatus) wagate.ReceiptEvent {
	ev := wagate.ReceiptEvent{ChatID: chatID, IDs: []string{whatsAppID}, Status: status, At: now()}
	if !isGroupJID(chatID) {
		ev.SenderJID = chatID
	}
	return ev
}

// now is the time of an event: UTC, millisecond precision.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// Sent returns the messages the session sent that the ledger remembers,
// once per WhatsApp id, in the order they were first sent.
func (n *Network) Sent(sessionID string) []SentMessage {
	l := &n.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []SentMessage
	for _, r := range l.order {
		if r.key.sessionID == sessionID {
			m := r.msg
			m.Contacts = slices.Clone(m.Contacts)
			if m.Location != nil {
				loc := *m.Location
				m.Location = &loc
			}
			if m.Style != nil {
				style := *m.Style
				m.Style = &style
			}
			out = append(out, m)
		}
	}
	return out
}

// SendCount returns how many times the session submitted whatsAppID (0 if
// never, or forgotten).
func (n *Network) SendCount(sessionID, whatsAppID string) int {
	l := &n.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	if r := l.sent[sentKey{sessionID, whatsAppID}]; r != nil {
		return r.count
	}
	return 0
}

// ReadReceipts returns the read receipts the session sent that the ledger
// remembers, oldest first.
func (n *Network) ReadReceipts(sessionID string) []ReadRecord {
	l := &n.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []ReadRecord
	for _, e := range l.reads {
		if e.sessionID == sessionID {
			r := e.rec
			r.IDs = slices.Clone(r.IDs)
			out = append(out, r)
		}
	}
	return out
}
