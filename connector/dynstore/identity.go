package dynstore

import (
	"context"
	"fmt"
)

// aKey holds the key of identity, pre-key, sender-key and message-secret
// items.
const aKey = "key"

// PutIdentity stores the identity key of address.
func (s *Store) PutIdentity(ctx context.Context, address string, key [32]byte) error {
	it := s.item(identitySK(address))
	it[aKey] = bv(key[:])
	if err := s.t.put(ctx, it); err != nil {
		return fmt.Errorf("put identity %s: %w", address, err)
	}
	return nil
}

// DeleteAllIdentities deletes the identity keys of every device of phone
// (addresses "<phone>:<device>").
func (s *Store) DeleteAllIdentities(ctx context.Context, phone string) error {
	if err := s.deletePrefix(ctx, identitySK(phone+":")); err != nil {
		return fmt.Errorf("delete identities of %s: %w", phone, err)
	}
	return nil
}

// DeleteIdentity deletes the identity key of address.
func (s *Store) DeleteIdentity(ctx context.Context, address string) error {
	if err := s.t.del(ctx, s.key(identitySK(address))); err != nil {
		return fmt.Errorf("delete identity %s: %w", address, err)
	}
	return nil
}

// IsTrustedIdentity reports whether key is the stored identity of address;
// an unknown address is trusted.
func (s *Store) IsTrustedIdentity(ctx context.Context, address string, key [32]byte) (bool, error) {
	it, err := s.t.get(ctx, s.key(identitySK(address)))
	if err != nil {
		return false, fmt.Errorf("get identity %s: %w", address, err)
	}
	if it == nil {
		return true, nil
	}
	stored := getB(it, aKey)
	if len(stored) != 32 {
		return false, ErrInvalidLength
	}
	return [32]byte(stored) == key, nil
}
