package dynstore_test

import (
	"fmt"
	"testing"

	"go.mau.fi/whatsmeow/util/keys"
)

// preKeyIDs remembers the public keys s handed out and returns their ids.
func preKeyIDs(s *side, ks []*keys.PreKey) []uint32 {
	ids := make([]uint32, len(ks))
	for i, k := range ks {
		ids[i] = k.KeyID
		if prev, ok := s.preKey[k.KeyID]; ok && prev != *k.Pub {
			ids[i] += 1 << 30 // same id, different key: make the results differ
		}
		s.preKey[k.KeyID] = *k.Pub
	}
	return ids
}

// preKeyState describes the pre-keys 1..upTo: present, and whether each
// is the key handed out with its id; plus the uploaded count.
func preKeyState(s *side, upTo uint32) (any, error) {
	var out []string
	for id := uint32(1); id <= upTo; id++ {
		k, err := s.dev.PreKeys.GetPreKey(bg, id)
		if err != nil {
			return nil, err
		}
		if k == nil {
			out = append(out, fmt.Sprintf("%d:-", id))
			continue
		}
		out = append(out, fmt.Sprintf("%d:%d:%v", id, k.KeyID, *k.Pub == s.preKey[id]))
	}
	n, err := s.dev.PreKeys.UploadedPreKeyCount(bg)
	return fmt.Sprint(out, " uploaded=", n), err
}

// TestDiffPreKeys: generation (same id sequence), reuse of keys not
// uploaded, marks, single uploaded keys, get, remove, count.
func TestDiffPreKeys(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	gen := func(n uint32) {
		p.same(t, fmt.Sprint("get or gen ", n), func(s *side) (any, error) {
			ks, err := s.dev.PreKeys.GetOrGenPreKeys(bg, n)
			return preKeyIDs(s, ks), err
		})
	}
	state := func(what string, upTo uint32) {
		p.same(t, what, func(s *side) (any, error) { return preKeyState(s, upTo) })
	}
	mark := func(upTo uint32) {
		p.same(t, fmt.Sprint("mark ", upTo), func(s *side) (any, error) { return nil, s.dev.PreKeys.MarkPreKeysAsUploaded(bg, upTo) })
	}
	state("none", 3)
	gen(0)
	gen(5)
	gen(3)
	gen(8)
	state("eight", 10)
	mark(6)
	state("six uploaded", 10)
	gen(4)
	p.same(t, "gen one", func(s *side) (any, error) {
		k, err := s.dev.PreKeys.GenOnePreKey(bg)
		if err != nil {
			return nil, err
		}
		return preKeyIDs(s, []*keys.PreKey{k}), nil
	})
	state("one uploaded", 12)
	p.same(t, "remove 2", func(s *side) (any, error) { return nil, s.dev.PreKeys.RemovePreKey(bg, 2) })
	p.same(t, "remove 8", func(s *side) (any, error) { return nil, s.dev.PreKeys.RemovePreKey(bg, 8) })
	p.same(t, "remove unknown", func(s *side) (any, error) { return nil, s.dev.PreKeys.RemovePreKey(bg, 500) })
	state("removed", 12)
	gen(3)
	mark(3)
	state("mark below", 14)
	mark(100)
	state("mark beyond", 14)
	gen(2)
	mark(15)
	gen(30)
	mark(40)
	gen(30)
	state("many", 80)
}

// TestPreKeyIDsNeverReused: the counter never hands out an id twice, even
// after the newest keys are removed; sqlstore (MAX(key_id)+1) reuses it.
// This is the one pre-key difference (docs/aws-devicestore.md).
func TestPreKeyIDsNeverReused(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	next := map[string]uint32{}
	for _, s := range []*side{p.ref, p.dyn} {
		if _, err := s.dev.PreKeys.GetOrGenPreKeys(bg, 3); err != nil {
			t.Fatal(err)
		}
		if err := s.dev.PreKeys.RemovePreKey(bg, 3); err != nil {
			t.Fatal(err)
		}
		if err := s.dev.PreKeys.MarkPreKeysAsUploaded(bg, 3); err != nil {
			t.Fatal(err)
		}
		k, err := s.dev.PreKeys.GenOnePreKey(bg)
		if err != nil {
			t.Fatal(err)
		}
		next[s.name] = k.KeyID
	}
	if next["dynstore"] != 4 {
		t.Errorf("dynstore handed out id %d after removing key 3, want 4", next["dynstore"])
	}
	if next["sqlstore"] != 3 {
		t.Logf("sqlstore no longer reuses removed ids (got %d): the documented difference may be gone", next["sqlstore"])
	}
}
