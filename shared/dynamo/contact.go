package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ddb"
)

var _ wagate.ContactStore = (*ContactStore)(nil)

// ContactStore is wagate.ContactStore on the table. A contact is an item
// under its session's partition keyed by its JID (contactItem), with alias
// items for a LID or phone that differ from the JID (contactAliasItem), so
// every look-up by JID, LID or number is a strongly consistent read by key.
//
// Writes read the contact, merge in Go (as the sqlite adapter does) and
// write it back on the condition that its version is unchanged, retrying
// otherwise; a write that absorbs a LID-only contact deletes it in the
// same transaction. A merge that changes nothing writes nothing, so the
// full re-sync at each connect costs reads only for unchanged contacts.
type ContactStore struct {
	t *Table
}

// NewContactStore returns the contact store of t.
func NewContactStore(t *Table) *ContactStore { return &ContactStore{t: t} }

// UpsertContacts creates or updates the address-book part of each contact.
// Contacts that share no JID, LID or phone are written concurrently;
// related ones in their given order.
func (st *ContactStore) UpsertContacts(ctx context.Context, sessionID string, cs []*wagate.Contact) error {
	for _, c := range cs {
		if c == nil || c.JID == "" {
			return wagate.Errorf(wagate.EINVALID, "contacts: every contact needs a JID")
		}
	}
	now := time.Now().UTC()
	groups := relatedContacts(cs)
	err := ddb.ForEach(ctx, len(groups), func(ctx context.Context, i int) error {
		for _, j := range groups[i] {
			if err := st.upsert(ctx, sessionID, cs[j], now); err != nil {
				return fmt.Errorf("contact %q: %w", cs[j].JID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("upsert %d contacts of session %q: %w", len(cs), sessionID, err)
	}
	return nil
}

// relatedContacts groups the indexes of cs by shared JID, LID or phone
// (transitively), each group in ascending order.
func relatedContacts(cs []*wagate.Contact) [][]int {
	parent := make([]int, len(cs))
	for i := range parent {
		parent[i] = i
	}
	root := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{}
	for i, c := range cs {
		for _, k := range []string{c.JID, c.LID, c.Phone} {
			if k == "" {
				continue
			}
			if j, ok := owner[k]; ok {
				parent[root(i)] = root(j)
			} else {
				owner[k] = i
			}
		}
	}
	var groups [][]int
	at := map[int]int{}
	for i := range cs {
		r := root(i)
		g, ok := at[r]
		if !ok {
			g = len(groups)
			at[r] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	return groups
}

// upsert merges c into the contact it belongs to: its JID, or a phone
// contact that has c's JID as its LID. A LID-only contact that c now names
// by phone is absorbed.
func (st *ContactStore) upsert(ctx context.Context, sessionID string, c *wagate.Contact, now time.Time) error {
	for attempt := 0; ; attempt++ {
		cur, ver, err := st.get(ctx, sessionID, c.JID)
		if err == nil && cur == nil && c.LID == "" && strings.HasSuffix(c.JID, "@lid") {
			cur, ver, err = st.byAlias(ctx, sessionID, c.JID)
		}
		if err != nil {
			return err
		}
		row := &wagate.Contact{SessionID: sessionID, JID: c.JID}
		if cur != nil {
			row = cloneContact(cur)
		}
		var old *wagate.Contact
		var oldVer int64
		if c.LID != "" && c.LID != row.JID {
			if old, oldVer, err = st.get(ctx, sessionID, c.LID); err != nil {
				return err
			}
		}
		mergeContact(row, old, c)
		if old == nil && cur != nil && sameContact(cur, row) {
			return nil
		}
		row.UpdatedAt = now
		err = st.write(ctx, row, cur, ver, old, oldVer)
		if err == nil || !isCondFailed(err) || attempt >= maxRetries {
			return err
		}
		if err := backoff(ctx, attempt+1); err != nil {
			return err
		}
	}
}

// SetContactProfile records a live look-up, creating the contact if needed.
func (st *ContactStore) SetContactProfile(ctx context.Context, sessionID, jid string, p wagate.ContactProfile) error {
	if jid == "" {
		return wagate.Errorf(wagate.EINVALID, "contact profile: JID is required")
	}
	for attempt := 0; ; attempt++ {
		cur, ver, err := st.resolve(ctx, sessionID, jid)
		if err != nil {
			return fmt.Errorf("set profile of contact %q of session %q: %w", jid, sessionID, err)
		}
		row := &wagate.Contact{SessionID: sessionID, JID: jid, Phone: phoneOfJID(jid)}
		if cur != nil {
			row = cloneContact(cur)
		}
		now := time.Now().UTC()
		applyProfile(row, p, now)
		row.UpdatedAt = now
		err = st.write(ctx, row, cur, ver, nil, 0)
		if err == nil {
			return nil
		}
		if !isCondFailed(err) || attempt >= maxRetries {
			return fmt.Errorf("set profile of contact %q of session %q: %w", jid, sessionID, err)
		}
		if err := backoff(ctx, attempt+1); err != nil {
			return err
		}
	}
}

// SetContactPicture records a picture change of a known contact: one
// conditional UpdateItem that also bumps the version, so a concurrent
// read-merge-write retries on top of it.
func (st *ContactStore) SetContactPicture(ctx context.Context, sessionID, jid, pictureID string) error {
	cur, _, err := st.resolve(ctx, sessionID, jid)
	if err == nil && cur != nil {
		var e expr
		u := newUpdate(&e).setS(aPictureID, pictureID).remove(aPictureURL).remove(aProfileAt).
			set(aUpdatedAt, sv(fmtTime(time.Now()))).add(aVersion, 1)
		_, err = st.t.updateItem(ctx, &dynamodb.UpdateItemInput{
			Key:                      itemKey{sessionPK(sessionID), contactSK(cur.JID)}.av(),
			UpdateExpression:         aws.String(u.String()),
			ConditionExpression:      aws.String("attribute_exists(" + e.n(attrPK) + ")"),
			ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
		})
		if isCondFailed(err) { // deleted meanwhile
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("set picture of contact %q of session %q: %w", jid, sessionID, err)
	}
	return nil
}

// FindContact returns the contact whose JID, LID or phone is key: one
// BatchGetItem of the contact keyed key, the alias of key and (for a
// number) the contact keyed by its phone JID, then the alias's contact.
func (st *ContactStore) FindContact(ctx context.Context, sessionID, key string) (*wagate.Contact, error) {
	c, err := st.find(ctx, sessionID, key)
	if err != nil {
		return nil, fmt.Errorf("find contact %q of session %q: %w", key, sessionID, err)
	}
	if c == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Contact %s not found.", key)
	}
	return c, nil
}

func (st *ContactStore) find(ctx context.Context, sessionID, key string) (*wagate.Contact, error) {
	if key == "" {
		return nil, nil
	}
	pk := sessionPK(sessionID)
	direct, alias, phone := itemKey{pk, contactSK(key)}, itemKey{pk, contactKeySK(key)}, itemKey{pk, contactSK(phoneJID(key))}
	keys := []itemKey{direct, alias}
	isPhone := phoneOfJID(phoneJID(key)) != ""
	if isPhone {
		keys = append(keys, phone)
	}
	found, err := st.t.batchGet(ctx, keys)
	if err != nil {
		return nil, err
	}
	if it, ok := found[direct]; ok {
		c, _, err := decodeContact(it)
		return c, err
	}
	if a, ok := found[alias]; ok {
		c, _, err := st.get(ctx, sessionID, getS(a, aJID))
		if err != nil || answersTo(c, key) {
			return c, err
		}
	}
	if it, ok := found[phone]; ok && isPhone {
		c, _, err := decodeContact(it)
		if err != nil || c.Phone == key {
			return c, err
		}
	}
	return nil, nil
}

// DeleteSessionContacts removes every contact of a session and their
// aliases: a strongly consistent query of the session's partition, then
// batched deletes.
func (st *ContactStore) DeleteSessionContacts(ctx context.Context, sessionID string) error {
	if err := deletePrefix(ctx, st.t, sessionID, preContactItems); err != nil {
		return fmt.Errorf("delete contacts of session %q: %w", sessionID, err)
	}
	return nil
}

// get reads the contact keyed jid and its version; nil if there is none.
func (st *ContactStore) get(ctx context.Context, sessionID, jid string) (*wagate.Contact, int64, error) {
	it, err := st.t.get(ctx, itemKey{sessionPK(sessionID), contactSK(jid)})
	if it == nil || err != nil {
		return nil, 0, err
	}
	return decodeContact(it)
}

// byAlias returns the contact whose LID is lid, through its alias.
func (st *ContactStore) byAlias(ctx context.Context, sessionID, lid string) (*wagate.Contact, int64, error) {
	a, err := st.t.get(ctx, itemKey{sessionPK(sessionID), contactKeySK(lid)})
	if a == nil || err != nil {
		return nil, 0, err
	}
	c, ver, err := st.get(ctx, sessionID, getS(a, aJID))
	if err != nil || c == nil || c.LID != lid { // a stale alias
		return nil, 0, err
	}
	return c, ver, nil
}

// resolve returns the contact whose JID, or else LID, is jid.
func (st *ContactStore) resolve(ctx context.Context, sessionID, jid string) (*wagate.Contact, int64, error) {
	c, ver, err := st.get(ctx, sessionID, jid)
	if c != nil || err != nil {
		return c, ver, err
	}
	return st.byAlias(ctx, sessionID, jid)
}

// write stores row as version prevVer+1, on the condition that the stored
// contact is still prev at prevVer (or absent when prev is nil), deleting
// old (a contact row absorbed, at oldVer) and putting row's new aliases in
// the same transaction. Aliases row no longer needs are then deleted if
// they still point at their contact.
func (st *ContactStore) write(ctx context.Context, row, prev *wagate.Contact, prevVer int64, old *wagate.Contact, oldVer int64) error {
	rec, err := encodeContact(row, prevVer+1)
	if err != nil {
		return err
	}
	var e expr
	var cond string
	if prev != nil {
		cond = e.eq(aVersion, nv(prevVer))
	} else {
		cond = "attribute_not_exists(" + e.n(attrPK) + ")"
	}
	pk := sessionPK(row.SessionID)
	actions := []types.TransactWriteItem{st.t.putAction(rec, cond, &e)}
	if old != nil {
		var oe expr
		actions = append(actions, st.t.deleteAction(itemKey{pk, contactSK(old.JID)}, oe.eq(aVersion, nv(oldVer)), &oe))
	}
	keep, had := aliasKeys(row), aliasKeys(prev)
	for _, k := range keep {
		if !slices.Contains(had, k) {
			actions = append(actions, st.t.putAction(item{attrPK: sv(pk), attrSK: sv(contactKeySK(k)), aJID: sv(row.JID)}, "", nil))
		}
	}
	if len(actions) == 1 {
		err = st.t.putItem(ctx, &dynamodb.PutItemInput{
			Item: rec, ConditionExpression: aws.String(cond),
			ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
		})
	} else {
		err = st.t.transact(ctx, actions)
	}
	if err != nil {
		return err
	}
	for _, was := range []*wagate.Contact{prev, old} {
		for _, k := range aliasKeys(was) {
			if slices.Contains(keep, k) {
				continue
			}
			if err := st.dropAlias(ctx, pk, k, was.JID); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropAlias deletes the alias of key if it points at owner.
func (st *ContactStore) dropAlias(ctx context.Context, pk, key, owner string) error {
	var e expr
	_, err := st.t.deleteItem(ctx, &dynamodb.DeleteItemInput{
		Key:                       itemKey{pk, contactKeySK(key)}.av(),
		ConditionExpression:       aws.String(e.eq(aJID, sv(owner))),
		ExpressionAttributeNames:  e.Names(),
		ExpressionAttributeValues: e.Values(),
	})
	if isCondFailed(err) {
		return nil
	}
	return err
}
