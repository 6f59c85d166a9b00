package sim

import (
	"context"
	"slices"
	"strings"
	"sync"

	wagate "github.com/wagate/wagate/shared"
)

// The simulated directory: who is on WhatsApp, their profiles, and the
// contacts of each account. Every account knows the seeded contacts (as if
// in its phone's address book) and everyone who wrote to it (push names, as
// whatsmeow's contact store learns them from messages). Rules:
//   - a number ending in NotOnWhatsAppSuffix has no WhatsApp account;
//   - every other valid number has one, with DefaultAbout as its about text.

const (
	// NotOnWhatsAppSuffix ends the numbers that have no WhatsApp account.
	NotOnWhatsAppSuffix = "404"
	// DefaultAbout is the about text of users who did not set one.
	DefaultAbout = "Hey there! I am using WhatsApp."
	// pictureURLBase is where simulated profile pictures "are".
	pictureURLBase = "https://sim.wagate.invalid/pp/"
)

// person is someone the simulated network knows more about than the rules.
type person struct {
	Phone     string
	Name      string // in every account's address book ("" = not there)
	FirstName string
	PushName  string
	Business  string // verified business name
	About     string
	PictureID string
	Profile   *wagate.BusinessProfile
}

// SeedContacts are in every simulated account's address book.
var SeedContacts = []person{
	{Phone: "34600000101", Name: "Ana García", FirstName: "Ana", PushName: "Ana", About: "Disponible", PictureID: "1700000101"},
	{Phone: "34600000102", Name: "Bruno Díaz", FirstName: "Bruno", PushName: "Bruno"},
	{Phone: "34600000103", PushName: "Tienda Carla", Business: "Tienda Carla SL", About: "Abierto de 9 a 21", PictureID: "1700000103",
		Profile: &wagate.BusinessProfile{Description: "Ropa y complementos", Email: "hola@tiendacarla.example", Address: "Calle Mayor 1, Madrid",
			Website: "https://tiendacarla.example", Categories: []string{"Shopping & Retail"}, TimeZone: "Europe/Madrid"}},
}

// directoryState is the network's memory of who wrote to which account.
type directoryState struct {
	mu      sync.Mutex
	senders map[string]map[string]*person // account phone → sender phone → sender
	lids    map[string]string             // sender LID JID → phone
}

// seedPerson returns the seeded person with phone, if any.
func seedPerson(phone string) (person, bool) {
	for _, p := range SeedContacts {
		if p.Phone == phone {
			return p, true
		}
	}
	return person{}, false
}

// contactOf is p as an address-book record.
func contactOf(p person, lid string) wagate.Contact {
	return wagate.Contact{
		JID: p.Phone + "@" + jidServer, LID: lid, Phone: p.Phone, Name: p.Name, FirstName: p.FirstName,
		PushName: p.PushName, BusinessName: p.Business, IsWAContact: true,
	}
}

// noteSender records that phone (push name, LID) wrote to the account and,
// when that is news and Options.PushNameEvents is set, emits the
// ContactsEvent whatsmeow's PushName gives.
// c.mu is held.
func (c *Client) noteSender(in wagate.SimInbound) {
	if c.dev == nil {
		return
	}
	phone, err := normalizePhone(in.From)
	if err != nil || phone == c.dev.Phone {
		return
	}
	d := &c.net.dir
	d.mu.Lock()
	if d.senders == nil {
		d.senders, d.lids = map[string]map[string]*person{}, map[string]string{}
	}
	known := d.senders[c.dev.Phone]
	if known == nil {
		known = map[string]*person{}
		d.senders[c.dev.Phone] = known
	}
	p, seen := known[phone]
	if !seen {
		seed, _ := seedPerson(phone)
		p = &seed
		p.Phone = phone
		known[phone] = p
	}
	changed := !seen || (in.PushName != "" && in.PushName != p.PushName)
	if in.PushName != "" {
		p.PushName = in.PushName
	}
	if in.FromLID != "" {
		d.lids[in.FromLID] = phone
	}
	rec := contactOf(*p, in.FromLID)
	d.mu.Unlock()
	if changed && c.net.opts.PushNameEvents {
		c.emit(wagate.ContactsEvent{Contacts: []wagate.Contact{rec}})
	}
}

// Contacts returns the account's contacts: the seeded ones and everyone
// who wrote to it. It needs a paired client, not a live one (whatsmeow
// reads its local store).
func (c *Client) Contacts(ctx context.Context) ([]wagate.Contact, error) {
	c.mu.Lock()
	dev := c.dev
	c.mu.Unlock()
	if dev == nil {
		return nil, wagate.Errorf(wagate.ENOTCONNECTED, "Session %s is not linked to a phone.", c.sessionID)
	}
	out := make([]wagate.Contact, 0, len(SeedContacts))
	listed := map[string]bool{}
	d := &c.net.dir
	d.mu.Lock()
	for phone, p := range d.senders[dev.Phone] {
		out = append(out, contactOf(*p, d.lidOf(phone)))
		listed[phone] = true
	}
	d.mu.Unlock()
	for _, p := range SeedContacts {
		if !listed[p.Phone] && p.Phone != dev.Phone {
			out = append(out, contactOf(p, ""))
		}
	}
	return out, nil
}

// lidOf returns a known LID of phone. d.mu is held.
func (d *directoryState) lidOf(phone string) string {
	for lid, p := range d.lids {
		if p == phone {
			return lid
		}
	}
	return ""
}

// IsOnWhatsApp answers for each phone by the rules above.
func (c *Client) IsOnWhatsApp(ctx context.Context, phones []string) ([]wagate.PhoneCheck, error) {
	if !c.IsLive() {
		return nil, c.notConnected()
	}
	out := make([]wagate.PhoneCheck, 0, len(phones))
	for _, raw := range phones {
		check := wagate.PhoneCheck{Phone: raw}
		if phone, err := normalizePhone(raw); err == nil && onWhatsApp(phone) {
			check.Exists, check.JID = true, phone+"@"+jidServer
			if p, ok := seedPerson(phone); ok {
				check.BusinessName = p.Business
			}
		}
		out = append(out, check)
	}
	return out, nil
}

// UserInfo returns a user's profile: a seeded person's, a sender's (push
// name only), or the default one. Returns ENOTFOUND for numbers not on
// WhatsApp and unknown LIDs.
func (c *Client) UserInfo(ctx context.Context, jid string) (*wagate.UserInfo, error) {
	if !c.IsLive() {
		return nil, c.notConnected()
	}
	phone, lid := "", ""
	if strings.HasSuffix(jid, lidSuffix) {
		c.net.dir.mu.Lock()
		phone, lid = c.net.dir.lids[jid], jid
		c.net.dir.mu.Unlock()
	} else if p, err := normalizePhone(jid); err == nil {
		phone = p
	}
	if phone == "" || !onWhatsApp(phone) {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "%s is not on WhatsApp.", jid)
	}
	info := &wagate.UserInfo{JID: phone + "@" + jidServer, LID: lid, About: DefaultAbout, Devices: 1}
	if p, ok := seedPerson(phone); ok {
		if p.About != "" {
			info.About = p.About
		}
		info.BusinessName = p.Business
		if p.Profile != nil {
			b := *p.Profile
			b.Categories = slices.Clone(b.Categories)
			info.Business = &b
		}
		if p.PictureID != "" {
			info.PictureID, info.PictureURL = p.PictureID, pictureURLBase+phone+".jpg"
		}
	}
	return info, nil
}

func onWhatsApp(phone string) bool { return !strings.HasSuffix(phone, NotOnWhatsAppSuffix) }
