package httpapi

import (
	"strings"

	wagate "github.com/wagate/wagate/shared"
)

// messageDTO is a message in every REST answer: the seed's fields and the
// client-compat ones (content beside body, from/to, hasMedia/has_attachment).
type messageDTO struct {
	ID                int64          `json:"id"`
	WhatsAppMessageID string         `json:"whatsappMessageId"`
	MessageID         string         `json:"messageId"`
	ChatID            string         `json:"chatId"`
	ChatLID           string         `json:"chatLid,omitempty"`
	FromMe            bool           `json:"fromMe"`
	From              string         `json:"from"`
	FromLID           string         `json:"fromLid,omitempty"`
	To                string         `json:"to"`
	SenderName        string         `json:"senderName,omitempty"`
	IsGroup           bool           `json:"isGroup"`
	Body              string         `json:"body"`
	Content           string         `json:"content"`
	Type              string         `json:"type"`
	Status            string         `json:"status"`
	Error             string         `json:"error,omitempty"`
	Timestamp         string         `json:"timestamp"`
	HasMedia          bool           `json:"hasMedia"`
	HasAttachment     bool           `json:"has_attachment"`
	MediaURL          *string        `json:"mediaUrl"`
	Media             *mediaDTO      `json:"media,omitempty"`
	Location          *locationDTO   `json:"location,omitempty"`
	Contacts          []contactDTO   `json:"contacts,omitempty"`
	Reaction          *reactionDTO   `json:"reaction,omitempty"`
	QuotedMessageID   string         `json:"quotedMessageId,omitempty"`
	HasReactions      bool           `json:"hasReactions"`
	Edited            bool           `json:"edited"`
	Revoked           bool           `json:"revoked"`
	Read              bool           `json:"read"`
	StatusTimes       *statusTimeDTO `json:"statusTimes,omitempty"`
}

type mediaDTO struct {
	Filename string `json:"filename"`
	Mimetype string `json:"mimetype"`
	Size     int64  `json:"size"`
	PTT      bool   `json:"ptt,omitempty"`
}

type locationDTO struct {
	DegreesLatitude  float64 `json:"degreesLatitude"`
	DegreesLongitude float64 `json:"degreesLongitude"`
	Name             string  `json:"name,omitempty"`
	Address          string  `json:"address,omitempty"`
}

type contactDTO struct {
	DisplayName string `json:"displayName"`
	VCard       string `json:"vcard"`
}

type reactionDTO struct {
	TargetID     string `json:"targetId"`
	TargetChatID string `json:"targetChatId,omitempty"`
	TargetFromMe bool   `json:"targetFromMe"`
	Text         string `json:"text"`
}

type statusTimeDTO struct {
	SentAt      *string `json:"sentAt"`
	DeliveredAt *string `json:"deliveredAt"`
	ReadAt      *string `json:"readAt"`
	PlayedAt    *string `json:"playedAt"`
}

// messageOf renders m; ownJID is the session's own JID ("" when unknown),
// used for from/to.
func messageOf(m *wagate.Message, ownJID string) messageDTO {
	d := messageDTO{
		ID: m.ID, WhatsAppMessageID: m.WhatsAppID, MessageID: m.WhatsAppID, ChatID: m.ChatID, ChatLID: m.ChatLID,
		FromMe: m.FromMe, FromLID: m.SenderLID, SenderName: m.SenderName, IsGroup: m.IsGroup,
		Body: m.Body, Content: m.Body, Type: string(m.Type), Status: string(m.Status), Error: m.Error,
		Timestamp: isoTime(m.Timestamp), QuotedMessageID: m.QuotedID, Edited: m.Edited, Revoked: m.Revoked,
		Read: m.Seen,
	}
	if m.FromMe {
		d.From, d.To = ownJID, m.ChatID
		d.StatusTimes = &statusTimeDTO{SentAt: isoOrNil(m.SentAt), DeliveredAt: isoOrNil(m.DeliveredAt), ReadAt: isoOrNil(m.ReadAt), PlayedAt: isoOrNil(m.PlayedAt)}
	} else {
		d.From, d.To = m.SenderJID, ownJID
	}
	if m.Media != nil {
		d.HasMedia, d.HasAttachment = true, true
		d.Media = &mediaDTO{Filename: m.Media.Filename, Mimetype: m.Media.Mimetype, Size: m.Media.Size, PTT: m.Media.PTT}
		if m.Media.BlobKey != "" {
			u := "/api/messages/" + m.SessionID + "/" + m.WhatsAppID + "/media"
			d.MediaURL = &u
		}
	}
	if l := m.Location; l != nil {
		d.Location = &locationDTO{DegreesLatitude: l.Latitude, DegreesLongitude: l.Longitude, Name: l.Name, Address: l.Address}
	}
	for _, c := range m.Contacts {
		d.Contacts = append(d.Contacts, contactDTO{DisplayName: c.DisplayName, VCard: c.VCard})
	}
	if r := m.Reaction; r != nil {
		d.Reaction = &reactionDTO{TargetID: r.TargetID, TargetChatID: r.TargetChatID, TargetFromMe: r.TargetFromMe, Text: r.Text}
	}
	return d
}

// ownJIDOf is the session's phone JID, or "" before it is paired.
func ownJIDOf(s *wagate.Session) string {
	if s.PhoneNumber == "" {
		return ""
	}
	return s.PhoneNumber + "@s.whatsapp.net"
}

type chatDTO struct {
	ChatID        string          `json:"chatId"`
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	IsGroup       bool            `json:"isGroup"`
	UnreadCount   int             `json:"unreadCount"`
	TotalMessages int             `json:"totalMessages"`
	Archived      bool            `json:"archived"`
	Pinned        bool            `json:"pinned"`
	IsMuted       bool            `json:"isMuted"`
	LastMessage   *lastMessageDTO `json:"lastMessage"`
}

// lastMessageDTO carries its timestamp in unix seconds, as the CRM reads it.
type lastMessageDTO struct {
	WhatsAppMessageID string `json:"whatsappMessageId"`
	Content           string `json:"content"`
	Body              string `json:"body"`
	Type              string `json:"type"`
	Timestamp         int64  `json:"timestamp"`
	FromMe            bool   `json:"fromMe"`
}

func chatOf(c *wagate.Chat) chatDTO {
	d := chatDTO{ChatID: c.ChatID, ID: c.ChatID, Name: c.Name, IsGroup: c.IsGroup, UnreadCount: c.UnreadCount,
		TotalMessages: c.TotalMessages, Archived: c.Archived, Pinned: c.Pinned, IsMuted: c.Muted}
	if d.Name == "" {
		d.Name = phoneOf(c.ChatID)
	}
	if m := c.LastMessage; m != nil {
		d.LastMessage = &lastMessageDTO{WhatsAppMessageID: m.WhatsAppID, Content: m.Body, Body: m.Body, Type: string(m.Type), Timestamp: m.Timestamp.Unix(), FromMe: m.FromMe}
	}
	return d
}

// phoneOf is the user part of a JID ("346…@s.whatsapp.net" → "346…").
func phoneOf(j string) string {
	user, _, _ := strings.Cut(j, "@")
	return user
}

type statsDTO struct {
	Total    int            `json:"total"`
	Sent     int            `json:"sent"`
	Received int            `json:"received"`
	ByType   map[string]int `json:"byType"`
	ByStatus map[string]int `json:"byStatus"`
	ByDay    []dayCountDTO  `json:"byDay"`
}

type dayCountDTO struct {
	Date  string `json:"date"`
	Count int    `json:"count"`
}
