package dynstore

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// Attributes of contacts; each is absent until written (SQL NULL).
const (
	aFirstName     = "first"
	aFullName      = "full"
	aContactPush   = "push"
	aContactBiz    = "biz"
	aRedactedPhone = "rphone"
)

func decodeContact(it item) types.ContactInfo {
	return types.ContactInfo{
		Found:         it != nil,
		FirstName:     getS(it, aFirstName),
		FullName:      getS(it, aFullName),
		PushName:      getS(it, aContactPush),
		BusinessName:  getS(it, aContactBiz),
		RedactedPhone: getS(it, aRedactedPhone),
	}
}

// putContactField sets attr of user's contact to value unless it holds
// value already; it reports whether it changed and the previous value.
func (s *Store) putContactField(ctx context.Context, user types.JID, attr, value string) (changed bool, previous string, err error) {
	err = s.t.atomic(ctx, false, func(ctx context.Context) error {
		k := s.key(contactSK(user.String()))
		cur, err := s.t.get(ctx, k)
		if err != nil {
			return err
		}
		previous = getS(cur, attr)
		if changed = previous != value; !changed {
			previous = ""
			return nil
		}
		_, err = s.t.edit(ctx, k, edit{set: item{attr: sv(value)}})
		return err
	})
	if err != nil {
		return false, "", fmt.Errorf("put contact %s of %s: %w", attr, user, err)
	}
	return changed, previous, nil
}

// PutPushName stores the push name of user; it reports whether it changed
// and the previous one.
func (s *Store) PutPushName(ctx context.Context, user types.JID, pushName string) (bool, string, error) {
	return s.putContactField(ctx, user, aContactPush, pushName)
}

// PutBusinessName stores the business name of user; it reports whether it
// changed and the previous one.
func (s *Store) PutBusinessName(ctx context.Context, user types.JID, businessName string) (bool, string, error) {
	return s.putContactField(ctx, user, aContactBiz, businessName)
}

// PutContactName stores the first and full name of user. The parameters
// are in sqlstore's order (first name, then full name), which is the order
// whatsmeow passes them in.
func (s *Store) PutContactName(ctx context.Context, user types.JID, firstName, fullName string) error {
	err := s.t.atomic(ctx, false, func(ctx context.Context) error {
		k := s.key(contactSK(user.String()))
		cur, err := s.t.get(ctx, k)
		if err != nil {
			return err
		}
		if getS(cur, aFirstName) == firstName && getS(cur, aFullName) == fullName {
			return nil
		}
		_, err = s.t.edit(ctx, k, edit{set: item{aFirstName: sv(firstName), aFullName: sv(fullName)}})
		return err
	})
	if err != nil {
		return fmt.Errorf("put contact name of %s: %w", user, err)
	}
	return nil
}

// PutAllContactNames stores the first and full names of contacts (the first
// entry of a repeated JID wins, as in sqlstore), keeping their other fields.
func (s *Store) PutAllContactNames(ctx context.Context, contacts []store.ContactEntry) error {
	if len(contacts) == 0 {
		return nil
	}
	keys, eds := firstContactEdits(len(contacts), func(i int) (string, edit) {
		c := contacts[i]
		return c.JID.String(), edit{set: item{aFirstName: sv(c.FirstName), aFullName: sv(c.FullName)}}
	})
	if dup := len(contacts) - len(keys); dup > 0 {
		s.c.log.Warnf("%d duplicate contacts found in PutAllContactNames", dup)
	}
	if err := s.t.editMany(ctx, s.contactKeys(keys), eds); err != nil {
		return fmt.Errorf("put %d contact names: %w", len(keys), err)
	}
	return nil
}

// PutManyRedactedPhones stores the redacted phone numbers of contacts (the
// first entry of a repeated JID wins).
func (s *Store) PutManyRedactedPhones(ctx context.Context, entries []store.RedactedPhoneEntry) error {
	if len(entries) == 0 {
		return nil
	}
	keys, eds := firstContactEdits(len(entries), func(i int) (string, edit) {
		e := entries[i]
		return e.JID.String(), edit{set: item{aRedactedPhone: sv(e.RedactedPhone)}}
	})
	if dup := len(entries) - len(keys); dup > 0 {
		s.c.log.Warnf("%d duplicate contacts found in PutManyRedactedPhones", dup)
	}
	if err := s.t.editMany(ctx, s.contactKeys(keys), eds); err != nil {
		return fmt.Errorf("put %d redacted phones: %w", len(keys), err)
	}
	return nil
}

// firstContactEdits returns the JIDs and edits of n entries, keeping only
// the first entry of each JID.
func firstContactEdits(n int, entry func(i int) (string, edit)) ([]string, []edit) {
	idx := map[string]bool{}
	var jids []string
	var eds []edit
	for i := range n {
		jid, ed := entry(i)
		if idx[jid] {
			continue
		}
		idx[jid] = true
		jids = append(jids, jid)
		eds = append(eds, ed)
	}
	return jids, eds
}

func (s *Store) contactKeys(jids []string) []itemKey {
	keys := make([]itemKey, len(jids))
	for i, j := range jids {
		keys[i] = s.key(contactSK(j))
	}
	return keys
}

// GetContact returns what is known of user (Found false when nothing).
func (s *Store) GetContact(ctx context.Context, user types.JID) (types.ContactInfo, error) {
	it, err := s.t.get(ctx, s.key(contactSK(user.String())))
	if err != nil {
		return types.ContactInfo{}, fmt.Errorf("get contact %s: %w", user, err)
	}
	return decodeContact(it), nil
}

// GetAllContacts returns every stored contact.
func (s *Store) GetAllContacts(ctx context.Context) (map[types.JID]types.ContactInfo, error) {
	all, err := s.prefixed(ctx, preContact)
	if err != nil {
		return nil, fmt.Errorf("query contacts: %w", err)
	}
	out := make(map[types.JID]types.ContactInfo, len(all))
	for _, it := range all {
		jid, err := types.ParseJID(getS(it, attrSK)[len(preContact):])
		if err != nil {
			return nil, fmt.Errorf("contact %s: %w", keyOf(it), err)
		}
		out[jid] = decodeContact(it)
	}
	return out, nil
}
