package dynstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/wagate/wagate/connector/dynstore"
)

// TestDiffEventBuffer: put (a second put of a hash fails), get, clear the
// plaintext (the hash stays), and expiry after 14 days.
func TestDiffEventBuffer(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	hashes := [][32]byte{key32(1), key32(2), key32(3), key32(4), key32(5)}
	server := time.Unix(1_700_000_000, 0)
	state := func(what string) {
		p.same(t, what, func(s *side) (any, error) {
			var out []string
			for _, h := range hashes {
				ev, err := s.dev.EventBuffer.GetBufferedEvent(bg, h)
				if err != nil {
					return nil, err
				}
				if ev == nil {
					out = append(out, "-")
					continue
				}
				age := time.Since(ev.InsertTime)
				out = append(out, fmt.Sprint(hx(ev.Plaintext), unix(ev.ServerTime), age.Round(24*time.Hour)/time.Hour/24, "d"))
			}
			return out, nil
		})
	}
	put := func(i int, pt []byte) {
		p.same(t, fmt.Sprint("put ", i), func(s *side) (any, error) {
			return nil, s.dev.EventBuffer.PutBufferedEvent(bg, hashes[i], pt, server.Add(time.Duration(i)*time.Second))
		})
	}
	state("empty")
	put(0, []byte("hello"))
	put(1, nil)
	put(2, []byte{})
	state("put")
	put(0, []byte("again")) // refused by both
	p.same(t, "clear", func(s *side) (any, error) { return nil, s.dev.EventBuffer.ClearBufferedEventPlaintext(bg, hashes[0]) })
	p.same(t, "clear unknown", func(s *side) (any, error) { return nil, s.dev.EventBuffer.ClearBufferedEventPlaintext(bg, hashes[4]) })
	state("cleared")

	// Backdate: sqlstore by rewriting insert_timestamp, dynstore through
	// its clock.
	now := time.Now()
	for i, age := range map[int]time.Duration{3: 15 * 24 * time.Hour, 4: 13 * 24 * time.Hour} {
		when := now.Add(-age)
		if err := p.ref.dev.EventBuffer.PutBufferedEvent(bg, hashes[i], []byte("old"), server); err != nil {
			t.Fatal(err)
		}
		if _, err := p.refDB.Exec(`UPDATE whatsmeow_event_buffer SET insert_timestamp=$1 WHERE ciphertext_hash=$2`, when.UnixMilli(), hashes[i][:]); err != nil {
			t.Fatal(err)
		}
		dynstore.SetClock(p.dynC, func() time.Time { return when })
		if err := p.dyn.dev.EventBuffer.PutBufferedEvent(bg, hashes[i], []byte("old"), server); err != nil {
			t.Fatal(err)
		}
		dynstore.SetClock(p.dynC, time.Now)
	}
	state("old events")
	p.same(t, "delete old", func(s *side) (any, error) { return nil, s.dev.EventBuffer.DeleteOldBufferedHashes(bg) })
	state("15 days old deleted, 13 days old kept")

	// The TTL attribute lets DynamoDB expire what nobody deletes.
	raw, err := dynstore.RawItem(bg, p.dynC, ownJID, dynstore.EventBufSK(hashes[4]))
	if err != nil || raw == nil {
		t.Fatalf("raw item: %v %v", raw, err)
	}
	ttl, ok := raw[dynstore.TTLAttribute].(*types.AttributeValueMemberN)
	want := now.Add(-13*24*time.Hour + dynstore.EventBufferRetention).Unix()
	if !ok || ttl.Value != fmt.Sprint(want) {
		t.Errorf("ttl %v, want %d", raw[dynstore.TTLAttribute], want)
	}
}
