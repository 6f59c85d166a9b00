package dynstore_test

import (
	"context"
	"testing"
)

// Benchmarks of device-store latency, sqlstore (SQLite file, WAL) and
// dynstore (the AWS emulator on loopback) in the same run:
//
//	go test ./dynstore -run '^$' -bench . -benchtime 2s
//
// Figures are in docs/aws-devicestore.md.

// BenchmarkDecryptionTxn: one message decryption's store work — get the
// session, put it back, put the sender's identity — in DoDecryptionTxn.
func BenchmarkDecryptionTxn(b *testing.B) {
	p := newPair(b)
	session := make([]byte, 1024)
	for _, s := range []*side{p.ref, p.dyn} {
		b.Run(s.name, func(b *testing.B) {
			d := s.dev
			if err := d.Sessions.PutSession(bg, "111:0", session); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				err := d.EventBuffer.DoDecryptionTxn(bg, func(ctx context.Context) error {
					cur, err := d.Sessions.GetSession(ctx, "111:0")
					if err != nil {
						return err
					}
					cur[0] = byte(i)
					if err := d.Sessions.PutSession(ctx, "111:0", cur); err != nil {
						return err
					}
					return d.Identities.PutIdentity(ctx, "111:0", key32(byte(i)))
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGetOrGenPreKeys: generate and store 30 pre-keys. Outside the
// timing, each round's keys are marked uploaded and removed, so the next
// round generates 30 again and the tables stay small (the emulator's
// Query walks its whole table).
func BenchmarkGetOrGenPreKeys(b *testing.B) {
	p := newPair(b)
	for _, s := range []*side{p.ref, p.dyn} {
		b.Run(s.name, func(b *testing.B) {
			d := s.dev
			b.ReportAllocs()
			for b.Loop() {
				ks, err := d.PreKeys.GetOrGenPreKeys(bg, 30)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := d.PreKeys.MarkPreKeysAsUploaded(bg, ks[len(ks)-1].KeyID); err != nil {
					b.Fatal(err)
				}
				for _, k := range ks {
					if err := d.PreKeys.RemovePreKey(bg, k.KeyID); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
		})
	}
}
