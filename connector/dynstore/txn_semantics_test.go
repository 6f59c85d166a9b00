package dynstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/store"

	"github.com/wagate/wagate/connector/dynstore"
)

// TestDiffDecryptionTxnRollback: a failing callback that wrote to every
// store through its context leaves nothing behind, in either store.
func TestDiffDecryptionTxnRollback(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	p.same(t, "seed", func(s *side) (any, error) {
		if _, err := s.dev.PreKeys.GetOrGenPreKeys(bg, 3); err != nil {
			return nil, err
		}
		return nil, s.dev.Sessions.PutSession(bg, "111:0", []byte("before"))
	})
	before, err := dump(p.dyn)
	if err != nil {
		t.Fatal(err)
	}
	compareDumps(t, p, "before")
	p.same(t, "failing decryption", func(s *side) (any, error) {
		err := s.dev.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
			steps := []func() error{
				func() error { return s.dev.Sessions.PutSession(ctx, "111:0", []byte("during")) },
				func() error { return s.dev.Sessions.PutSession(ctx, "222:0", []byte("new")) },
				func() error { return s.dev.Sessions.DeleteAllSessions(ctx, "111") },
				func() error { return s.dev.Identities.PutIdentity(ctx, "111:0", key32(1)) },
				func() error { return s.dev.PreKeys.RemovePreKey(ctx, 2) },
				func() error { return s.dev.PreKeys.MarkPreKeysAsUploaded(ctx, 3) },
				func() error { return s.dev.SenderKeys.PutSenderKey(ctx, "g1@g.us", "111:0", []byte{1}) },
				func() error {
					return s.dev.EventBuffer.PutBufferedEvent(ctx, poolHashes[0], []byte("pt"), time.Unix(5, 0))
				},
				func() error { return s.dev.ChatSettings.PutPinned(ctx, pnJID("111"), true) },
				func() error {
					return s.dev.MsgSecrets.PutMessageSecret(ctx, pnJID("111"), pnJID("111"), "M1", []byte{1})
				},
				func() error {
					return s.dev.PrivacyTokens.PutPrivacyTokens(ctx, store.PrivacyToken{User: pnJID("111"), Token: []byte{1}, Timestamp: time.Unix(9, 0)})
				},
				func() error {
					return s.dev.AppStateKeys.PutAppStateSyncKey(ctx, poolSyncIDs[0], store.AppStateSyncKey{Data: []byte{1}, Fingerprint: []byte{1}, Timestamp: 1})
				},
				func() error { return s.dev.AppState.PutAppStateVersion(ctx, "regular", 3, [128]byte{1}) },
				func() error { _, _, err := s.dev.Contacts.PutPushName(ctx, pnJID("111"), "Ana"); return err },
				func() error { return s.dev.Sessions.MigratePNToLID(ctx, pnJID("222"), lidJID("998")) },
			}
			for i, f := range steps {
				if err := f(); err != nil {
					return fmt.Errorf("step %d: %w", i, err)
				}
			}
			return errSimulated
		})
		return errors.Is(err, errSimulated), nil
	})
	after, err := dump(p.dyn)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffDumps(before, after); d != "" {
		t.Errorf("dynstore changed by a failed transaction:\n%s", d)
	}
	compareDumps(t, p, "after")
}

// TestDiffDecryptionTxnReadsOwnWrites: inside the transaction, reads see
// its writes — point reads, many-reads and prefix deletes.
func TestDiffDecryptionTxnReadsOwnWrites(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	p.same(t, "seed", func(s *side) (any, error) { return nil, s.dev.Sessions.PutSession(bg, "111:1", []byte("stored")) })
	seen := p.same(t, "reads inside", func(s *side) (any, error) {
		var seen []any
		err := s.dev.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
			look := func() error {
				st, err := sessionStateCtx(ctx, s.dev, []string{"111:0", "111:1", "222:0"})
				seen = append(seen, st)
				return err
			}
			steps := []func() error{
				look,
				func() error { return s.dev.Sessions.PutSession(ctx, "111:0", []byte("new")) },
				func() error { return s.dev.Sessions.PutSession(ctx, "222:0", []byte("other")) },
				look,
				func() error { return s.dev.Sessions.DeleteAllSessions(ctx, "111") },
				look,
				func() error { return s.dev.Sessions.PutSession(ctx, "111:1", []byte("again")) },
				look,
				func() error { return s.dev.Identities.PutIdentity(ctx, "111:0", key32(3)) },
				func() error {
					tr, err := s.dev.Identities.IsTrustedIdentity(ctx, "111:0", key32(4))
					seen = append(seen, tr)
					return err
				},
				func() error {
					return s.dev.EventBuffer.PutBufferedEvent(ctx, poolHashes[1], []byte("pt"), time.Unix(5, 0))
				},
				func() error {
					ev, err := s.dev.EventBuffer.GetBufferedEvent(ctx, poolHashes[1])
					seen = append(seen, ev != nil && string(ev.Plaintext) == "pt")
					return err
				},
			}
			for _, f := range steps {
				if err := f(); err != nil {
					return err
				}
			}
			return nil
		})
		return fmt.Sprint(seen...), err
	})
	want := "[111:0=false/<nil> 111:1=true/x73746f726564 222:0=false/<nil>] map[111:0:[] 111:1:[115 116 111 114 101 100] 222:0:[]]" +
		"[111:0=true/x6e6577 111:1=true/x73746f726564 222:0=true/x6f74686572] map[111:0:[110 101 119] 111:1:[115 116 111 114 101 100] 222:0:[111 116 104 101 114]]" +
		"[111:0=false/<nil> 111:1=false/<nil> 222:0=true/x6f74686572] map[111:0:[] 111:1:[] 222:0:[111 116 104 101 114]]" +
		"[111:0=false/<nil> 111:1=true/x616761696e 222:0=true/x6f74686572] map[111:0:[] 111:1:[97 103 97 105 110] 222:0:[111 116 104 101 114]]false true"
	if seen != want {
		t.Errorf("reads inside the transaction:\n got %v\nwant %v", seen, want)
	}
	compareDumps(t, p, "committed")
}

// sessionStateCtx is sessionState with the reads made through ctx.
func sessionStateCtx(ctx context.Context, d *store.Device, addrs []string) (string, error) {
	var out []string
	for _, a := range addrs {
		sess, err := d.Sessions.GetSession(ctx, a)
		if err != nil {
			return "", err
		}
		has, err := d.Sessions.HasSession(ctx, a)
		if err != nil {
			return "", err
		}
		out = append(out, fmt.Sprintf("%s=%v/%s", a, has, hx(sess)))
	}
	many, err := d.Sessions.GetManySessions(ctx, addrs)
	return fmt.Sprint(out, many), err
}

// TestDecryptionTxnNestedAndTooLarge: a nested decryption joins the outer
// one (its writes go or stay with it), and a transaction beyond 100 items
// fails without writing anything.
func TestDecryptionTxnNestedAndTooLarge(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	d := p.dyn.dev
	err := d.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
		if err := d.Sessions.PutSession(ctx, "1:0", []byte{1}); err != nil {
			return err
		}
		return d.EventBuffer.DoDecryptionTxn(ctx, func(ctx context.Context) error {
			return d.Sessions.PutSession(ctx, "2:0", []byte{2})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = d.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
		if err := d.EventBuffer.DoDecryptionTxn(ctx, func(ctx context.Context) error {
			return d.Sessions.PutSession(ctx, "3:0", []byte{3})
		}); err != nil {
			return err
		}
		return errSimulated
	})
	if !errors.Is(err, errSimulated) {
		t.Fatalf("outer failure: %v", err)
	}
	err = d.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
		for i := range 101 {
			if err := d.Sessions.PutSession(ctx, fmt.Sprintf("9%d:0", i), []byte{1}); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, dynstore.ErrTxnTooLarge) {
		t.Fatalf("101 writes: %v", err)
	}
	got, err := sessionStateCtx(bg, d, []string{"1:0", "2:0", "3:0", "90:0", "9100:0"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[1:0=true/x01 2:0=true/x02 3:0=false/<nil> 90:0=false/<nil> 9100:0=false/<nil>] map[1:0:[1] 2:0:[2] 3:0:[] 90:0:[] 9100:0:[]]"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
