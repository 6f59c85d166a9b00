package wagate

import "context"

// EngineDirectory is implemented by engine clients that know contacts and
// can look users up (both engines do). The connector type-asserts a client
// to it; a client without it answers directory commands with ENOTSUPPORTED.
type EngineDirectory interface {
	// Contacts returns the contacts the client's own store knows (address
	// book, push names, business names), without network I/O.
	Contacts(ctx context.Context) ([]Contact, error)

	// IsOnWhatsApp asks WhatsApp which of phones (digits with country code)
	// have an account. Returns ENOTCONNECTED when not live.
	IsOnWhatsApp(ctx context.Context, phones []string) ([]PhoneCheck, error)

	// UserInfo asks WhatsApp for a user's profile: about text, picture,
	// verified name and business profile. jid is a phone or LID JID.
	// Returns ENOTFOUND when there is no such WhatsApp user, ENOTCONNECTED
	// when not live.
	UserInfo(ctx context.Context, jid string) (*UserInfo, error)
}

// PhoneCheck is whether one phone number is on WhatsApp.
type PhoneCheck struct {
	Phone        string // as asked
	JID          string // canonical JID when it exists
	Exists       bool
	BusinessName string // verified business name, if any
}

// UserInfo is a user's live profile.
type UserInfo struct {
	JID          string
	LID          string
	About        string
	PictureID    string
	PictureURL   string // "" when not set or hidden from us
	BusinessName string // verified business name
	Business     *BusinessProfile
	Devices      int
}

// Profile returns the part of info a contact caches.
func (u *UserInfo) Profile() ContactProfile {
	return ContactProfile{
		LID: u.LID, BusinessName: u.BusinessName, About: u.About,
		PictureID: u.PictureID, PictureURL: u.PictureURL, Business: u.Business,
	}
}

// ContactsEvent: contacts changed in the engine's store (address-book sync,
// a new push name or business name). Contacts are whole address-book
// records; All asks the connector to re-read every contact (Contacts) after
// a bulk change that carried no per-contact events.
type ContactsEvent struct {
	Contacts []Contact
	All      bool
}

// ContactPictureEvent: a user's profile picture changed (PictureID) or was
// removed (PictureID "").
type ContactPictureEvent struct {
	JID       string
	PictureID string
}

func (ContactsEvent) engineEvent()       {}
func (ContactPictureEvent) engineEvent() {}
