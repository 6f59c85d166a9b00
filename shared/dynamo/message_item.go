package dynamo

import (
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	wagate "github.com/wagate/wagate/shared"
)

// messageItem is a message: pk sessionPK, sk messageSK(WhatsApp id) — the
// key itself makes (session, WhatsApp id) unique. Indexes, each sorted by
// timestamp#id: gsi1 (the session's messages), gsi2 (the chat's), gsi3 (the
// session's of one type), and while the message is unread gsi4 (the chat's
// unread) and gsi5 (every unread message).
type messageItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	GSI1PK string `dynamodbav:"gsi1pk"`
	GSI1SK string `dynamodbav:"gsi1sk"`
	GSI2PK string `dynamodbav:"gsi2pk"`
	GSI2SK string `dynamodbav:"gsi2sk"`
	GSI3PK string `dynamodbav:"gsi3pk"`
	GSI3SK string `dynamodbav:"gsi3sk"`
	GSI4PK string `dynamodbav:"gsi4pk,omitempty"`
	GSI4SK string `dynamodbav:"gsi4sk,omitempty"`
	GSI5PK string `dynamodbav:"gsi5pk,omitempty"`
	GSI5SK string `dynamodbav:"gsi5sk,omitempty"`

	ID         int64        `dynamodbav:"id"`
	SessionID  string       `dynamodbav:"sid"`
	WhatsAppID string       `dynamodbav:"waId"`
	ChatID     string       `dynamodbav:"chat"`
	ChatLID    string       `dynamodbav:"chatLid,omitempty"`
	SenderJID  string       `dynamodbav:"sender,omitempty"`
	SenderLID  string       `dynamodbav:"senderLid,omitempty"`
	SenderName string       `dynamodbav:"senderName,omitempty"`
	FromMe     bool         `dynamodbav:"fm"`
	IsGroup    bool         `dynamodbav:"grp,omitempty"`
	Type       string       `dynamodbav:"ty"`
	Body       string       `dynamodbav:"body,omitempty"`
	Media      *mediaDoc    `dynamodbav:"media,omitempty"`
	Location   *locationDoc `dynamodbav:"location,omitempty"`
	Contacts   []contactDoc `dynamodbav:"contacts,omitempty"`
	Reaction   *reactionDoc `dynamodbav:"reaction,omitempty"`
	QuotedID   string       `dynamodbav:"quoted,omitempty"`
	Edited     bool         `dynamodbav:"edited,omitempty"`
	Revoked    bool         `dynamodbav:"revoked,omitempty"`
	History    bool         `dynamodbav:"history,omitempty"`
	Seen       bool         `dynamodbav:"seen,omitempty"`
	Status     string       `dynamodbav:"ms"`
	Rank       int          `dynamodbav:"rk"`
	Error      string       `dynamodbav:"error,omitempty"`
	Timestamp  string       `dynamodbav:"ts"`
	SentAt     string       `dynamodbav:"sentAt,omitempty"`
	Delivered  string       `dynamodbav:"deliveredAt,omitempty"`
	ReadAt     string       `dynamodbav:"readAt,omitempty"`
	PlayedAt   string       `dynamodbav:"playedAt,omitempty"`
	Idem       string       `dynamodbav:"idem,omitempty"`
	CreatedAt  string       `dynamodbav:"createdAt"`
}

// The structured parts of a message are maps with their own names, so
// renaming a Go field never breaks stored items.

type mediaDoc struct {
	BlobKey   string `dynamodbav:"blobKey,omitempty"`
	SourceURL string `dynamodbav:"sourceUrl,omitempty"`
	Filename  string `dynamodbav:"filename,omitempty"`
	Mimetype  string `dynamodbav:"mimetype,omitempty"`
	Size      int64  `dynamodbav:"size,omitempty"`
	PTT       bool   `dynamodbav:"ptt,omitempty"`
	Width     int    `dynamodbav:"width,omitempty"`
	Height    int    `dynamodbav:"height,omitempty"`
	Seconds   int    `dynamodbav:"seconds,omitempty"`
	Caption   string `dynamodbav:"caption,omitempty"`
}

type locationDoc struct {
	Latitude  float64 `dynamodbav:"lat"`
	Longitude float64 `dynamodbav:"lng"`
	Name      string  `dynamodbav:"name,omitempty"`
	Address   string  `dynamodbav:"address,omitempty"`
	URL       string  `dynamodbav:"url,omitempty"`
}

type contactDoc struct {
	DisplayName string `dynamodbav:"displayName,omitempty"`
	VCard       string `dynamodbav:"vcard,omitempty"`
}

type reactionDoc struct {
	TargetID     string `dynamodbav:"targetId,omitempty"`
	TargetChatID string `dynamodbav:"targetChatId,omitempty"`
	TargetFromMe bool   `dynamodbav:"targetFromMe,omitempty"`
	Text         string `dynamodbav:"text,omitempty"`
}

// isUnread reports whether m counts as unread: inbound, not seen, not from
// history sync.
func isUnread(m *wagate.Message) bool { return !m.FromMe && !m.Seen && !m.History }

// msgSortKey is the index sort key of m: timestamp, then id.
func msgSortKey(m *wagate.Message) string { return timeID(m.Timestamp, m.ID) }

// encodeMessage returns the item of m.
func encodeMessage(m *wagate.Message) (item, error) {
	sk := msgSortKey(m)
	it := messageItem{
		PK: sessionPK(m.SessionID), SK: messageSK(m.WhatsAppID),
		GSI1PK: gkMessages(m.SessionID), GSI1SK: sk,
		GSI2PK: gkChatMessages(m.SessionID, m.ChatID), GSI2SK: sk,
		GSI3PK: gkTypeMessages(m.SessionID, string(m.Type)), GSI3SK: sk,
		ID: m.ID, SessionID: m.SessionID, WhatsAppID: m.WhatsAppID, ChatID: m.ChatID, ChatLID: m.ChatLID,
		SenderJID: m.SenderJID, SenderLID: m.SenderLID, SenderName: m.SenderName, FromMe: m.FromMe, IsGroup: m.IsGroup,
		Type: string(m.Type), Body: m.Body, QuotedID: m.QuotedID,
		Edited: m.Edited, Revoked: m.Revoked, History: m.History, Seen: m.Seen,
		Status: string(m.Status), Rank: m.Status.Rank(), Error: m.Error,
		Timestamp: fmtTime(m.Timestamp), SentAt: fmtTime(m.SentAt), Delivered: fmtTime(m.DeliveredAt),
		ReadAt: fmtTime(m.ReadAt), PlayedAt: fmtTime(m.PlayedAt),
		Idem: m.IdempotencyKey, CreatedAt: fmtTime(m.CreatedAt),
	}
	if isUnread(m) {
		it.GSI4PK, it.GSI4SK = gkChatUnread(m.SessionID, m.ChatID), sk
		it.GSI5PK, it.GSI5SK = gkUnread, sk
	}
	if m.Media != nil {
		d := mediaDoc(*m.Media)
		it.Media = &d
	}
	if m.Location != nil {
		d := locationDoc(*m.Location)
		it.Location = &d
	}
	for _, c := range m.Contacts {
		it.Contacts = append(it.Contacts, contactDoc(c))
	}
	if m.Reaction != nil {
		d := reactionDoc(*m.Reaction)
		it.Reaction = &d
	}
	out, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, fmt.Errorf("encode message %q: %w", m.WhatsAppID, err)
	}
	return out, nil
}

// decodeMessage reads a message item.
func decodeMessage(raw item) (*wagate.Message, error) {
	var it messageItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return nil, fmt.Errorf("decode message: %w", err)
	}
	m := &wagate.Message{
		ID: it.ID, SessionID: it.SessionID, WhatsAppID: it.WhatsAppID, ChatID: it.ChatID, ChatLID: it.ChatLID,
		SenderJID: it.SenderJID, SenderLID: it.SenderLID, SenderName: it.SenderName, FromMe: it.FromMe, IsGroup: it.IsGroup,
		Type: wagate.MessageType(it.Type), Body: it.Body, QuotedID: it.QuotedID,
		Edited: it.Edited, Revoked: it.Revoked, History: it.History, Seen: it.Seen,
		Status: wagate.MessageStatus(it.Status), Error: it.Error, IdempotencyKey: it.Idem,
	}
	if it.Media != nil {
		d := wagate.Media(*it.Media)
		m.Media = &d
	}
	if it.Location != nil {
		d := wagate.Location(*it.Location)
		m.Location = &d
	}
	for _, c := range it.Contacts {
		m.Contacts = append(m.Contacts, wagate.ContactCard(c))
	}
	if it.Reaction != nil {
		d := wagate.Reaction(*it.Reaction)
		m.Reaction = &d
	}
	var errs []error
	for _, f := range []struct {
		src string
		dst *time.Time
	}{{it.Timestamp, &m.Timestamp}, {it.SentAt, &m.SentAt}, {it.Delivered, &m.DeliveredAt},
		{it.ReadAt, &m.ReadAt}, {it.PlayedAt, &m.PlayedAt}, {it.CreatedAt, &m.CreatedAt}} {
		var err error
		*f.dst, err = parseTime(f.src)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("decode message %q: %w", it.WhatsAppID, err)
	}
	return m, nil
}
