package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

// A task's inbox holds the command deliveries other tasks forwarded to it
// (docs/scale-out.md): pk INBOX#<task>, sk <unix ns, 20 digits>#<seq>, in
// the order they were forwarded; cmd (the command JSON), rcpt, att, vis
// (epoch ms), ttl. Entries of a task that died are left to the TTL sweep:
// their queue messages come back by themselves.
const (
	aInboxCmd     = "cmd"
	aInboxReceipt = "rcpt"
	aInboxAttempt = "att"
	aInboxVisible = "vis"

	// inboxKeep is how long an unread entry stays for the TTL sweep.
	inboxKeep = time.Hour
)

func inboxPK(task string) string { return "INBOX#" + task }

// Forward writes h into task to's inbox.
func (ls *LeaseStore) Forward(ctx context.Context, to string, h wagate.Handoff) error {
	body, err := json.Marshal(h.Command)
	if err != nil {
		return fmt.Errorf("forward command %q: %w", h.Command.ID, err)
	}
	now := time.Now()
	sk := fmt.Sprintf("%020d#%s", ls.seq.next(now), h.Command.ID)
	it := item{
		attrPK: sv(inboxPK(to)), attrSK: sv(sk),
		aInboxCmd: sv(string(body)), aInboxReceipt: sv(h.Receipt), aInboxAttempt: nv(int64(h.Attempt)),
		aInboxVisible: nv(h.VisibleUntil.UnixMilli()), aTTL: nv(now.Add(inboxKeep).Unix()),
	}
	if err := ls.t.putItem(ctx, &dynamodb.PutItemInput{Item: it}); err != nil {
		return fmt.Errorf("forward command %q to %q: %w", h.Command.ID, to, err)
	}
	return nil
}

// Inbox reads task id's inbox (strongly consistent, oldest first) and
// deletes what it read. Entries that do not decode are deleted too.
func (ls *LeaseStore) Inbox(ctx context.Context, id string) ([]wagate.Handoff, error) {
	var (
		out  []wagate.Handoff
		keys []itemKey
	)
	err := ls.t.each(ctx, walk{pk: inboxPK(id), full: true}, 0, func(it item) bool {
		keys = append(keys, keyOf(it))
		var cmd events.Command
		if json.Unmarshal([]byte(getS(it, aInboxCmd)), &cmd) != nil {
			return true
		}
		out = append(out, wagate.Handoff{
			Command: cmd, Receipt: getS(it, aInboxReceipt), Attempt: int(getN(it, aInboxAttempt)),
			VisibleUntil: time.UnixMilli(getN(it, aInboxVisible)),
		})
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("read inbox of %q: %w", id, err)
	}
	if len(keys) > 0 {
		if err := ls.t.batchDelete(ctx, keys); err != nil {
			return out, fmt.Errorf("clear inbox of %q: %w", id, err)
		}
	}
	return out, nil
}

// seqGen numbers one process's inbox entries: each value is above every
// earlier one and at least the current time in nanoseconds.
type seqGen struct {
	mu   sync.Mutex
	last int64
}

func (g *seqGen) next(now time.Time) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.last = max(g.last+1, now.UnixNano())
	return g.last
}
