package dynstore

import (
	"context"
	"errors"
	"fmt"

	"go.mau.fi/whatsmeow/store"
)

// Attributes of app-state versions and mutation MACs.
const (
	aVersion  = "ver"
	aHash     = "hash"
	aValueMAC = "vmac"
)

// ErrNoAppStateVersion is returned by PutAppStateMutationMACs when the
// state has no version stored (sqlstore's foreign key refuses it too).
var ErrNoAppStateVersion = errors.New("app state has no stored version")

// PutAppStateVersion stores the version and hash of the app state name.
func (s *Store) PutAppStateVersion(ctx context.Context, name string, version uint64, hash [128]byte) error {
	it := s.item(asVersionSK(name))
	it[aVersion] = uv(version)
	it[aHash] = bv(hash[:])
	if err := s.t.put(ctx, it); err != nil {
		return fmt.Errorf("put app-state version %s: %w", name, err)
	}
	return nil
}

// GetAppStateVersion returns the version and hash of the app state name;
// zero values when none is stored.
func (s *Store) GetAppStateVersion(ctx context.Context, name string) (version uint64, hash [128]byte, err error) {
	it, err := s.t.get(ctx, s.key(asVersionSK(name)))
	if err != nil {
		return 0, hash, fmt.Errorf("get app-state version %s: %w", name, err)
	}
	if it == nil {
		return 0, hash, nil
	}
	if version, err = getU(it, aVersion); err != nil {
		return 0, hash, err
	}
	h := getB(it, aHash)
	if len(h) != 128 {
		return version, hash, ErrInvalidLength
	}
	return version, [128]byte(h), nil
}

// DeleteAppStateVersion deletes the version of the app state name and,
// like sqlstore's cascading foreign key, all its mutation MACs.
func (s *Store) DeleteAppStateVersion(ctx context.Context, name string) error {
	err := s.t.atomic(ctx, true, func(ctx context.Context) error {
		macs, err := s.prefixed(ctx, asMACNamePrefix(name))
		if err != nil {
			return err
		}
		keys := []itemKey{s.key(asVersionSK(name))}
		for _, it := range macs {
			keys = append(keys, keyOf(it))
		}
		return s.t.delMany(ctx, keys)
	})
	if err != nil {
		return fmt.Errorf("delete app-state version %s: %w", name, err)
	}
	return nil
}

// PutAppStateMutationMACs stores the MACs of mutations at version of the
// app state name, whose version must be stored already.
func (s *Store) PutAppStateMutationMACs(ctx context.Context, name string, version uint64, mutations []store.AppStateMutationMAC) error {
	if len(mutations) == 0 {
		return nil
	}
	items := make([]item, len(mutations))
	for i, m := range mutations {
		if len(m.IndexMAC) != 32 || len(m.ValueMAC) != 32 {
			return fmt.Errorf("put app-state MACs of %s: %w", name, ErrInvalidLength)
		}
		it := s.item(asMACSK(name, m.IndexMAC, version))
		it[aValueMAC] = bv(m.ValueMAC)
		items[i] = it
	}
	err := s.t.atomic(ctx, true, func(ctx context.Context) error {
		cur, err := s.t.get(ctx, s.key(asVersionSK(name)))
		if err != nil {
			return err
		}
		if cur == nil {
			return ErrNoAppStateVersion
		}
		return s.t.putMany(ctx, items)
	})
	if err != nil {
		return fmt.Errorf("put %d app-state MACs of %s: %w", len(mutations), name, err)
	}
	return nil
}

// DeleteAppStateMutationMACs deletes the MACs with indexMACs (at every
// version) of the app state name.
func (s *Store) DeleteAppStateMutationMACs(ctx context.Context, name string, indexMACs [][]byte) error {
	if len(indexMACs) == 0 {
		return nil
	}
	err := s.t.atomic(ctx, true, func(ctx context.Context) error {
		var keys []itemKey
		for _, idx := range indexMACs {
			macs, err := s.prefixed(ctx, asMACIndexPrefix(name, idx))
			if err != nil {
				return err
			}
			for _, it := range macs {
				keys = append(keys, keyOf(it))
			}
		}
		return s.t.delMany(ctx, keys)
	})
	if err != nil {
		return fmt.Errorf("delete %d app-state MACs of %s: %w", len(indexMACs), name, err)
	}
	return nil
}

// GetAppStateMutationMAC returns the value MAC of indexMAC at its newest
// version in the app state name, or nil.
func (s *Store) GetAppStateMutationMAC(ctx context.Context, name string, indexMAC []byte) ([]byte, error) {
	macs, err := s.prefixed(ctx, asMACIndexPrefix(name, indexMAC))
	if err != nil {
		return nil, fmt.Errorf("get app-state MAC of %s: %w", name, err)
	}
	if len(macs) == 0 {
		return nil, nil
	}
	return getB(macs[len(macs)-1], aValueMAC), nil
}
