package httpapi

import (
	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/jid"
	"github.com/wagate/wagate/shared/service"
	"github.com/wagate/wagate/shared/wire"
)

// contactItem is a contact in lists and searches: the seed's fields (id,
// name, notify, verifiedName, imgUrl, isUser, isGroup, isWAContact) plus
// phone and lid. name falls back to the business name, the push name and
// the number, so it is never empty.
type contactItem struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Notify       *string `json:"notify"`
	VerifiedName *string `json:"verifiedName"`
	ImgURL       *string `json:"imgUrl"`
	IsUser       bool    `json:"isUser"`
	IsGroup      bool    `json:"isGroup"`
	IsWAContact  bool    `json:"isWAContact"`
	Phone        *string `json:"phone"`
	LID          *string `json:"lid"`
}

func contactOf(c *wagate.Contact) contactItem {
	return contactItem{
		ID: c.JID, Name: c.DisplayName(), Notify: strOrNil(c.PushName), VerifiedName: strOrNil(c.BusinessName),
		ImgURL: strOrNil(c.PictureURL), IsUser: jid.IsUser(c.JID) || jid.IsLID(c.JID), IsGroup: jid.IsGroup(c.JID),
		IsWAContact: c.IsWAContact, Phone: strOrNil(c.Phone), LID: strOrNil(c.LID),
	}
}

func contactsOf(cs []*wagate.Contact) []contactItem {
	out := make([]contactItem, 0, len(cs))
	for _, c := range cs {
		out = append(out, contactOf(c))
	}
	return out
}

// contactPage is GET /api/contacts/{sessionId}.
type contactPage struct {
	Contacts   []contactItem `json:"contacts"`
	Total      int           `json:"total"`
	Pagination pagination    `json:"pagination"`
	Search     *string       `json:"search"`
}

// searchData is GET /api/contacts/{sessionId}/search/{phoneNumber}.
type searchData struct {
	PhoneNumber string       `json:"phoneNumber"`
	Exists      bool         `json:"exists"`
	Contact     *contactItem `json:"contact"`
}

func searchOf(r *service.ContactSearch) searchData {
	d := searchData{PhoneNumber: r.Phone, Exists: r.Exists}
	if r.Contact != nil {
		c := contactOf(r.Contact)
		d.Contact = &c
	}
	return d
}

// searchOfChecks renders a contact.check result read back by command id.
func searchOfChecks(sessionID string, checks []wagate.PhoneCheck) searchData {
	out := &service.ContactSearch{}
	for _, c := range checks {
		out.Phone = c.Phone
		if c.Exists {
			out.Exists = true
			out.Contact = &wagate.Contact{SessionID: sessionID, JID: c.JID, Phone: jid.Phone(c.JID), BusinessName: c.BusinessName, IsWAContact: true}
		}
	}
	return searchOf(out)
}

// businessDTO is a WhatsApp Business account's public profile.
type businessDTO struct {
	Description *string  `json:"description"`
	Email       *string  `json:"email"`
	Address     *string  `json:"address"`
	Website     *string  `json:"website"`
	Categories  []string `json:"categories"`
	TimeZone    *string  `json:"timeZone"`
}

// contactInfoDTO is data.contact of the info route: the seed's fields (id,
// name, verifiedName, imgUrl, businessProfile, status, lastSeen) plus the
// list fields. status is the about text; lastSeen is always null (WhatsApp
// shares it only through presence subscriptions).
type contactInfoDTO struct {
	contactItem
	BusinessProfile *businessDTO `json:"businessProfile"`
	Status          *string      `json:"status"`
	LastSeen        *string      `json:"lastSeen"`
	FetchedAt       *string      `json:"fetchedAt"`
}

// contactInfoData is GET /api/contacts/{sessionId}/info/{contactId}: the
// picture URL is also directly under data (client-compat).
type contactInfoData struct {
	Contact       contactInfoDTO `json:"contact"`
	ProfilePicURL *string        `json:"profilePicUrl"`
	Stale         bool           `json:"stale"`
}

func contactInfoOf(d *service.ContactDetails) contactInfoData {
	c := d.Contact
	info := contactInfoDTO{contactItem: contactOf(c), Status: strOrNil(c.About), FetchedAt: isoOrNil(c.ProfileAt)}
	if b := c.Business; b != nil {
		info.BusinessProfile = &businessDTO{
			Description: strOrNil(b.Description), Email: strOrNil(b.Email), Address: strOrNil(b.Address),
			Website: strOrNil(b.Website), Categories: append([]string{}, b.Categories...), TimeZone: strOrNil(b.TimeZone),
		}
	}
	return contactInfoData{Contact: info, ProfilePicURL: strOrNil(c.PictureURL), Stale: d.Stale}
}

// contactOfLookup builds a contact from a contact.info result read back by
// command id.
func contactOfLookup(sessionID string, res events.ContactInfoResult) *wagate.Contact {
	p := wire.ContactProfile(res)
	return &wagate.Contact{
		SessionID: sessionID, JID: res.JID, LID: p.LID, Phone: jid.Phone(res.JID), BusinessName: p.BusinessName,
		IsWAContact: true, About: p.About, PictureID: p.PictureID, PictureURL: p.PictureURL, Business: p.Business, ProfileAt: p.FetchedAt,
	}
}

// statsDTO is data.stats of GET /api/contacts/{sessionId}/stats.
type contactStatsDTO struct {
	Total           int `json:"total"`
	Users           int `json:"users"`
	Groups          int `json:"groups"`
	WAContacts      int `json:"wAContacts"`
	WithNames       int `json:"withNames"`
	WithProfilePics int `json:"withProfilePics"`
}
