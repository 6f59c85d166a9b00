package dynstore_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wagate/wagate/connector/dynstore"
)

// TestDiffDeleteDevice fills every store of the device, deletes the
// device, and requires every per-device query to answer as for a device
// that never stored anything — and dynstore's partition to be empty.
// sqlstore keeps privacy tokens (their table has no foreign key to the
// device); dynstore deletes them too.
func TestDiffDeleteDevice(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	empty, err := dump(p.dyn)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	m := &model{}
	for m.step = 1; m.step <= 200; m.step++ {
		var op randOp
		switch m.step % 5 {
		case 0:
			op = randAppStateOp
		case 1:
			op = randContactOp
		case 2:
			op = randMiscOp
		case 3:
			op = randDecryptionOp
		default:
			op = randomOps[r.IntN(len(randomOps))].op
		}
		name, f := op(r, m)
		if v, ok := p.same(t, name, f).([]uint32); ok {
			for _, id := range v {
				m.maxPreKey = max(m.maxPreKey, id)
			}
		}
	}
	compareDumps(t, p, "filled")
	full, err := dump(p.dyn)
	if err != nil {
		t.Fatal(err)
	}
	for section, v := range full {
		if v == empty[section] {
			t.Errorf("section %s stayed empty: the test fills too little", section)
		}
	}
	for _, s := range []*side{p.ref, p.dyn} {
		if err := s.c.DeleteDevice(bg, s.dev); err != nil {
			t.Fatalf("%s: delete: %v", s.name, err)
		}
	}
	for _, s := range []*side{p.ref, p.dyn} {
		d, err := s.c.GetDevice(bg, ownJID)
		if d != nil || err != nil {
			t.Errorf("%s: device after delete: %v %v", s.name, d, err)
		}
		all, err := s.c.GetAllDevices(bg)
		if len(all) != 0 || err != nil {
			t.Errorf("%s: devices after delete: %d %v", s.name, len(all), err)
		}
		after, err := dump(s)
		if err != nil {
			t.Fatalf("%s: dump: %v", s.name, err)
		}
		if s == p.ref {
			after["privacy tokens"] = empty["privacy tokens"]
		}
		if d := diffDumps(empty, after); d != "" {
			t.Errorf("%s: data left after delete:\n%s", s.name, d)
		}
	}
	if n, err := dynstore.PartitionSize(bg, p.dynC, ownJID); n != 0 || err != nil {
		t.Errorf("dynstore partition after delete: %d items, %v", n, err)
	}
	ref, err := dump(p.ref)
	if err == nil && !strings.Contains(ref["privacy tokens"], "x") {
		t.Logf("sqlstore no longer keeps privacy tokens of deleted devices: the documented difference may be gone")
	}
}
