package dynstore

import (
	"context"
	"encoding/hex"
	"fmt"

	"go.mau.fi/whatsmeow/store"
)

// Attributes of app-state sync keys.
const (
	aData        = "data"
	aTimestamp   = "ts"
	aFingerprint = "fp"
)

// PutAppStateSyncKey stores key under id unless a key with id and a
// timestamp at least as new is stored already.
func (s *Store) PutAppStateSyncKey(ctx context.Context, id []byte, key store.AppStateSyncKey) error {
	if key.Data == nil || key.Fingerprint == nil {
		return fmt.Errorf("put app-state sync key %x: %w", id, errNullKey)
	}
	err := s.t.atomic(ctx, false, func(ctx context.Context) error {
		k := s.key(syncKeySK(id))
		cur, err := s.t.get(ctx, k)
		if err != nil {
			return err
		}
		if cur != nil {
			ts, err := getN(cur, aTimestamp)
			if err != nil {
				return err
			}
			if key.Timestamp <= ts {
				return nil
			}
		}
		it := newItem(k)
		setB(it, aData, key.Data)
		setB(it, aFingerprint, key.Fingerprint)
		it[aTimestamp] = nv(key.Timestamp)
		return s.t.put(ctx, it)
	})
	if err != nil {
		return fmt.Errorf("put app-state sync key %x: %w", id, err)
	}
	return nil
}

func decodeSyncKey(it item) (*store.AppStateSyncKey, error) {
	ts, err := getN(it, aTimestamp)
	if err != nil {
		return nil, err
	}
	return &store.AppStateSyncKey{Data: getB(it, aData), Fingerprint: getB(it, aFingerprint), Timestamp: ts}, nil
}

// GetAppStateSyncKey returns the sync key id, or nil.
func (s *Store) GetAppStateSyncKey(ctx context.Context, id []byte) (*store.AppStateSyncKey, error) {
	it, err := s.t.get(ctx, s.key(syncKeySK(id)))
	if err != nil {
		return nil, fmt.Errorf("get app-state sync key %x: %w", id, err)
	}
	if it == nil {
		return nil, nil
	}
	return decodeSyncKey(it)
}

// GetLatestAppStateSyncKeyID returns the id of the sync key with the
// newest timestamp (of equal ones, the smallest id), or nil.
func (s *Store) GetLatestAppStateSyncKeyID(ctx context.Context) ([]byte, error) {
	all, err := s.prefixed(ctx, preSyncKey)
	if err != nil {
		return nil, fmt.Errorf("query app-state sync keys: %w", err)
	}
	var best item
	var bestTS int64
	for _, it := range all {
		ts, err := getN(it, aTimestamp)
		if err != nil {
			return nil, err
		}
		if best == nil || ts > bestTS {
			best, bestTS = it, ts
		}
	}
	if best == nil {
		return nil, nil
	}
	id, err := hex.DecodeString(getS(best, attrSK)[len(preSyncKey):])
	if err != nil {
		return nil, fmt.Errorf("app-state sync key %s: %w", keyOf(best), err)
	}
	if len(id) == 0 {
		return nil, nil // an empty id reads back as NULL from sqlstore too
	}
	return id, nil
}
