package dynstore

import (
	"context"
	"sync"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// Store holds the data of one device: it implements every session-specific
// store interface of whatsmeow, as sqlstore.SQLStore does.
type Store struct {
	c   *Container
	t   *table
	jid string // the device JID, as sqlstore's our_jid
	pk  string // the device partition

	preKeyLock sync.Mutex // serialises pre-key generation and upload marks

	migratedMu sync.Mutex
	migrated   map[string]bool // phone numbers whose sessions were moved to their LID
}

var (
	_ store.AllSessionSpecificStores = (*Store)(nil)
	_ store.IdentityStore            = (*Store)(nil)
	_ store.SessionStore             = (*Store)(nil)
	_ store.PreKeyStore              = (*Store)(nil)
	_ store.SenderKeyStore           = (*Store)(nil)
	_ store.AppStateSyncKeyStore     = (*Store)(nil)
	_ store.AppStateStore            = (*Store)(nil)
	_ store.ContactStore             = (*Store)(nil)
	_ store.ChatSettingsStore        = (*Store)(nil)
	_ store.MsgSecretStore           = (*Store)(nil)
	_ store.PrivacyTokenStore        = (*Store)(nil)
	_ store.EventBuffer              = (*Store)(nil)
	_ store.LIDStore                 = (*LIDMap)(nil)
	_ store.AllGlobalStores          = (*LIDMap)(nil)
)

// newStore returns the store of the device jid.
func newStore(c *Container, jid types.JID) *Store {
	s := jid.String()
	return &Store{c: c, t: c.t, jid: s, pk: devicePK(s), migrated: map[string]bool{}}
}

// key returns the key of the device's item with sort key sk.
func (s *Store) key(sk string) itemKey { return itemKey{s.pk, sk} }

// item returns a new item of the device with sort key sk.
func (s *Store) item(sk string) item { return newItem(s.key(sk)) }

// prefixed reads the device's items whose sort key starts with prefix.
func (s *Store) prefixed(ctx context.Context, prefix string) ([]item, error) {
	return s.t.items(ctx, rangeQ{pk: s.pk, prefix: prefix})
}

// deletePrefix deletes the device's items whose sort key starts with prefix
// (atomically when they fit in one transaction).
func (s *Store) deletePrefix(ctx context.Context, prefix string) error {
	return s.t.atomic(ctx, true, func(ctx context.Context) error {
		items, err := s.prefixed(ctx, prefix)
		if err != nil {
			return err
		}
		keys := make([]itemKey, len(items))
		for i, it := range items {
			keys[i] = keyOf(it)
		}
		return s.t.delMany(ctx, keys)
	})
}
