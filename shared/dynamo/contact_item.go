package dynamo

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	wagate "github.com/wagate/wagate/shared"
)

// contactItem is a contact: pk sessionPK(session), sk contactSK(JID), in
// gsi1 under gkContacts(session) by nameKey(display name, JID). q holds the
// lower-cased names and JID for the search filter; ver numbers the writes
// (every write is conditional on the version it read).
type contactItem struct {
	PK     string `dynamodbav:"pk"`
	SK     string `dynamodbav:"sk"`
	GSI1PK string `dynamodbav:"gsi1pk"`
	GSI1SK string `dynamodbav:"gsi1sk"`

	SessionID    string       `dynamodbav:"sid"`
	JID          string       `dynamodbav:"jid"`
	LID          string       `dynamodbav:"lid,omitempty"`
	Phone        string       `dynamodbav:"phone,omitempty"`
	Name         string       `dynamodbav:"name,omitempty"`
	FirstName    string       `dynamodbav:"firstName,omitempty"`
	PushName     string       `dynamodbav:"pushName,omitempty"`
	BusinessName string       `dynamodbav:"businessName,omitempty"`
	IsWAContact  bool         `dynamodbav:"wa,omitempty"`
	About        string       `dynamodbav:"about,omitempty"`
	PictureID    string       `dynamodbav:"pictureId,omitempty"`
	PictureURL   string       `dynamodbav:"pictureUrl,omitempty"`
	Business     *businessDoc `dynamodbav:"business,omitempty"`
	ProfileAt    string       `dynamodbav:"profileAt,omitempty"`
	Search       string       `dynamodbav:"q"`
	Version      int64        `dynamodbav:"ver"`
	UpdatedAt    string       `dynamodbav:"updatedAt"`
}

// businessDoc is a business profile inside a contact item.
type businessDoc struct {
	Description string   `dynamodbav:"description,omitempty"`
	Email       string   `dynamodbav:"email,omitempty"`
	Address     string   `dynamodbav:"address,omitempty"`
	Website     string   `dynamodbav:"website,omitempty"`
	Categories  []string `dynamodbav:"categories,omitempty"`
	TimeZone    string   `dynamodbav:"timeZone,omitempty"`
}

// Contact aliases point a contact's LID or phone at its JID (pk
// sessionPK(session), sk contactKeySK(key), attribute jid). They exist only
// where the key differs from the JID, may be stale, and are checked against
// the contact they point at.

// encodeContact returns the item of c at version ver.
func encodeContact(c *wagate.Contact, ver int64) (item, error) {
	it := contactItem{
		PK: sessionPK(c.SessionID), SK: contactSK(c.JID),
		GSI1PK: gkContacts(c.SessionID), GSI1SK: nameKey(c.DisplayName(), c.JID),
		SessionID: c.SessionID, JID: c.JID, LID: c.LID, Phone: c.Phone,
		Name: c.Name, FirstName: c.FirstName, PushName: c.PushName, BusinessName: c.BusinessName, IsWAContact: c.IsWAContact,
		About: c.About, PictureID: c.PictureID, PictureURL: c.PictureURL,
		ProfileAt: fmtTime(c.ProfileAt), Search: searchText(c), Version: ver, UpdatedAt: fmtTime(c.UpdatedAt),
	}
	if b := c.Business; b != nil {
		it.Business = &businessDoc{Description: b.Description, Email: b.Email, Address: b.Address, Website: b.Website,
			Categories: b.Categories, TimeZone: b.TimeZone}
	}
	m, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, fmt.Errorf("encode contact %q: %w", c.JID, err)
	}
	return m, nil
}

// decodeContact reads a contact item and its version.
func decodeContact(raw item) (*wagate.Contact, int64, error) {
	var it contactItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return nil, 0, fmt.Errorf("decode contact: %w", err)
	}
	c := &wagate.Contact{
		SessionID: it.SessionID, JID: it.JID, LID: it.LID, Phone: it.Phone,
		Name: it.Name, FirstName: it.FirstName, PushName: it.PushName, BusinessName: it.BusinessName, IsWAContact: it.IsWAContact,
		About: it.About, PictureID: it.PictureID, PictureURL: it.PictureURL,
	}
	if b := it.Business; b != nil {
		c.Business = &wagate.BusinessProfile{Description: b.Description, Email: b.Email, Address: b.Address, Website: b.Website,
			Categories: b.Categories, TimeZone: b.TimeZone}
	}
	var err1, err2 error
	c.ProfileAt, err1 = parseTime(it.ProfileAt)
	c.UpdatedAt, err2 = parseTime(it.UpdatedAt)
	if err := errors.Join(err1, err2); err != nil {
		return nil, 0, fmt.Errorf("decode contact %q: %w", it.JID, err)
	}
	return c, it.Version, nil
}

// searchSep separates the fields of a contact's search text; a search
// that contains it matches nothing (it cannot span two fields).
const searchSep = "\n"

// searchText is what ListContacts' search matches: every name and the JID,
// lower-cased.
func searchText(c *wagate.Contact) string {
	return strings.ToLower(strings.Join([]string{c.Name, c.FirstName, c.PushName, c.BusinessName, c.JID}, searchSep))
}

// aliasKeys returns the keys of c that need an alias item to be found:
// its LID when it is not the JID, its phone when the JID is not the phone
// JID.
func aliasKeys(c *wagate.Contact) []string {
	if c == nil {
		return nil
	}
	var keys []string
	if c.LID != "" && c.LID != c.JID {
		keys = append(keys, c.LID)
	}
	if c.Phone != "" && c.Phone != c.LID && phoneJID(c.Phone) != c.JID {
		keys = append(keys, c.Phone)
	}
	return keys
}

// answersTo reports whether c is the contact with LID or phone key.
func answersTo(c *wagate.Contact, key string) bool {
	return c != nil && key != "" && (c.LID == key || c.Phone == key)
}

// mergeContact applies an address-book record c to row (the stored contact
// c belongs to, or a new one keyed by c.JID), as the port describes:
// names and IsWAContact replace the stored values, the profile stays; old,
// when set, is a LID-only contact that row absorbs (its profile is kept if
// row has none). Mirrors the sqlite adapter.
func mergeContact(row, old, c *wagate.Contact) {
	if old != nil && row.ProfileAt.IsZero() && !old.ProfileAt.IsZero() {
		row.About, row.PictureID, row.PictureURL, row.Business, row.ProfileAt = old.About, old.PictureID, old.PictureURL, old.Business, old.ProfileAt
	}
	if c.LID != "" || row.JID == c.JID {
		row.LID = firstNonEmpty(c.LID, row.LID)
	}
	row.Phone = firstNonEmpty(c.Phone, firstNonEmpty(row.Phone, phoneOfJID(row.JID)))
	row.Name, row.FirstName, row.PushName, row.BusinessName = c.Name, c.FirstName, c.PushName, c.BusinessName
	row.IsWAContact = c.IsWAContact
}

// applyProfile records a live look-up p on row; a zero FetchedAt is now.
func applyProfile(row *wagate.Contact, p wagate.ContactProfile, now time.Time) {
	row.IsWAContact = true
	row.LID = firstNonEmpty(p.LID, row.LID)
	row.BusinessName = firstNonEmpty(p.BusinessName, row.BusinessName)
	row.About, row.PictureID, row.PictureURL, row.Business = p.About, p.PictureID, p.PictureURL, p.Business.Clone()
	row.ProfileAt = p.FetchedAt.UTC()
	if p.FetchedAt.IsZero() {
		row.ProfileAt = now
	}
}

// sameContact reports whether a and b are equal but for UpdatedAt.
func sameContact(a, b *wagate.Contact) bool {
	x, y := *a, *b
	if !x.ProfileAt.Equal(y.ProfileAt) {
		return false
	}
	x.UpdatedAt, y.UpdatedAt, x.ProfileAt, y.ProfileAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}

func cloneContact(c *wagate.Contact) *wagate.Contact {
	d := *c
	d.Business = c.Business.Clone()
	return &d
}

// phoneJID is the JID of a phone number.
func phoneJID(phone string) string { return phone + "@s.whatsapp.net" }

// phoneOfJID returns the digits of a phone JID ("" for other JIDs).
func phoneOfJID(jid string) string {
	user, ok := strings.CutSuffix(jid, "@s.whatsapp.net")
	if !ok || user == "" || strings.Trim(user, "0123456789") != "" {
		return ""
	}
	return user
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
