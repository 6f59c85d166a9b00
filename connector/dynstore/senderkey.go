package dynstore

import (
	"context"
	"errors"
	"fmt"
)

// errNullKey mirrors sqlstore's NOT NULL constraints on key material.
var errNullKey = errors.New("key material must not be nil")

// PutSenderKey stores the sender key of user in group.
func (s *Store) PutSenderKey(ctx context.Context, group, user string, session []byte) error {
	if session == nil {
		return fmt.Errorf("put sender key %s in %s: %w", user, group, errNullKey)
	}
	it := s.item(senderKeySK(user, group))
	setB(it, aKey, session)
	if err := s.t.put(ctx, it); err != nil {
		return fmt.Errorf("put sender key %s in %s: %w", user, group, err)
	}
	return nil
}

// GetSenderKey returns the sender key of user in group, or nil.
func (s *Store) GetSenderKey(ctx context.Context, group, user string) ([]byte, error) {
	it, err := s.t.get(ctx, s.key(senderKeySK(user, group)))
	if err != nil {
		return nil, fmt.Errorf("get sender key %s in %s: %w", user, group, err)
	}
	return getB(it, aKey), nil
}
