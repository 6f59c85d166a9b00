package dynstore

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// Attributes of privacy tokens.
const (
	aToken   = "tok"
	aTokenTS = "ts" // unix seconds
)

// PutPrivacyTokens stores tokens (the last one of a repeated user wins).
func (s *Store) PutPrivacyTokens(ctx context.Context, tokens ...store.PrivacyToken) error {
	if len(tokens) == 0 {
		return nil
	}
	items := make([]item, len(tokens))
	for i, tok := range tokens {
		if tok.Token == nil {
			return fmt.Errorf("put privacy token of %s: %w", tok.User, errNullKey)
		}
		it := s.item(privacySK(tok.User.ToNonAD().String()))
		setB(it, aToken, tok.Token)
		it[aTokenTS] = nv(tok.Timestamp.Unix())
		items[i] = it
	}
	err := s.t.atomic(ctx, true, func(ctx context.Context) error { return s.t.putMany(ctx, lastByKey(items)) })
	if err != nil {
		return fmt.Errorf("put %d privacy tokens: %w", len(tokens), err)
	}
	return nil
}

// GetPrivacyToken returns the newest privacy token of user or of its other
// identity (phone number ↔ LID, through the LID map), or nil.
func (s *Store) GetPrivacyToken(ctx context.Context, user types.JID) (*store.PrivacyToken, error) {
	nonAD := user.ToNonAD()
	jids, err := s.withAlt(ctx, nonAD.String())
	if err != nil {
		return nil, fmt.Errorf("get privacy token of %s: %w", user, err)
	}
	keys := make([]itemKey, len(jids))
	for i, j := range jids {
		keys[i] = s.key(privacySK(j))
	}
	found, err := s.t.getMany(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("get privacy token of %s: %w", user, err)
	}
	var best item
	var bestTS int64
	for _, k := range keys {
		it, ok := found[k]
		if !ok {
			continue
		}
		ts, err := getN(it, aTokenTS)
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
	return &store.PrivacyToken{User: nonAD, Token: getB(best, aToken), Timestamp: time.Unix(bestTS, 0)}, nil
}
