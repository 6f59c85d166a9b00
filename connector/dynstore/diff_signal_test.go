package dynstore_test

import (
	"context"
	"fmt"
	"testing"

	"go.mau.fi/whatsmeow/types"
)

var bg = context.Background()

func key32(b byte) [32]byte {
	var k [32]byte
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

// TestDiffIdentities: put, is-trusted, delete one, delete all of a phone.
func TestDiffIdentities(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	addrs := []string{"111:0", "111:1", "1110:0", "999_1:0", "222:4"}
	trust := func(what string) {
		for i, a := range addrs {
			p.same(t, what+" trusted "+a, func(s *side) (any, error) {
				right, err := s.dev.Identities.IsTrustedIdentity(bg, a, key32(byte(i)))
				if err != nil {
					return nil, err
				}
				wrong, err := s.dev.Identities.IsTrustedIdentity(bg, a, key32(99))
				return [2]bool{right, wrong}, err
			})
		}
	}
	trust("empty")
	for i, a := range addrs {
		p.same(t, "put "+a, func(s *side) (any, error) { return nil, s.dev.Identities.PutIdentity(bg, a, key32(byte(i))) })
	}
	trust("all put")
	p.same(t, "overwrite", func(s *side) (any, error) { return nil, s.dev.Identities.PutIdentity(bg, "222:4", key32(4)) })
	p.same(t, "delete one", func(s *side) (any, error) { return nil, s.dev.Identities.DeleteIdentity(bg, "111:1") })
	trust("one deleted")
	p.same(t, "delete all of 111", func(s *side) (any, error) { return nil, s.dev.Identities.DeleteAllIdentities(bg, "111") })
	trust("111 deleted")
	p.same(t, "delete unknown", func(s *side) (any, error) { return nil, s.dev.Identities.DeleteIdentity(bg, "555:0") })
}

// sessionState describes every session of addrs: present and contents.
func sessionState(s *side, addrs []string) (any, error) {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		has, err := s.dev.Sessions.HasSession(bg, a)
		if err != nil {
			return nil, err
		}
		sess, err := s.dev.Sessions.GetSession(bg, a)
		if err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s=%v/%s", a, has, hx(sess)))
	}
	many, err := s.dev.Sessions.GetManySessions(bg, addrs)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for a, sess := range many {
		m[a] = hx(sess)
	}
	return fmt.Sprint(out, m), nil
}

// TestDiffSessions: put, get, has, get many, put many (small and beyond one
// transaction), NULL and empty sessions, delete one, delete all of a phone.
func TestDiffSessions(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	addrs := []string{"111:0", "111:2", "1110:0", "222:0", "999_1:0", "nobody:0", "111:0"}
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) { return sessionState(s, addrs) })
	}
	state("empty")
	p.same(t, "get many of none", func(s *side) (any, error) {
		m, err := s.dev.Sessions.GetManySessions(bg, nil)
		return m == nil, err
	})
	for i, a := range addrs[:5] {
		p.same(t, "put "+a, func(s *side) (any, error) { return nil, s.dev.Sessions.PutSession(bg, a, []byte{byte(i), 1, 2}) })
	}
	state("put")
	p.same(t, "put NULL", func(s *side) (any, error) { return nil, s.dev.Sessions.PutSession(bg, "222:0", nil) })
	p.same(t, "put empty", func(s *side) (any, error) { return nil, s.dev.Sessions.PutSession(bg, "999_1:0", []byte{}) })
	state("null and empty")
	p.same(t, "put many", func(s *side) (any, error) {
		return nil, s.dev.Sessions.PutManySessions(bg, map[string][]byte{"111:0": {9}, "333:1": {8}, "333:2": nil})
	})
	state("put many")
	big := map[string][]byte{}
	for i := range 130 {
		big[fmt.Sprintf("444:%d", i)] = []byte{byte(i)}
	}
	p.same(t, "put 130", func(s *side) (any, error) { return nil, s.dev.Sessions.PutManySessions(bg, big) })
	p.same(t, "130 stored", func(s *side) (any, error) {
		keys := make([]string, 0, len(big))
		for a := range big {
			keys = append(keys, a)
		}
		m, err := s.dev.Sessions.GetManySessions(bg, keys)
		n := 0
		for a, v := range m {
			if v != nil && v[0] == big[a][0] {
				n++
			}
		}
		return n, err
	})
	p.same(t, "delete one", func(s *side) (any, error) { return nil, s.dev.Sessions.DeleteSession(bg, "111:2") })
	state("deleted one")
	p.same(t, "delete all of 111", func(s *side) (any, error) { return nil, s.dev.Sessions.DeleteAllSessions(bg, "111") })
	state("deleted 111")
	p.same(t, "delete all of 444", func(s *side) (any, error) { return nil, s.dev.Sessions.DeleteAllSessions(bg, "444") })
	p.same(t, "444 gone", func(s *side) (any, error) { return sessionState(s, []string{"444:0", "444:129"}) })
}

// TestDiffMigratePNToLID: sessions, identities and sender keys of a phone
// number move to its LID (replacing what the LID had); others stay; a
// second migration of the same number is skipped.
func TestDiffMigratePNToLID(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	pn := types.NewJID("111", types.DefaultUserServer)
	lid := types.NewJID("999", types.HiddenUserServer)
	addrs := []string{"111:0", "111:3", "1110:0", "222:0", "999_1:0", "999_1:3", "999_1:5"}
	groups := []string{"g1@g.us", "g2@g.us"}
	p.same(t, "seed", func(s *side) (any, error) {
		for i, a := range addrs {
			if a == "999_1:3" {
				continue
			}
			if err := s.dev.Sessions.PutSession(bg, a, []byte{byte(i)}); err != nil {
				return nil, err
			}
			if err := s.dev.Identities.PutIdentity(bg, a, key32(byte(i))); err != nil {
				return nil, err
			}
			for _, g := range groups {
				if err := s.dev.SenderKeys.PutSenderKey(bg, g, a, []byte(g+a)); err != nil {
					return nil, err
				}
			}
		}
		return nil, nil
	})
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			var out []string
			for i, a := range addrs {
				sess, err := s.dev.Sessions.GetSession(bg, a)
				if err != nil {
					return nil, err
				}
				tr, err := s.dev.Identities.IsTrustedIdentity(bg, a, key32(99))
				if err != nil {
					return nil, err
				}
				tr0, err := s.dev.Identities.IsTrustedIdentity(bg, a, key32(byte(i)))
				if err != nil {
					return nil, err
				}
				out = append(out, fmt.Sprintf("%s %s %v %v", a, hx(sess), tr, tr0))
				for _, g := range groups {
					k, err := s.dev.SenderKeys.GetSenderKey(bg, g, a)
					if err != nil {
						return nil, err
					}
					out = append(out, g+" "+string(k))
				}
			}
			return out, nil
		})
	}
	state("before")
	p.same(t, "migrate", func(s *side) (any, error) { return nil, s.dev.Sessions.MigratePNToLID(bg, pn, lid) })
	state("migrated")
	p.same(t, "new pn session", func(s *side) (any, error) { return nil, s.dev.Sessions.PutSession(bg, "111:0", []byte("again")) })
	p.same(t, "migrate again", func(s *side) (any, error) { return nil, s.dev.Sessions.MigratePNToLID(bg, pn, lid) })
	state("second migration skipped")
}

// TestDiffSenderKeys: put, overwrite, get, unknown, NULL refused.
func TestDiffSenderKeys(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	get := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			var out []string
			for _, g := range []string{"g1@g.us", "g2@g.us"} {
				for _, u := range []string{"111:0", "999_1:2"} {
					k, err := s.dev.SenderKeys.GetSenderKey(bg, g, u)
					if err != nil {
						return nil, err
					}
					out = append(out, hx(k))
				}
			}
			return out, nil
		})
	}
	get("empty")
	p.same(t, "put", func(s *side) (any, error) {
		return nil, s.dev.SenderKeys.PutSenderKey(bg, "g1@g.us", "111:0", []byte{1})
	})
	p.same(t, "put 2", func(s *side) (any, error) {
		return nil, s.dev.SenderKeys.PutSenderKey(bg, "g2@g.us", "999_1:2", []byte{2})
	})
	p.same(t, "overwrite", func(s *side) (any, error) {
		return nil, s.dev.SenderKeys.PutSenderKey(bg, "g1@g.us", "111:0", []byte{3})
	})
	p.same(t, "NULL", func(s *side) (any, error) { return nil, s.dev.SenderKeys.PutSenderKey(bg, "g1@g.us", "111:0", nil) })
	get("stored")
}
