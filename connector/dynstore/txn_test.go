package dynstore_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/store"

	"github.com/wagate/wagate/connector/dynstore"
)

const sharedAddr = "777:0"

// bump is one decryption: it increments the counter kept in the shared
// session, writes its own session, identity and buffered event, and fails
// (after writing) when fail is set.
func bump(ctx context.Context, d *store.Device, id int, fail bool) error {
	return d.EventBuffer.DoDecryptionTxn(ctx, func(ctx context.Context) error {
		cur, err := d.Sessions.GetSession(ctx, sharedAddr)
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(string(cur))
		if err := d.Sessions.PutSession(ctx, sharedAddr, []byte(strconv.Itoa(n+1))); err != nil {
			return err
		}
		own := fmt.Sprintf("8%d:0", id)
		if err := d.Sessions.PutSession(ctx, own, []byte(own)); err != nil {
			return err
		}
		if err := d.Identities.PutIdentity(ctx, own, key32(byte(id))); err != nil {
			return err
		}
		if err := d.EventBuffer.PutBufferedEvent(ctx, key32(byte(id)), []byte(own), time.Unix(1, 0)); err != nil {
			return err
		}
		if fail {
			return errSimulated
		}
		return nil
	})
}

// finalState describes the shared counter and what each writer left.
func finalState(d *store.Device, writers int) (string, error) {
	cur, err := d.Sessions.GetSession(bg, sharedAddr)
	if err != nil {
		return "", err
	}
	out := "counter=" + string(cur)
	for id := range writers {
		own := fmt.Sprintf("8%d:0", id)
		sess, err := d.Sessions.GetSession(bg, own)
		if err != nil {
			return "", err
		}
		trusted, err := d.Identities.IsTrustedIdentity(bg, own, key32(200))
		if err != nil {
			return "", err
		}
		ev, err := d.EventBuffer.GetBufferedEvent(bg, key32(byte(id)))
		if err != nil {
			return "", err
		}
		out += fmt.Sprintf(" %d:%s/%v/%v", id, sess, !trusted, ev != nil)
	}
	return out, nil
}

// runWriters runs writers goroutines, writer id on devices[id%len], and
// makes every fourth one fail; it returns the number that succeeded.
func runWriters(t *testing.T, devices []*store.Device, writers int) int {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for id := range writers {
		wg.Go(func() { errs[id] = bump(bg, devices[id%len(devices)], id, id%4 == 3) })
	}
	wg.Wait()
	ok := 0
	for id, err := range errs {
		switch {
		case id%4 == 3 && !errors.Is(err, errSimulated):
			t.Errorf("writer %d: %v, want the callback's error", id, err)
		case id%4 != 3 && err != nil:
			t.Errorf("writer %d: %v", id, err)
		case err == nil:
			ok++
		}
	}
	return ok
}

// serialState is what applying the successful writers one after another
// leaves.
func serialState(writers, ok int) string {
	out := "counter=" + strconv.Itoa(ok)
	for id := range writers {
		if id%4 == 3 {
			out += fmt.Sprintf(" %d:/false/false", id)
		} else {
			out += fmt.Sprintf(" %d:8%d:0/true/true", id, id)
		}
	}
	return out
}

// TestDiffConcurrentDecryption: concurrent decryption transactions on one
// device, all updating one session and each its own: no update is lost,
// failed ones leave nothing, and both stores end as a serial application.
func TestDiffConcurrentDecryption(t *testing.T) {
	t.Parallel()
	const writers = 24
	p := newPair(t)
	for _, s := range []*side{p.ref, p.dyn} {
		ok := runWriters(t, []*store.Device{s.dev}, writers)
		got, err := finalState(s.dev, writers)
		if err != nil {
			t.Fatal(err)
		}
		if want := serialState(writers, ok); got != want {
			t.Errorf("%s:\n got %s\nwant %s", s.name, got, want)
		}
	}
	p.same(t, "final", func(s *side) (any, error) { return finalState(s.dev, writers) })
}

// TestCrossProcessDecryption: three containers (as three processes) on
// one table decrypt for the same device at once. Their transactions
// conflict and run again; none is lost.
func TestCrossProcessDecryption(t *testing.T) {
	t.Parallel()
	const writers = 30
	client := newClient(t)
	table := newTable(t, client)
	var devices []*store.Device
	var containers []*dynstore.Container
	for i := range 3 {
		c := dynstore.New(newClient(t), table, nil)
		containers = append(containers, c)
		if i == 0 {
			d := c.NewDevice()
			jid := ownJID
			d.ID, d.Account = &jid, testAccount()
			if err := d.Save(bg); err != nil {
				t.Fatal(err)
			}
		}
		d, err := c.GetDevice(bg, ownJID)
		if err != nil || d == nil {
			t.Fatalf("get device: %v %v", d, err)
		}
		devices = append(devices, d)
	}
	ok := runWriters(t, devices, writers)
	got, err := finalState(devices[1], writers)
	if err != nil {
		t.Fatal(err)
	}
	if want := serialState(writers, ok); got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	var retries int64
	for _, c := range containers {
		retries += dynstore.TxnRetries(c)
	}
	t.Logf("%d transactions ran again after a conflict", retries)
}
