package events

// Message event types (bus and webhook "event").
const (
	EvMessageReceived  = "message.received"
	EvMessageSent      = "message.sent"
	EvMessageDelivered = "message.delivered"
	EvMessageRead      = "message.read"
	EvMessagePlayed    = "message.played"
	EvMessageFailed    = "message.failed"
)

// CmdMessageSend asks the connector to send a stored pending message.
const CmdMessageSend = "message.send"

// CmdChatRead asks the connector to send read receipts.
const CmdChatRead = "chat.read"

// MessageSendPayload is the payload of message.send: a reference to the
// stored message (commands never carry media bytes).
type MessageSendPayload struct {
	MessageID         int64  `json:"messageId"`
	WhatsAppMessageID string `json:"whatsappMessageId"`
}

// ChatReadPayload is the payload of chat.read.
type ChatReadPayload struct {
	ChatID   string        `json:"chatId"`
	Receipts []ReadReceipt `json:"receipts"`
}

// ReadReceipt names inbound messages of one author to mark read.
type ReadReceipt struct {
	SenderJID string   `json:"senderJid,omitempty"`
	IDs       []string `json:"ids"`
}

// MessageData is the data of message.received: the seed's webhook shape
// (data.sessionId, data.session_db_id, data.message{…}).
type MessageData struct {
	SessionID   string         `json:"sessionId"`
	SessionDBID int64          `json:"session_db_id"`
	Message     MessagePayload `json:"message"`
}

// MessagePayload is data.message of message.received. The seed's fields
// come first; the rest are additions (ids, LIDs, structured content).
type MessagePayload struct {
	WhatsAppMessageID string        `json:"whatsappMessageId"`
	Content           string        `json:"content"`
	ChatID            string        `json:"chatId"`
	From              string        `json:"from"`
	To                string        `json:"to"`
	Timestamp         int64         `json:"timestamp"`
	Type              string        `json:"type"`
	HasAttachment     bool          `json:"has_attachment"`
	Media             *MediaPayload `json:"media"`

	ID              int64            `json:"id"`
	MessageID       string           `json:"messageId"`
	FromMe          bool             `json:"fromMe"`
	IsGroup         bool             `json:"isGroup"`
	ChatLID         string           `json:"chatLid,omitempty"`
	FromLID         string           `json:"fromLid,omitempty"`
	PushName        string           `json:"pushName,omitempty"`
	QuotedMessageID string           `json:"quotedMessageId,omitempty"`
	Location        *LocationPayload `json:"location,omitempty"`
	Contacts        []ContactPayload `json:"contacts,omitempty"`
	ReactionMessage *ReactionPayload `json:"reactionMessage,omitempty"`
}

// MediaPayload describes an attachment. URL is filled in at delivery time
// (an expiring link of ours that needs no API key); MediaID names the file
// for the media routes.
type MediaPayload struct {
	Filename string `json:"filename"`
	Filesize int64  `json:"filesize"`
	Mimetype string `json:"mimetype"`
	URL      string `json:"url"`
	MediaID  string `json:"mediaId,omitempty"`
}

// LocationPayload is a shared place.
type LocationPayload struct {
	DegreesLatitude  float64 `json:"degreesLatitude"`
	DegreesLongitude float64 `json:"degreesLongitude"`
	Name             string  `json:"name,omitempty"`
	Address          string  `json:"address,omitempty"`
}

// ContactPayload is a shared contact card.
type ContactPayload struct {
	DisplayName string `json:"displayName"`
	VCard       string `json:"vcard"`
}

// ReactionPayload is the reaction form the CRM recognises: the reacted
// message's key and the emoji ("" removes the reaction).
type ReactionPayload struct {
	Key  ReactionKey `json:"key"`
	Text string      `json:"text"`
}

// ReactionKey identifies the reacted message.
type ReactionKey struct {
	ID        string `json:"id"`
	RemoteJID string `json:"remoteJid"`
	FromMe    bool   `json:"fromMe"`
}

// MessageStatusData is the data of message.sent|delivered|read|played|failed.
type MessageStatusData struct {
	SessionID         string `json:"sessionId"`
	SessionDBID       int64  `json:"session_db_id"`
	ID                int64  `json:"id"`
	MessageID         string `json:"messageId"`
	WhatsAppMessageID string `json:"whatsappMessageId"`
	ChatID            string `json:"chatId"`
	ChatLID           string `json:"chatLid,omitempty"`
	Status            string `json:"status"`
	Timestamp         int64  `json:"timestamp"`
	Error             string `json:"error,omitempty"`
}
