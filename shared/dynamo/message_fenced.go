package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.FencedMessageStore = (*MessageStore)(nil)

// UpdateMessageFenced is UpdateMessage for the session's owner: the change
// is written in one transaction with a check that the session's lease is
// still f, so a deposed owner's late "sent" is refused
// (wagate.ErrLeaseLost).
func (st *MessageStore) UpdateMessageFenced(ctx context.Context, sessionID, whatsAppID string, f wagate.Fence, upd wagate.MessageUpdate) (*wagate.Message, bool, error) {
	return st.update(ctx, sessionID, whatsAppID, upd, &f)
}

// writeFenced writes u on cond together with the fence check. It returns
// true when written, false (no error) when cond failed and the update must
// be worked out again.
func (st *MessageStore) writeFenced(ctx context.Context, sessionID string, k itemKey, u *update, cond string, f wagate.Fence) (bool, error) {
	err := st.t.transact(ctx, []types.TransactWriteItem{st.t.updateAction(k, u, cond), st.t.fenceCheck(sessionID, f)})
	switch {
	case err == nil:
		return true, nil
	case failedAt(err, 1):
		return false, fmt.Errorf("update message %q of session %q: %w", k.sk, sessionID, wagate.ErrLeaseLost)
	case failedAt(err, 0):
		return false, nil
	}
	return false, fmt.Errorf("update message %q of session %q: %w", k.sk, sessionID, err)
}
