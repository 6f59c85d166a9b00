package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ddb"
)

var _ wagate.GroupStore = (*GroupStore)(nil)

// GroupStore is wagate.GroupStore on the table. A group is one item under
// its session's partition (sk groupSK(JID)), its members a list in the
// item, and in gsi1 under gkGroups(session) by lower-cased subject (then
// JID), which ListGroups walks. Each group is written with one UpdateItem
// (no read), so a stored invite code survives a write that does not carry
// one.
type GroupStore struct {
	t *Table
}

// NewGroupStore returns the group store of t.
func NewGroupStore(t *Table) *GroupStore { return &GroupStore{t: t} }

// groupItem is a group: pk sessionPK(session), sk groupSK(JID).
type groupItem struct {
	SessionID    string      `dynamodbav:"sid"`
	JID          string      `dynamodbav:"jid"`
	Subject      string      `dynamodbav:"subject"`
	Description  string      `dynamodbav:"description"`
	OwnerJID     string      `dynamodbav:"owner"`
	CreatedAt    string      `dynamodbav:"createdAt"`
	Announce     bool        `dynamodbav:"announce"`
	Locked       bool        `dynamodbav:"locked"`
	Participants []memberDoc `dynamodbav:"members"`
	InviteCode   string      `dynamodbav:"invite"`
	UpdatedAt    string      `dynamodbav:"updatedAt"`
}

// memberDoc is a group participant inside a group item.
type memberDoc struct {
	JID          string `dynamodbav:"jid"`
	LID          string `dynamodbav:"lid,omitempty"`
	Phone        string `dynamodbav:"phone,omitempty"`
	IsAdmin      bool   `dynamodbav:"admin,omitempty"`
	IsSuperAdmin bool   `dynamodbav:"super,omitempty"`
}

// UpsertGroups stores each group, keeping a stored invite code the group
// does not carry. Groups are written concurrently; a JID given twice is
// written once, as the later record (with the earlier invite code when the
// later has none).
func (st *GroupStore) UpsertGroups(ctx context.Context, sessionID string, gs []*wagate.Group) error {
	if err := checkGroups(gs); err != nil {
		return err
	}
	if err := st.write(ctx, sessionID, gs); err != nil {
		return fmt.Errorf("upsert %d groups of session %q: %w", len(gs), sessionID, err)
	}
	return nil
}

// ReplaceGroups makes gs the session's complete group list: it writes gs,
// then deletes the session's other groups. The two steps are not one
// transaction: a reader in between sees the union.
func (st *GroupStore) ReplaceGroups(ctx context.Context, sessionID string, gs []*wagate.Group) error {
	if err := checkGroups(gs); err != nil {
		return err
	}
	if err := st.write(ctx, sessionID, gs); err != nil {
		return fmt.Errorf("replace groups of session %q: %w", sessionID, err)
	}
	keep := make(map[string]bool, len(gs))
	for _, g := range gs {
		keep[groupSK(g.JID)] = true
	}
	var drop []itemKey
	err := st.t.each(ctx, walk{pk: sessionPK(sessionID), prefix: preGroup}, 0, func(it item) bool {
		if k := keyOf(it); !keep[k.sk] {
			drop = append(drop, k)
		}
		return true
	})
	if err == nil {
		err = st.t.batchDelete(ctx, drop)
	}
	if err != nil {
		return fmt.Errorf("replace groups of session %q: %w", sessionID, err)
	}
	return nil
}

func checkGroups(gs []*wagate.Group) error {
	for _, g := range gs {
		if g == nil || g.JID == "" {
			return wagate.Errorf(wagate.EINVALID, "groups: every group needs a JID")
		}
	}
	return nil
}

// write upserts gs, ddb.Parallelism at a time.
func (st *GroupStore) write(ctx context.Context, sessionID string, gs []*wagate.Group) error {
	var list []wagate.Group
	at := make(map[string]int, len(gs))
	for _, g := range gs {
		if i, ok := at[g.JID]; ok {
			invite := list[i].InviteCode
			list[i] = *g
			if list[i].InviteCode == "" {
				list[i].InviteCode = invite
			}
			continue
		}
		at[g.JID] = len(list)
		list = append(list, *g)
	}
	now := time.Now().UTC()
	return ddb.ForEach(ctx, len(list), func(ctx context.Context, i int) error {
		if err := st.put(ctx, sessionID, &list[i], now); err != nil {
			return fmt.Errorf("group %q: %w", list[i].JID, err)
		}
		return nil
	})
}

// put writes one group: every attribute is set (empty ones removed), the
// invite code only when g has one.
func (st *GroupStore) put(ctx context.Context, sessionID string, g *wagate.Group, now time.Time) error {
	members := make([]memberDoc, len(g.Participants))
	for i, p := range g.Participants {
		members[i] = memberDoc(p)
	}
	av, err := attributevalue.Marshal(members)
	if err != nil {
		return fmt.Errorf("encode members: %w", err)
	}
	var e expr
	u := newUpdate(&e).
		set(attrGSI1PK, sv(gkGroups(sessionID))).set(attrGSI1SK, sv(nameKey(g.Subject, g.JID))).
		set(aSessionID, sv(sessionID)).set(aJID, sv(g.JID)).
		setS("subject", g.Subject).setS("description", g.Description).setS("owner", g.OwnerJID).
		setS(aCreatedAt, fmtTime(g.CreatedAt)).set("announce", bv(g.Announce)).set("locked", bv(g.Locked)).
		set("members", av).set(aUpdatedAt, sv(fmtTime(now)))
	if g.InviteCode != "" {
		u.set(aInvite, sv(g.InviteCode))
	}
	_, err = st.t.updateItem(ctx, &dynamodb.UpdateItemInput{
		Key:                      itemKey{sessionPK(sessionID), groupSK(g.JID)}.av(),
		UpdateExpression:         aws.String(u.String()),
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
	})
	return err
}

// FindGroup returns a session's group.
func (st *GroupStore) FindGroup(ctx context.Context, sessionID, jid string) (*wagate.Group, error) {
	var g *wagate.Group
	it, err := st.t.get(ctx, itemKey{sessionPK(sessionID), groupSK(jid)})
	if it != nil && err == nil {
		g, err = decodeGroup(it)
	}
	if err != nil {
		return nil, fmt.Errorf("find group %q of session %q: %w", jid, sessionID, err)
	}
	if g == nil {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Group %s not found.", jid)
	}
	return g, nil
}

// ListGroups returns a page of a session's groups by subject (a walk of
// gsi1, then the page's items read from the table) and how many the
// session has (a count on the index, bounded by maxCountedTotal).
func (st *GroupStore) ListGroups(ctx context.Context, sessionID string, offset, limit int) ([]*wagate.Group, int, error) {
	w := walk{index: gsi1, pk: gkGroups(sessionID)}
	offset = max(offset, 0)
	entries, err := st.t.page(ctx, w, offset, listLimit(limit))
	if err != nil {
		return nil, 0, fmt.Errorf("list groups of session %q: %w", sessionID, err)
	}
	total, err := st.t.count(ctx, w, maxCountedTotal)
	if err != nil {
		return nil, 0, fmt.Errorf("count groups of session %q: %w", sessionID, err)
	}
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, 0, fmt.Errorf("list groups of session %q: %w", sessionID, err)
	}
	list := make([]*wagate.Group, 0, len(items))
	for _, it := range items {
		g, err := decodeGroup(it)
		if err != nil {
			return nil, 0, fmt.Errorf("list groups of session %q: %w", sessionID, err)
		}
		list = append(list, g)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// DeleteGroup removes a session's group.
func (st *GroupStore) DeleteGroup(ctx context.Context, sessionID, jid string) error {
	var e expr
	_, err := st.t.deleteItem(ctx, &dynamodb.DeleteItemInput{
		Key:                      itemKey{sessionPK(sessionID), groupSK(jid)}.av(),
		ConditionExpression:      aws.String("attribute_exists(" + e.n(attrPK) + ")"),
		ExpressionAttributeNames: e.Names(),
	})
	if isCondFailed(err) {
		return wagate.Errorf(wagate.ENOTFOUND, "Group %s not found.", jid)
	}
	if err != nil {
		return fmt.Errorf("delete group %q of session %q: %w", jid, sessionID, err)
	}
	return nil
}

// DeleteSessionGroups removes every group of a session: a strongly
// consistent query of the session's partition, then batched deletes.
func (st *GroupStore) DeleteSessionGroups(ctx context.Context, sessionID string) error {
	if err := deletePrefix(ctx, st.t, sessionID, preGroup); err != nil {
		return fmt.Errorf("delete groups of session %q: %w", sessionID, err)
	}
	return nil
}

// deletePrefix deletes the items of the session's partition whose sort key
// begins with prefix.
func deletePrefix(ctx context.Context, t *Table, sessionID, prefix string) error {
	var keys []itemKey
	err := t.each(ctx, walk{pk: sessionPK(sessionID), prefix: prefix}, 0, func(it item) bool {
		keys = append(keys, keyOf(it))
		return true
	})
	if err != nil {
		return err
	}
	return t.batchDelete(ctx, keys)
}

func decodeGroup(raw item) (*wagate.Group, error) {
	var it groupItem
	if err := attributevalue.UnmarshalMap(raw, &it); err != nil {
		return nil, fmt.Errorf("decode group: %w", err)
	}
	g := &wagate.Group{
		SessionID: it.SessionID, JID: it.JID, Subject: it.Subject, Description: it.Description, OwnerJID: it.OwnerJID,
		Announce: it.Announce, Locked: it.Locked, InviteCode: it.InviteCode,
		Participants: make([]wagate.GroupParticipant, len(it.Participants)),
	}
	for i, p := range it.Participants {
		g.Participants[i] = wagate.GroupParticipant(p)
	}
	var err1, err2 error
	g.CreatedAt, err1 = parseTime(it.CreatedAt)
	g.UpdatedAt, err2 = parseTime(it.UpdatedAt)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("decode group %q: %w", it.JID, err)
	}
	return g, nil
}
