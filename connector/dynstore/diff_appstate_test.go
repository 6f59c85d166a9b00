package dynstore_test

import (
	"fmt"
	"testing"

	"go.mau.fi/whatsmeow/store"
)

// TestDiffAppStateSyncKeys: put (newer timestamps replace, older are
// ignored), get, latest id.
func TestDiffAppStateSyncKeys(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	ids := [][]byte{{1, 1}, {2, 2}, {3, 3}, {}}
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			var out []string
			for _, id := range ids {
				k, err := s.dev.AppStateKeys.GetAppStateSyncKey(bg, id)
				if err != nil {
					return nil, err
				}
				if k == nil {
					out = append(out, "-")
				} else {
					out = append(out, fmt.Sprint(hx(k.Data), hx(k.Fingerprint), k.Timestamp))
				}
			}
			latest, err := s.dev.AppStateKeys.GetLatestAppStateSyncKeyID(bg)
			return fmt.Sprint(out, " latest=", hx(latest)), err
		})
	}
	put := func(id []byte, ts int64, data string) {
		p.same(t, fmt.Sprint("put ", id, ts), func(s *side) (any, error) {
			return nil, s.dev.AppStateKeys.PutAppStateSyncKey(bg, id, store.AppStateSyncKey{Data: []byte(data), Fingerprint: []byte("fp" + data), Timestamp: ts})
		})
	}
	state("empty")
	put(ids[0], 10, "a")
	put(ids[1], 20, "b")
	state("two")
	put(ids[0], 5, "older")
	put(ids[0], 10, "same")
	state("older ignored")
	put(ids[0], 30, "newer")
	put(ids[2], 25, "c")
	state("newer replaced")
	p.same(t, "NULL data", func(s *side) (any, error) {
		return nil, s.dev.AppStateKeys.PutAppStateSyncKey(bg, ids[3], store.AppStateSyncKey{Fingerprint: []byte{1}, Timestamp: 1})
	})
	put(ids[3], 40, "empty id")
	state("empty id")
	put(ids[2], 50, "tie")
	put(ids[1], 50, "tie") // equal timestamps: the smallest id, as SQLite's stable sort
	state("tie")
}

func mac(b byte) []byte {
	m := key32(b)
	return m[:]
}

// TestDiffAppState: versions, mutation MACs (newest version wins, deleted
// at every version, removed with their state's version), and what the
// schema refuses.
func TestDiffAppState(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	names := []string{"regular", "critical_block"}
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			var out []string
			for _, n := range names {
				v, h, err := s.dev.AppState.GetAppStateVersion(bg, n)
				if err != nil {
					return nil, err
				}
				out = append(out, fmt.Sprint(n, v, h[0], h[127]))
				for i := byte(1); i <= 4; i++ {
					vm, err := s.dev.AppState.GetAppStateMutationMAC(bg, n, mac(i))
					if err != nil {
						return nil, err
					}
					out = append(out, hx(vm))
				}
			}
			return out, nil
		})
	}
	hash := func(b byte) (h [128]byte) {
		h[0], h[127] = b, b+1
		return h
	}
	putMACs := func(name string, version uint64, pairs ...byte) {
		p.same(t, fmt.Sprint("put MACs ", name, version, pairs), func(s *side) (any, error) {
			var ms []store.AppStateMutationMAC
			for i := 0; i < len(pairs); i += 2 {
				ms = append(ms, store.AppStateMutationMAC{IndexMAC: mac(pairs[i]), ValueMAC: mac(pairs[i+1])})
			}
			return nil, s.dev.AppState.PutAppStateMutationMACs(bg, name, version, ms)
		})
	}
	state("empty")
	putMACs("regular", 1, 1, 100) // no version stored: refused by both
	p.same(t, "put version", func(s *side) (any, error) { return nil, s.dev.AppState.PutAppStateVersion(bg, "regular", 1, hash(1)) })
	p.same(t, "put version 2", func(s *side) (any, error) {
		return nil, s.dev.AppState.PutAppStateVersion(bg, "critical_block", 7, hash(7))
	})
	putMACs("regular", 1, 1, 101, 2, 102)
	putMACs("regular", 2, 1, 111, 3, 113)
	putMACs("critical_block", 7, 1, 171, 4, 174)
	putMACs("regular", 3)
	state("MACs")
	p.same(t, "bad MAC length", func(s *side) (any, error) {
		return nil, s.dev.AppState.PutAppStateMutationMACs(bg, "regular", 4, []store.AppStateMutationMAC{{IndexMAC: []byte{1}, ValueMAC: mac(1)}})
	})
	p.same(t, "version update", func(s *side) (any, error) { return nil, s.dev.AppState.PutAppStateVersion(bg, "regular", 2, hash(2)) })
	state("version updated, MACs kept")
	p.same(t, "delete MACs", func(s *side) (any, error) {
		return nil, s.dev.AppState.DeleteAppStateMutationMACs(bg, "regular", [][]byte{mac(1), mac(4)})
	})
	p.same(t, "delete no MACs", func(s *side) (any, error) { return nil, s.dev.AppState.DeleteAppStateMutationMACs(bg, "regular", nil) })
	state("MACs deleted")
	p.same(t, "delete version", func(s *side) (any, error) { return nil, s.dev.AppState.DeleteAppStateVersion(bg, "regular") })
	state("version deleted with its MACs")
	p.same(t, "delete unknown version", func(s *side) (any, error) { return nil, s.dev.AppState.DeleteAppStateVersion(bg, "nothing") })
}
