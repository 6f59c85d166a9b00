package wagate

import (
	"context"
	"time"
)

// Contact is a WhatsApp user a session knows: from the phone's address book
// (app state sync), from the push names of people who wrote to it, or from a
// live look-up. Groups are not contacts (see Group).
type Contact struct {
	SessionID string
	JID       string // phone JID when known, else the LID JID
	LID       string // LID JID when known
	Phone     string // digits with country code; "" when only the LID is known

	// Address-book part, kept current by the engine's contact store.
	Name         string // full name in the phone's address book
	FirstName    string
	PushName     string // the name the user set (notify)
	BusinessName string // verified business name
	IsWAContact  bool   // known to be on WhatsApp

	// Profile part, filled by live look-ups (UserInfo) and cached.
	About      string
	PictureID  string
	PictureURL string
	Business   *BusinessProfile
	ProfileAt  time.Time // when the profile was last fetched; zero = never (or stale)

	UpdatedAt time.Time
}

// DisplayName is the best name to show: the address-book name, the verified
// business name, the push name, or else the phone number.
func (c *Contact) DisplayName() string {
	for _, s := range []string{c.Name, c.BusinessName, c.PushName, c.Phone} {
		if s != "" {
			return s
		}
	}
	return c.JID
}

// BusinessProfile is the public profile of a WhatsApp Business account.
type BusinessProfile struct {
	Description string
	Email       string
	Address     string
	Website     string
	Categories  []string
	TimeZone    string
}

// ContactProfile is what a live look-up of a user returned.
type ContactProfile struct {
	LID          string
	BusinessName string
	About        string
	PictureID    string
	PictureURL   string
	Business     *BusinessProfile
	FetchedAt    time.Time
}

// ContactFilter selects contacts in ListContacts, ordered by display name.
type ContactFilter struct {
	SessionID string
	Search    string // "" = all; else a case-insensitive part of a name or of the number
	Offset    int
	Limit     int
}

// ContactStats are counts of a session's contacts. Groups is filled by the
// service from the group store: groups are not contacts.
type ContactStats struct {
	Total           int
	Users           int
	Groups          int
	WAContacts      int
	WithNames       int // with an address-book name
	WithProfilePics int
}

// ContactStore keeps the contacts of sessions.
type ContactStore interface {
	// UpsertContacts creates or updates contacts from the engine's contact
	// store: LID, Phone, Name, FirstName, PushName, BusinessName and
	// IsWAContact replace the stored values (Phone defaults to the number
	// of a phone JID); the profile part is kept. A
	// contact given with a phone JID and a LID absorbs a stored contact that
	// was known by that LID only. Returns EINVALID for a contact without JID.
	UpsertContacts(ctx context.Context, sessionID string, cs []*Contact) error

	// SetContactProfile records a live look-up of jid, creating the contact
	// (IsWAContact) if the session did not know it.
	SetContactProfile(ctx context.Context, sessionID, jid string, p ContactProfile) error

	// SetContactPicture records that jid's picture changed (pictureID "" =
	// removed): the URL is cleared and the profile marked stale. Unknown
	// contacts are ignored.
	SetContactPicture(ctx context.Context, sessionID, jid, pictureID string) error

	// FindContact returns the contact whose JID, LID or phone number is key.
	// Returns ENOTFOUND.
	FindContact(ctx context.Context, sessionID, key string) (*Contact, error)

	// ListContacts returns a page of contacts by display name and the total
	// that match (bounded count).
	ListContacts(ctx context.Context, f ContactFilter) ([]*Contact, int, error)

	// ContactStats counts a session's contacts (Groups is left 0).
	ContactStats(ctx context.Context, sessionID string) (*ContactStats, error)

	// DeleteSessionContacts removes every contact of a session.
	DeleteSessionContacts(ctx context.Context, sessionID string) error
}
