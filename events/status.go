package events

// CmdStatusPost asks the connector to post a stored pending message of chat
// status@broadcast as a status (story).
const CmdStatusPost = "status.post"

// StatusPostPayload is the payload of status.post: a reference to the stored
// message (never media bytes) and the look of a text status, which the
// message record does not keep.
type StatusPostPayload struct {
	MessageID         int64  `json:"messageId"`
	WhatsAppMessageID string `json:"whatsappMessageId"`
	// BackgroundARGB and TextARGB are 0xAARRGGBB colours.
	BackgroundARGB uint32 `json:"backgroundArgb,omitempty"`
	TextARGB       uint32 `json:"textArgb,omitempty"`
	// Font is the font index 0-5 (see wagate.StatusStyle).
	Font int `json:"font,omitempty"`
}
