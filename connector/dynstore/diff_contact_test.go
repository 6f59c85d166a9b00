package dynstore_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
)

func pnJID(u string) types.JID  { return types.NewJID(u, types.DefaultUserServer) }
func lidJID(u string) types.JID { return types.NewJID(u, types.HiddenUserServer) }

// contactReader returns the contact store to read: dynstore's, or a fresh
// sqlstore.SQLStore. sqlstore's contact cache can answer Found=false for a
// contact that a redacted phone number created since (docs).
func (s *side) contactReader() store.ContactStore {
	if sc, ok := s.c.(*sqlstore.Container); ok {
		return sqlstore.NewSQLStore(sc, *s.dev.ID)
	}
	return s.dev.Contacts
}

// contactState describes GetContact of users and GetAllContacts.
func contactState(s *side, users []types.JID) (any, error) {
	var out []string
	for _, u := range users {
		c, err := s.contactReader().GetContact(bg, u)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s %+v", u, c))
	}
	all, err := s.dev.Contacts.GetAllContacts(bg)
	if err != nil {
		return nil, err
	}
	var rows []string
	for j, c := range all {
		rows = append(rows, fmt.Sprintf("%s %+v", jidStr(j), c))
	}
	sort.Strings(rows)
	return fmt.Sprint(out, rows), nil
}

// TestDiffContacts: push, business and contact names (changed or not, the
// previous name), bulk names (first duplicate wins, other fields kept),
// redacted phones, get one and all.
func TestDiffContacts(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	users := []types.JID{pnJID("111"), pnJID("222"), lidJID("999"), pnJID("333"), pnJID("444")}
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) { return contactState(s, users) })
	}
	name := func(what string, f func(c store.ContactStore) (bool, string, error)) {
		p.same(t, what, func(s *side) (any, error) {
			changed, prev, err := f(s.dev.Contacts)
			return fmt.Sprint(changed, prev), err
		})
	}
	state("empty")
	name("push new", func(c store.ContactStore) (bool, string, error) { return c.PutPushName(bg, users[0], "Ana") })
	name("push same", func(c store.ContactStore) (bool, string, error) { return c.PutPushName(bg, users[0], "Ana") })
	name("push changed", func(c store.ContactStore) (bool, string, error) { return c.PutPushName(bg, users[0], "Ana B") })
	name("push empty on new", func(c store.ContactStore) (bool, string, error) { return c.PutPushName(bg, users[3], "") })
	name("business new", func(c store.ContactStore) (bool, string, error) { return c.PutBusinessName(bg, users[1], "Shop") })
	name("business same", func(c store.ContactStore) (bool, string, error) { return c.PutBusinessName(bg, users[1], "Shop") })
	name("business cleared", func(c store.ContactStore) (bool, string, error) { return c.PutBusinessName(bg, users[1], "") })
	p.same(t, "contact name", func(s *side) (any, error) {
		return nil, s.dev.Contacts.PutContactName(bg, users[0], "First", "Full Name")
	})
	p.same(t, "contact name same", func(s *side) (any, error) {
		return nil, s.dev.Contacts.PutContactName(bg, users[0], "First", "Full Name")
	})
	state("names")
	p.same(t, "all names", func(s *side) (any, error) {
		return nil, s.dev.Contacts.PutAllContactNames(bg, []store.ContactEntry{
			{JID: users[0], FirstName: "F0", FullName: "Full 0"},
			{JID: users[2], FirstName: "F2", FullName: "Full 2"},
			{JID: users[0], FirstName: "dup", FullName: "dup"},
			{JID: users[4], FullName: "Only Full"},
		})
	})
	p.same(t, "no names", func(s *side) (any, error) { return nil, s.dev.Contacts.PutAllContactNames(bg, nil) })
	state("bulk names")
	p.same(t, "redacted", func(s *side) (any, error) {
		return nil, s.dev.Contacts.PutManyRedactedPhones(bg, []store.RedactedPhoneEntry{
			{JID: users[2], RedactedPhone: "+55∙∙∙∙∙99"}, {JID: users[3], RedactedPhone: "+1∙∙∙2"}, {JID: users[2], RedactedPhone: "dup"},
		})
	})
	name("push after bulk", func(c store.ContactStore) (bool, string, error) { return c.PutPushName(bg, users[2], "Lid Name") })
	state("redacted phones")
}

// TestDiffChatSettings: muted (forever, until, not), pinned, archived.
func TestDiffChatSettings(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	chats := []types.JID{pnJID("111"), types.NewJID("123-456", types.GroupServer), lidJID("999")}
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			var out []string
			for _, c := range chats {
				cs, err := s.dev.ChatSettings.GetChatSettings(bg, c)
				if err != nil {
					return nil, err
				}
				forever := cs.MutedUntil.Equal(store.MutedForever)
				out = append(out, fmt.Sprint(cs.Found, unix(cs.MutedUntil), forever, cs.Pinned, cs.Archived))
			}
			return out, nil
		})
	}
	state("none")
	p.same(t, "mute forever", func(s *side) (any, error) {
		return nil, s.dev.ChatSettings.PutMutedUntil(bg, chats[0], store.MutedForever)
	})
	p.same(t, "pin", func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutPinned(bg, chats[1], true) })
	p.same(t, "archive", func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutArchived(bg, chats[2], true) })
	state("set")
	until := time.Unix(1_900_000_000, 0)
	p.same(t, "mute until", func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutMutedUntil(bg, chats[1], until) })
	p.same(t, "unmute", func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutMutedUntil(bg, chats[0], time.Time{}) })
	p.same(t, "unpin", func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutPinned(bg, chats[1], false) })
	p.same(t, "pin 0", func(s *side) (any, error) { return nil, s.dev.ChatSettings.PutPinned(bg, chats[0], true) })
	state("changed")
}
