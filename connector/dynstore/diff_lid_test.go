package dynstore_test

import (
	"fmt"
	"slices"
	"testing"

	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
)

// lids returns the LID map to use: dynstore's, or — for sqlstore — a
// fresh CachedLIDMap on the same database. sqlstore's cache keeps a phone
// number's former LID after a remap, answers with it, and skips writes it
// believes are there already; a fresh map makes the reference what
// sqlstore's database semantics are (docs/aws-devicestore.md).
func (p *pair) lids(s *side) store.LIDStore { return s.lids() }

func (s *side) lids() store.LIDStore {
	if s.refDB != nil {
		return sqlstore.NewWithDB(s.refDB, "sqlite", nil).LIDMap
	}
	return s.dev.LIDs
}

// TestDiffLIDMap: put one and many (invalid entries skipped, remaps drop
// the former partners, more than one transaction's worth), get both ways
// keeping the device, get many.
func TestDiffLIDMap(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	pns := []string{"111", "222", "333", "444"}
	lidUsers := []string{"999", "998", "997", "996"}
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			m := p.lids(s)
			var out []string
			for i := range pns {
				l, err := m.GetLIDForPN(bg, types.JID{User: pns[i], Server: types.DefaultUserServer, Device: uint16(i)})
				if err != nil {
					return nil, err
				}
				n, err := m.GetPNForLID(bg, types.JID{User: lidUsers[i], Server: types.HiddenUserServer, Device: uint16(i)})
				if err != nil {
					return nil, err
				}
				out = append(out, jidStr(l)+" "+jidStr(n))
			}
			var query []types.JID
			for _, pn := range pns {
				query = append(query, pnJID(pn))
			}
			query = append(query, lidJID("999"), pnJID("555"))
			many, err := m.GetManyLIDsForPNs(bg, query)
			if err != nil {
				return nil, err
			}
			return fmt.Sprint(out, many), nil
		})
	}
	state("empty")
	p.same(t, "get many of none", func(s *side) (any, error) {
		m, err := p.lids(s).GetManyLIDsForPNs(bg, nil)
		return m == nil, err
	})
	p.same(t, "wrong server pn", func(s *side) (any, error) { return p.lids(s).GetLIDForPN(bg, lidJID("999")) })
	p.same(t, "wrong server lid", func(s *side) (any, error) { return p.lids(s).GetPNForLID(bg, pnJID("111")) })
	p.same(t, "bad put", func(s *side) (any, error) { return nil, p.lids(s).PutLIDMapping(bg, pnJID("111"), lidJID("999")) })
	p.same(t, "put", func(s *side) (any, error) { return nil, p.lids(s).PutLIDMapping(bg, lidJID("999"), pnJID("111")) })
	p.same(t, "put again", func(s *side) (any, error) { return nil, p.lids(s).PutLIDMapping(bg, lidJID("999"), pnJID("111")) })
	state("one")
	p.same(t, "remap lid", func(s *side) (any, error) { return nil, p.lids(s).PutLIDMapping(bg, lidJID("999"), pnJID("222")) })
	state("lid remapped: 111 has none")
	p.same(t, "remap pn", func(s *side) (any, error) { return nil, p.lids(s).PutLIDMapping(bg, lidJID("998"), pnJID("222")) })
	state("pn remapped: 999 has none")
	p.same(t, "put many", func(s *side) (any, error) {
		return nil, p.lids(s).PutManyLIDMappings(bg, []store.LIDMapping{
			{LID: lidJID("997"), PN: pnJID("333")},
			{LID: pnJID("444"), PN: lidJID("996")}, // invalid: skipped
			{LID: lidJID("996"), PN: pnJID("444")},
			{LID: lidJID("997"), PN: pnJID("333")},
			{LID: lidJID("999"), PN: pnJID("111")},
			{LID: lidJID("995"), PN: pnJID("111")}, // later entry remaps 111
		})
	})
	state("many")
	var bulk []store.LIDMapping
	for i := range 70 {
		bulk = append(bulk, store.LIDMapping{LID: lidJID(fmt.Sprint(7000 + i)), PN: pnJID(fmt.Sprint(5000 + i%60))})
	}
	p.same(t, "put 70", func(s *side) (any, error) { return nil, p.lids(s).PutManyLIDMappings(bg, slices.Clone(bulk)) })
	p.same(t, "70 stored", func(s *side) (any, error) {
		var out []string
		for i := range 60 {
			l, err := p.lids(s).GetLIDForPN(bg, pnJID(fmt.Sprint(5000+i)))
			if err != nil {
				return nil, err
			}
			out = append(out, l.User)
		}
		for i := range 70 {
			n, err := p.lids(s).GetPNForLID(bg, lidJID(fmt.Sprint(7000+i)))
			if err != nil {
				return nil, err
			}
			out = append(out, n.User)
		}
		return out, nil
	})
}

// TestLIDMapKeepsDevices: GetManyLIDsForPNs keeps the device of each phone
// number, as GetLIDForPN does (sqlstore keeps it when answering from its
// cache, drops it when answering from the database).
func TestLIDMapKeepsDevices(t *testing.T) {
	t.Parallel()
	c := newDynContainer(t)
	if err := c.LIDMap.PutLIDMapping(bg, lidJID("999"), pnJID("111")); err != nil {
		t.Fatal(err)
	}
	pn := types.NewADJID("111", 0, 5)
	got, err := c.LIDMap.GetManyLIDsForPNs(bg, []types.JID{pn})
	if err != nil {
		t.Fatal(err)
	}
	if want := (types.JID{User: "999", Device: 5, Server: types.HiddenUserServer}); got[pn] != want {
		t.Errorf("got %v, want %v", got[pn], want)
	}
}
