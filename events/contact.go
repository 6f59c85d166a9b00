package events

import "time"

// Contact commands use request/reply: the connector writes a command result
// (keyed by command id) whose result is the type's *Result below.
const (
	// CmdContactCheck asks WhatsApp which phone numbers have an account.
	CmdContactCheck = "contact.check"
	// CmdContactInfo asks WhatsApp for a user's live profile.
	CmdContactInfo = "contact.info"
)

// ContactCheckPayload is the payload of contact.check.
type ContactCheckPayload struct {
	Phones []string `json:"phones"` // digits with country code
}

// ContactCheckResult is the result of contact.check.
type ContactCheckResult struct {
	Results []PhoneCheckResult `json:"results"`
}

// PhoneCheckResult says whether one number is on WhatsApp.
type PhoneCheckResult struct {
	Phone        string `json:"phone"`
	JID          string `json:"jid,omitempty"`
	Exists       bool   `json:"exists"`
	VerifiedName string `json:"verifiedName,omitempty"`
}

// ContactInfoPayload is the payload of contact.info.
type ContactInfoPayload struct {
	JID string `json:"jid"` // phone or LID JID
}

// ContactInfoResult is the result of contact.info: the user's profile as
// WhatsApp returned it (and as the connector cached it).
type ContactInfoResult struct {
	JID          string                  `json:"jid"`
	LID          string                  `json:"lid,omitempty"`
	About        string                  `json:"about,omitempty"`
	PictureID    string                  `json:"pictureId,omitempty"`
	PictureURL   string                  `json:"pictureUrl,omitempty"`
	VerifiedName string                  `json:"verifiedName,omitempty"`
	Business     *BusinessProfilePayload `json:"businessProfile,omitempty"`
	Devices      int                     `json:"devices,omitempty"`
	FetchedAt    time.Time               `json:"fetchedAt"`
}

// BusinessProfilePayload is a WhatsApp Business account's public profile.
type BusinessProfilePayload struct {
	Description string   `json:"description,omitempty"`
	Email       string   `json:"email,omitempty"`
	Address     string   `json:"address,omitempty"`
	Website     string   `json:"website,omitempty"`
	Categories  []string `json:"categories,omitempty"`
	TimeZone    string   `json:"timeZone,omitempty"`
}
