package dynstore

import (
	"context"
	"fmt"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// Attributes of the two items of a LID↔phone mapping: the item of the LID
// names the phone number, the item of the phone number names the LID.
const (
	aMapPN  = "pn"
	aMapLID = "lid"
)

// lidMappingsPerTxn bounds the mappings PutManyLIDMappings writes per
// transaction (each touches at most four items).
const lidMappingsPerTxn = 25

// LIDMap is the LID↔phone-number map of every device of a table (like
// sqlstore's CachedLIDMap, without the cache: other processes write it
// too). A phone number maps to at most one LID and back.
type LIDMap struct {
	t *table
}

// GetLIDForPN returns the LID of the phone-number JID pn (keeping its
// device), or the empty JID.
func (m *LIDMap) GetLIDForPN(ctx context.Context, pn types.JID) (types.JID, error) {
	if pn.Server != types.DefaultUserServer {
		return types.JID{}, fmt.Errorf("invalid GetLIDForPN call with non-PN JID %s", pn)
	}
	return m.lookup(ctx, lidMapKeyByPN(pn.User), aMapLID, pn, types.HiddenUserServer)
}

// GetPNForLID returns the phone-number JID of lid (keeping its device), or
// the empty JID.
func (m *LIDMap) GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error) {
	if lid.Server != types.HiddenUserServer {
		return types.JID{}, fmt.Errorf("invalid GetPNForLID call with non-LID JID %s", lid)
	}
	return m.lookup(ctx, lidMapKeyByLID(lid.User), aMapPN, lid, types.DefaultUserServer)
}

func (m *LIDMap) lookup(ctx context.Context, k itemKey, attr string, source types.JID, server string) (types.JID, error) {
	it, err := m.t.get(ctx, k)
	if err != nil {
		return types.JID{}, fmt.Errorf("look up %s: %w", source, err)
	}
	user := getS(it, attr)
	if user == "" {
		return types.JID{}, nil
	}
	return types.JID{User: user, Device: source.Device, Server: server}, nil
}

// GetManyLIDsForPNs returns the LIDs of the phone-number JIDs in pns that
// have one (other JIDs are ignored), keeping their devices; nil for none.
func (m *LIDMap) GetManyLIDsForPNs(ctx context.Context, pns []types.JID) (map[types.JID]types.JID, error) {
	if len(pns) == 0 {
		return nil, nil
	}
	var keys []itemKey
	for _, pn := range pns {
		if pn.Server == types.DefaultUserServer {
			keys = append(keys, lidMapKeyByPN(pn.User))
		}
	}
	found, err := m.t.getMany(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("look up %d LIDs: %w", len(keys), err)
	}
	out := make(map[types.JID]types.JID, len(pns))
	for _, pn := range pns {
		if pn.Server != types.DefaultUserServer {
			continue
		}
		if lid := getS(found[lidMapKeyByPN(pn.User)], aMapLID); lid != "" {
			out[pn] = types.JID{User: lid, Device: pn.Device, Server: types.HiddenUserServer}
		}
	}
	return out, nil
}

// PutLIDMapping maps lid to the phone-number JID pn and back, dropping the
// mappings either had before.
func (m *LIDMap) PutLIDMapping(ctx context.Context, lid, pn types.JID) error {
	if lid.Server != types.HiddenUserServer || pn.Server != types.DefaultUserServer {
		return fmt.Errorf("invalid PutLIDMapping call %s/%s", lid, pn)
	}
	err := m.t.atomic(ctx, false, func(ctx context.Context) error { return m.put(ctx, lid.User, pn.User) })
	if err != nil {
		return fmt.Errorf("put LID mapping %s/%s: %w", lid, pn, err)
	}
	return nil
}

// PutManyLIDMappings stores mappings in order (invalid ones are skipped),
// 25 per transaction.
func (m *LIDMap) PutManyLIDMappings(ctx context.Context, mappings []store.LIDMapping) error {
	valid := make([]store.LIDMapping, 0, len(mappings))
	seen := map[store.LIDMapping]bool{}
	for _, mp := range mappings {
		if mp.LID.Server != types.HiddenUserServer || mp.PN.Server != types.DefaultUserServer || seen[mp] {
			continue
		}
		seen[mp] = true
		valid = append(valid, mp)
	}
	for start := 0; start < len(valid); start += lidMappingsPerTxn {
		chunk := valid[start:min(start+lidMappingsPerTxn, len(valid))]
		err := m.t.atomic(ctx, false, func(ctx context.Context) error {
			if x := txnFrom(ctx, m.t); x != nil {
				keys := make([]itemKey, 0, 2*len(chunk))
				for _, mp := range chunk {
					keys = append(keys, lidMapKeyByLID(mp.LID.User), lidMapKeyByPN(mp.PN.User))
				}
				if err := x.prefetch(ctx, keys); err != nil {
					return err
				}
			}
			for _, mp := range chunk {
				if err := m.put(ctx, mp.LID.User, mp.PN.User); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("put %d LID mappings: %w", len(chunk), err)
		}
	}
	return nil
}

// put maps lid and pn (user parts) to each other inside a transaction,
// removing the mapping of pn's former LID and of lid's former phone
// number.
func (m *LIDMap) put(ctx context.Context, lid, pn string) error {
	byLID, err := m.t.get(ctx, lidMapKeyByLID(lid))
	if err != nil {
		return err
	}
	byPN, err := m.t.get(ctx, lidMapKeyByPN(pn))
	if err != nil {
		return err
	}
	oldPN, oldLID := getS(byLID, aMapPN), getS(byPN, aMapLID)
	if oldPN == pn && oldLID == lid {
		return nil
	}
	if oldPN != "" && oldPN != pn {
		if err := m.t.del(ctx, lidMapKeyByPN(oldPN)); err != nil {
			return err
		}
	}
	if oldLID != "" && oldLID != lid {
		if err := m.t.del(ctx, lidMapKeyByLID(oldLID)); err != nil {
			return err
		}
	}
	l := newItem(lidMapKeyByLID(lid))
	l[aMapPN] = sv(pn)
	p := newItem(lidMapKeyByPN(pn))
	p[aMapLID] = sv(lid)
	if err := m.t.put(ctx, l); err != nil {
		return err
	}
	return m.t.put(ctx, p)
}
