package dynstore

import (
	"context"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/types"
)

// MigratePNToLID moves the sessions, identity keys and sender keys of
// every device of phone number pn to the same devices of lid, replacing
// what lid already had, as sqlstore does: the Signal address user part pn
// is replaced by lid's. It runs once per phone number and store; the move
// is one transaction when it fits (100 items), else copies first, then
// deletes.
func (s *Store) MigratePNToLID(ctx context.Context, pn, lid types.JID) error {
	pnSignal := pn.SignalAddressUser()
	s.migratedMu.Lock()
	done := s.migrated[pnSignal]
	s.migrated[pnSignal] = true
	s.migratedMu.Unlock()
	if done {
		return nil
	}
	lidSignal := lid.SignalAddressUser()
	var moved [3]int
	err := s.t.atomic(ctx, true, func(ctx context.Context) error {
		moved = [3]int{}
		for i, prefix := range []string{preSession, preIdentity, preSenderKey} {
			n, err := s.moveAddresses(ctx, prefix, pnSignal, lidSignal)
			if err != nil {
				return err
			}
			moved[i] = n
		}
		return nil
	})
	if err != nil {
		s.migratedMu.Lock()
		delete(s.migrated, pnSignal)
		s.migratedMu.Unlock()
		return fmt.Errorf("migrate %s to %s: %w", pnSignal, lidSignal, err)
	}
	if moved != [3]int{} {
		s.c.log.Infof("Migrated %d sessions, %d identity keys and %d sender keys from %s to %s", moved[0], moved[1], moved[2], pnSignal, lidSignal)
	} else {
		s.c.log.Debugf("No sessions or sender keys found to migrate from %s to %s", pnSignal, lidSignal)
	}
	return nil
}

// moveAddresses rewrites the items under prefix whose address starts with
// "<from>:" to the address with from replaced by to (every occurrence, as
// SQL replace() does) and deletes the originals. Sender-key sort keys carry
// the chat after the address; it is kept.
func (s *Store) moveAddresses(ctx context.Context, prefix, from, to string) (int, error) {
	items, err := s.prefixed(ctx, prefix+from+":")
	if err != nil {
		return 0, err
	}
	var puts []item
	var dels []itemKey
	for _, it := range items {
		k := keyOf(it)
		addr, rest := strings.TrimPrefix(k.sk, prefix), ""
		if prefix == preSenderKey {
			addr, rest, _ = strings.Cut(addr, "#")
			rest = "#" + rest
		}
		moved := cloneItem(it)
		delete(moved, attrRev)
		moved[attrSK] = sv(prefix + strings.ReplaceAll(addr, from, to) + rest)
		puts = append(puts, moved)
		dels = append(dels, k)
	}
	// Upsert the copies, then delete the originals, as sqlstore does.
	if err := s.t.putMany(ctx, puts); err != nil {
		return 0, err
	}
	if err := s.t.delMany(ctx, dels); err != nil {
		return 0, err
	}
	return len(puts), nil
}
