package dynstore

import (
	"context"
	"fmt"
)

// aSession holds a Signal session record (absent: stored as NULL).
const aSession = "sess"

// GetSession returns the session with address; nil when there is none.
func (s *Store) GetSession(ctx context.Context, address string) ([]byte, error) {
	it, err := s.t.get(ctx, s.key(sessionSK(address)))
	if err != nil {
		return nil, fmt.Errorf("get session %s: %w", address, err)
	}
	return getB(it, aSession), nil
}

// HasSession reports whether a session with address is stored.
func (s *Store) HasSession(ctx context.Context, address string) (bool, error) {
	it, err := s.t.get(ctx, s.key(sessionSK(address)))
	if err != nil {
		return false, fmt.Errorf("get session %s: %w", address, err)
	}
	return it != nil, nil
}

// GetManySessions returns the sessions of addresses (nil for each unknown
// one), or nil for no addresses.
func (s *Store) GetManySessions(ctx context.Context, addresses []string) (map[string][]byte, error) {
	if len(addresses) == 0 {
		return nil, nil
	}
	keys := make([]itemKey, len(addresses))
	for i, a := range addresses {
		keys[i] = s.key(sessionSK(a))
	}
	found, err := s.t.getMany(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("get %d sessions: %w", len(addresses), err)
	}
	out := make(map[string][]byte, len(addresses))
	for i, a := range addresses {
		out[a] = getB(found[keys[i]], aSession)
	}
	return out, nil
}

func (s *Store) sessionItem(address string, session []byte) item {
	it := s.item(sessionSK(address))
	setB(it, aSession, session)
	return it
}

// PutSession stores session for address.
func (s *Store) PutSession(ctx context.Context, address string, session []byte) error {
	if err := s.t.put(ctx, s.sessionItem(address, session)); err != nil {
		return fmt.Errorf("put session %s: %w", address, err)
	}
	return nil
}

// PutManySessions stores sessions, atomically when they fit in one
// transaction (100 items), in batches otherwise.
func (s *Store) PutManySessions(ctx context.Context, sessions map[string][]byte) error {
	err := s.t.atomic(ctx, true, func(ctx context.Context) error {
		items := make([]item, 0, len(sessions))
		for addr, sess := range sessions {
			items = append(items, s.sessionItem(addr, sess))
		}
		return s.t.putMany(ctx, items)
	})
	if err != nil {
		return fmt.Errorf("put %d sessions: %w", len(sessions), err)
	}
	return nil
}

// DeleteAllSessions deletes the sessions with every device of phone.
func (s *Store) DeleteAllSessions(ctx context.Context, phone string) error {
	if err := s.deletePrefix(ctx, sessionSK(phone+":")); err != nil {
		return fmt.Errorf("delete sessions of %s: %w", phone, err)
	}
	return nil
}

// DeleteSession deletes the session with address.
func (s *Store) DeleteSession(ctx context.Context, address string) error {
	if err := s.t.del(ctx, s.key(sessionSK(address))); err != nil {
		return fmt.Errorf("delete session %s: %w", address, err)
	}
	return nil
}
