package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.SessionStore = (*SessionStore)(nil)

// counterSessions names the id counter of sessions.
const counterSessions = "session"

// SessionStore is wagate.SessionStore on the table. Every read goes to the
// table (strongly consistent where DynamoDB allows it): several processes
// write sessions, so nothing is cached.
//
// A session is two items written in one transaction: the record under its
// sessionId, whose conditional put makes the sessionId unique, and an alias
// from the numeric id (allocated by an atomic counter) to the sessionId.
// Updates are optimistic: read, apply (wagate.Session.Apply), write on the
// condition that the version read is still current, retry otherwise.
type SessionStore struct {
	t *Table
}

// NewSessionStore returns the session store of t.
func NewSessionStore(t *Table) *SessionStore { return &SessionStore{t: t} }

// CreateSession stores s, allocating s.ID, s.CreatedAt and s.UpdatedAt.
// Returns ESESSIONEXISTS if the sessionId is taken.
func (st *SessionStore) CreateSession(ctx context.Context, s *wagate.Session) error {
	if s.SessionID == "" {
		return wagate.Errorf(wagate.EINVALID, "sessionId is required")
	}
	row := cloneSession(s)
	id, err := st.t.nextID(ctx, counterSessions)
	if err != nil {
		return fmt.Errorf("create session %q: %w", s.SessionID, err)
	}
	now := time.Now().UTC()
	row.ID, row.CreatedAt, row.UpdatedAt = id, now, now
	rec, err := encodeSession(row, 1)
	if err != nil {
		return fmt.Errorf("create session %q: %w", s.SessionID, err)
	}
	alias, err := encodeSessionAlias(id, row.SessionID)
	if err != nil {
		return fmt.Errorf("create session %q: %w", s.SessionID, err)
	}
	err = st.t.transact(ctx, []types.TransactWriteItem{st.t.putNewAction(rec), st.t.putNewAction(alias)})
	if failedAt(err, 0) {
		return wagate.Errorf(wagate.ESESSIONEXISTS, "Session %s already exists", s.SessionID)
	}
	if err != nil {
		return fmt.Errorf("create session %q: %w", s.SessionID, err)
	}
	s.ID, s.CreatedAt, s.UpdatedAt = row.ID, row.CreatedAt, row.UpdatedAt
	return nil
}

// FindSession returns the session whose sessionId, or else numeric id, is
// key. A numeric key reads the record and the alias in one BatchGetItem.
func (st *SessionStore) FindSession(ctx context.Context, key string) (*wagate.Session, error) {
	s, err := st.find(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("find session %q: %w", key, err)
	}
	if s == nil {
		return nil, wagate.Errorf(wagate.ENOSESSION, "Session %s not found", key)
	}
	return s, nil
}

func (st *SessionStore) find(ctx context.Context, key string) (*wagate.Session, error) {
	if key == "" {
		return nil, nil
	}
	rec := itemKey{sessionPK(key), skSession}
	id, numeric := parseID(key)
	if !numeric {
		s, _, err := st.get(ctx, key)
		return s, err
	}
	alias := itemKey{sessionAliasPK(id), skAlias}
	found, err := st.t.batchGet(ctx, []itemKey{rec, alias})
	if err != nil {
		return nil, err
	}
	if it, ok := found[rec]; ok {
		s, _, err := decodeSession(it)
		return s, err
	}
	a, ok := found[alias]
	if !ok {
		return nil, nil
	}
	s, _, err := st.get(ctx, getS(a, aSessionID))
	if s == nil || err != nil || s.ID != id { // a stale alias of a deleted session
		return nil, err
	}
	return s, nil
}

// get reads the record of sessionID and its version; nil if there is none.
func (st *SessionStore) get(ctx context.Context, sessionID string) (*wagate.Session, int64, error) {
	it, err := st.t.get(ctx, itemKey{sessionPK(sessionID), skSession})
	if it == nil || err != nil {
		return nil, 0, err
	}
	return decodeSession(it)
}

// UpdateSession applies upd to the session with this sessionId.
func (st *SessionStore) UpdateSession(ctx context.Context, sessionID string, upd wagate.SessionUpdate) (*wagate.Session, error) {
	for attempt := 0; ; attempt++ {
		s, ver, err := st.get(ctx, sessionID)
		if err != nil {
			return nil, fmt.Errorf("update session %q: %w", sessionID, err)
		}
		if s == nil {
			return nil, wagate.Errorf(wagate.ENOSESSION, "Session %s not found", sessionID)
		}
		s.Apply(upd)
		// Strictly after the last update, even if this clock lags the last writer's.
		s.UpdatedAt = later(time.Now().UTC(), s.UpdatedAt)
		err = st.put(ctx, s, ver)
		if err == nil {
			return s, nil
		}
		if !isCondFailed(err) || attempt >= maxRetries {
			return nil, fmt.Errorf("update session %q: %w", sessionID, err)
		}
		if err := backoff(ctx, attempt+1); err != nil {
			return nil, fmt.Errorf("update session %q: %w", sessionID, err)
		}
	}
}

// put writes s as version ver+1 if the stored record is still version ver.
func (st *SessionStore) put(ctx context.Context, s *wagate.Session, ver int64) error {
	it, err := encodeSession(s, ver+1)
	if err != nil {
		return err
	}
	var e expr
	return st.t.putItem(ctx, &dynamodb.PutItemInput{
		Item:                      it,
		ConditionExpression:       aws.String(e.eq(aVersion, nv(ver))),
		ExpressionAttributeNames:  e.Names(),
		ExpressionAttributeValues: e.Values(),
	})
}

// DeleteSession removes the session with this sessionId and its alias.
func (st *SessionStore) DeleteSession(ctx context.Context, sessionID string) error {
	for attempt := 0; ; attempt++ {
		s, ver, err := st.get(ctx, sessionID)
		if err != nil {
			return fmt.Errorf("delete session %q: %w", sessionID, err)
		}
		if s == nil {
			return wagate.Errorf(wagate.ENOSESSION, "Session %s not found", sessionID)
		}
		var e expr
		err = st.t.transact(ctx, []types.TransactWriteItem{
			st.t.deleteAction(itemKey{sessionPK(sessionID), skSession}, e.eq(aVersion, nv(ver)), &e),
			st.t.deleteAction(itemKey{sessionAliasPK(s.ID), skAlias}, "", nil),
		})
		if err == nil {
			return nil
		}
		if !isCondFailed(err) || attempt >= maxRetries {
			return fmt.Errorf("delete session %q: %w", sessionID, err)
		}
	}
}

// later returns t, or just after floor when t is not after it.
func later(t, floor time.Time) time.Time {
	if !t.After(floor) {
		return floor.Add(time.Microsecond)
	}
	return t
}

// cloneSession returns a copy of s that shares no memory with it.
// An empty event list is stored as none, so it reads back nil.
func cloneSession(s *wagate.Session) *wagate.Session {
	c := s.Clone()
	if len(c.Webhook.Events) == 0 {
		c.Webhook.Events = nil
	}
	return c
}
