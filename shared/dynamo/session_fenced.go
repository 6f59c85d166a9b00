package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.FencedSessionStore = (*SessionStore)(nil)

// UpdateSessionFenced is UpdateSession for a session's owner: the record is
// written in one transaction with a check that the session's lease is still
// f, so a deposed owner's late write is refused (wagate.ErrLeaseLost).
func (st *SessionStore) UpdateSessionFenced(ctx context.Context, sessionID string, f wagate.Fence, upd wagate.SessionUpdate) (*wagate.Session, error) {
	for attempt := 0; ; attempt++ {
		s, ver, err := st.get(ctx, sessionID)
		if err != nil {
			return nil, fmt.Errorf("update session %q: %w", sessionID, err)
		}
		if s == nil {
			return nil, wagate.Errorf(wagate.ENOSESSION, "Session %s not found", sessionID)
		}
		s.Apply(upd)
		s.UpdatedAt = later(time.Now().UTC(), s.UpdatedAt)
		it, err := encodeSession(s, ver+1)
		if err != nil {
			return nil, err
		}
		var e expr
		err = st.t.transact(ctx, []types.TransactWriteItem{
			st.t.putAction(it, e.eq(aVersion, nv(ver)), &e),
			st.t.fenceCheck(sessionID, f),
		})
		switch {
		case err == nil:
			return s, nil
		case failedAt(err, 1):
			return nil, fmt.Errorf("update session %q: %w", sessionID, wagate.ErrLeaseLost)
		case !failedAt(err, 0) || attempt >= maxRetries:
			return nil, fmt.Errorf("update session %q: %w", sessionID, err)
		}
		if err := backoff(ctx, attempt+1); err != nil {
			return nil, fmt.Errorf("update session %q: %w", sessionID, err)
		}
	}
}
