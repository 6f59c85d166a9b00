package dynstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"
)

// randomSteps is the length of the randomised sequence; DYNSTORE_STEPS
// overrides it, DYNSTORE_SEED the seed.
const (
	randomSteps = 600
	randomSeed  = 20251217
	dumpEvery   = 25
)

// model is what the generator remembers to keep operations meaningful: the
// largest pre-key id handed out (removals stay below it, where sqlstore's
// MAX(key_id)+1 and the counter agree) and the step number (a fresh
// version for mutation MACs, a fresh timestamp for privacy tokens).
type model struct {
	step      int
	maxPreKey uint32
}

// randOp draws one operation: a name and what to run on each side.
type randOp func(r *rand.Rand, m *model) (string, func(s *side) (any, error))

var errSimulated = errors.New("simulated decryption failure")

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return b
}

// secretKeys fixes the (chat, sender) of each pool message id, so no id is
// stored under both identities of a user (which match sqlstore answers in
// an unspecified order).
var secretKeys = map[string][2]types.JID{
	"M1": {pnJID("111"), pnJID("111")},
	"M2": {lidJID("999"), lidJID("998")},
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// TestDiffRandom applies one seeded random sequence of store operations to
// sqlstore and dynstore, requiring identical results at every step and
// identical contents every dumpEvery steps.
func TestDiffRandom(t *testing.T) {
	t.Parallel()
	seed := uint64(envInt("DYNSTORE_SEED", randomSeed))
	steps := envInt("DYNSTORE_STEPS", randomSteps)
	t.Logf("seed %d, %d steps", seed, steps)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p := newPair(t)
	m := &model{}
	var weighted []randOp
	for _, o := range randomOps {
		for range o.weight {
			weighted = append(weighted, o.op)
		}
	}
	for m.step = 1; m.step <= steps; m.step++ {
		name, op := pick(r, weighted)(r, m)
		v := p.same(t, fmt.Sprintf("step %d: %s", m.step, name), op)
		if ids, ok := v.([]uint32); ok {
			for _, id := range ids {
				m.maxPreKey = max(m.maxPreKey, id)
			}
		}
		if m.step%dumpEvery == 0 || m.step == steps {
			compareDumps(t, p, fmt.Sprint("after step ", m.step))
		}
	}
}

// compareDumps requires both stores to hold the same, and the LID map to
// agree.
func compareDumps(t *testing.T, p *pair, what string) {
	t.Helper()
	a, err := dump(p.ref)
	if err != nil {
		t.Fatalf("%s: dump sqlstore: %v", what, err)
	}
	b, err := dump(p.dyn)
	if err != nil {
		t.Fatalf("%s: dump dynstore: %v", what, err)
	}
	if d := diffDumps(a, b); d != "" {
		t.Fatalf("%s: contents differ:\n%s", what, d)
	}
	p.same(t, what+": LID map", func(s *side) (any, error) {
		var out []string
		for i := range poolPNs {
			l, err := p.lids(s).GetLIDForPN(bg, pnJID(poolPNs[i]))
			if err != nil {
				return nil, err
			}
			n, err := p.lids(s).GetPNForLID(bg, lidJID(poolLIDs[i]))
			if err != nil {
				return nil, err
			}
			out = append(out, l.User+"/"+n.User)
		}
		return out, nil
	})
}

func signalUser(addr string) string {
	for i := range addr {
		if addr[i] == ':' {
			return addr[:i]
		}
	}
	return addr
}

var randomOps = []struct {
	weight int
	op     randOp
}{
	{6, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		a, sess := pick(r, poolAddrs), randBytes(r, r.IntN(4))
		return "put session " + a, func(s *side) (any, error) { return nil, s.dev.Sessions.PutSession(bg, a, sess) }
	}},
	{2, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		a := pick(r, poolAddrs)
		return "delete session " + a, func(s *side) (any, error) { return nil, s.dev.Sessions.DeleteSession(bg, a) }
	}},
	{1, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		u := signalUser(pick(r, poolAddrs))
		return "delete all sessions " + u, func(s *side) (any, error) { return nil, s.dev.Sessions.DeleteAllSessions(bg, u) }
	}},
	{2, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		many := map[string][]byte{}
		for range 1 + r.IntN(3) {
			many[pick(r, poolAddrs)] = randBytes(r, 3)
		}
		return fmt.Sprint("put many sessions ", len(many)), func(s *side) (any, error) { return nil, s.dev.Sessions.PutManySessions(bg, many) }
	}},
	{4, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		a, k := pick(r, poolAddrs), key32(byte(r.IntN(4)))
		return "put identity " + a, func(s *side) (any, error) { return nil, s.dev.Identities.PutIdentity(bg, a, k) }
	}},
	{2, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		a, k := pick(r, poolAddrs), key32(byte(r.IntN(4)))
		return "is trusted " + a, func(s *side) (any, error) { return s.dev.Identities.IsTrustedIdentity(bg, a, k) }
	}},
	{1, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		a := pick(r, poolAddrs)
		if r.IntN(2) == 0 {
			return "delete identity " + a, func(s *side) (any, error) { return nil, s.dev.Identities.DeleteIdentity(bg, a) }
		}
		u := signalUser(a)
		return "delete all identities " + u, func(s *side) (any, error) { return nil, s.dev.Identities.DeleteAllIdentities(bg, u) }
	}},
	{1, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		pn, lid := pnJID(pick(r, poolPNs)), lidJID(pick(r, poolLIDs))
		return "migrate " + pn.User + " to " + lid.User, func(s *side) (any, error) { return nil, s.dev.Sessions.MigratePNToLID(bg, pn, lid) }
	}},
	{3, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		g, a, k := pick(r, poolGroups), pick(r, poolAddrs), randBytes(r, 1+r.IntN(3))
		return "put sender key " + a, func(s *side) (any, error) { return nil, s.dev.SenderKeys.PutSenderKey(bg, g, a, k) }
	}},
	{3, func(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
		n := uint32(r.IntN(7))
		if m.maxPreKey > 34 {
			n = 0
		}
		return fmt.Sprint("get or gen pre-keys ", n), func(s *side) (any, error) {
			ks, err := s.dev.PreKeys.GetOrGenPreKeys(bg, n)
			return preKeyIDs(s, ks), err
		}
	}},
	{1, randPreKeyOp},
	{3, randAppStateOp},
	{6, randContactOp},
	{4, randMiscOp},
	{3, randDecryptionOp},
}

// randDecryptionOp runs a few writes and reads in one decryption
// transaction, failing a third of them: a failure must leave nothing.
func randDecryptionOp(r *rand.Rand, m *model) (string, func(*side) (any, error)) {
	a, b, sess, k := pick(r, poolAddrs), pick(r, poolAddrs), randBytes(r, 2), key32(byte(r.IntN(4)))
	h, pt, fail := pick(r, poolHashes), randBytes(r, 3), r.IntN(3) == 0
	var rm uint32
	if m.maxPreKey > 1 {
		rm = 1 + uint32(r.IntN(int(m.maxPreKey-1)))
	}
	return fmt.Sprintf("decryption %s %s fail=%v", a, b, fail), func(s *side) (any, error) {
		var seen []string
		err := s.dev.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
			before, err := s.dev.Sessions.GetSession(ctx, a)
			if err != nil {
				return err
			}
			if err := s.dev.Sessions.PutSession(ctx, a, append(before, sess...)); err != nil {
				return err
			}
			after, err := s.dev.Sessions.GetSession(ctx, a)
			if err != nil {
				return err
			}
			if err := s.dev.Identities.PutIdentity(ctx, b, k); err != nil {
				return err
			}
			if rm > 0 {
				if err := s.dev.PreKeys.RemovePreKey(ctx, rm); err != nil {
					return err
				}
			}
			seen = append(seen, hx(before), hx(after))
			if fail {
				return errSimulated
			}
			return s.dev.EventBuffer.PutBufferedEvent(ctx, h, pt, time.Unix(int64(m.step), 0))
		})
		return seen, err
	}
}
