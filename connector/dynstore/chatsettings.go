package dynstore

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// Attributes of chat settings; absent ones hold sqlstore's defaults (0,
// false, false).
const (
	aMutedUntil = "mute" // unix seconds; -1 forever; 0 not muted
	aPinned     = "pin"
	aArchived   = "arch"
)

func (s *Store) putChatSetting(ctx context.Context, chat types.JID, attr string, v item) error {
	if _, err := s.t.edit(ctx, s.key(chatSK(chat.String())), edit{set: v}); err != nil {
		return fmt.Errorf("put chat setting %s of %s: %w", attr, chat, err)
	}
	return nil
}

// PutMutedUntil stores until when chat is muted (store.MutedForever:
// forever; the zero time: not muted).
func (s *Store) PutMutedUntil(ctx context.Context, chat types.JID, mutedUntil time.Time) error {
	var val int64
	if mutedUntil == store.MutedForever {
		val = -1
	} else if !mutedUntil.IsZero() {
		val = mutedUntil.Unix()
	}
	return s.putChatSetting(ctx, chat, aMutedUntil, item{aMutedUntil: nv(val)})
}

// PutPinned stores whether chat is pinned.
func (s *Store) PutPinned(ctx context.Context, chat types.JID, pinned bool) error {
	return s.putChatSetting(ctx, chat, aPinned, item{aPinned: boolv(pinned)})
}

// PutArchived stores whether chat is archived.
func (s *Store) PutArchived(ctx context.Context, chat types.JID, archived bool) error {
	return s.putChatSetting(ctx, chat, aArchived, item{aArchived: boolv(archived)})
}

// GetChatSettings returns the settings of chat (Found false when none).
func (s *Store) GetChatSettings(ctx context.Context, chat types.JID) (types.LocalChatSettings, error) {
	var settings types.LocalChatSettings
	it, err := s.t.get(ctx, s.key(chatSK(chat.String())))
	if err != nil {
		return settings, fmt.Errorf("get chat settings of %s: %w", chat, err)
	}
	if it == nil {
		return settings, nil
	}
	muted, err := getN(it, aMutedUntil)
	if err != nil {
		return settings, err
	}
	settings.Found = true
	settings.Pinned = getBool(it, aPinned)
	settings.Archived = getBool(it, aArchived)
	if muted < 0 {
		settings.MutedUntil = store.MutedForever
	} else if muted > 0 {
		settings.MutedUntil = time.Unix(muted, 0)
	}
	return settings, nil
}
