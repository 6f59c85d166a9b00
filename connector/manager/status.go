package manager

import (
	"context"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/stack"
)

// StatusSweepEvery is how often expired statuses (older than
// wagate.StatusTTL) are deleted from the status store.
const StatusSweepEvery = 10 * time.Minute

// postStatus posts a stored pending status message (chat status@broadcast)
// the way send sends a message, through the engine's StatusPoster. A post
// that ends failed is removed from the status store: it never reached
// anyone.
func (m *Manager) postStatus(ctx context.Context, d wagate.Delivery, p events.StatusPostPayload) (time.Duration, error) {
	style := wagate.StatusStyle{BackgroundARGB: p.BackgroundARGB, TextARGB: p.TextARGB, Font: p.Font}
	retry, err := m.deliver(ctx, d, p.WhatsAppMessageID, func(c wagate.EngineClient, msg *wagate.Message, data []byte) (time.Time, error) {
		poster, ok := c.(wagate.StatusPoster)
		if !ok {
			return time.Time{}, wagate.Errorf(wagate.ENOTSUPPORTED, "The %s engine cannot post statuses.", m.Engine.Name())
		}
		return poster.PostStatus(ctx, msg, style, data)
	})
	if retry == 0 && err == nil {
		m.dropFailedStatus(ctx, d.Command.SessionID, p.WhatsAppMessageID)
	}
	return retry, err
}

// dropFailedStatus deletes the status of a post that failed.
func (m *Manager) dropFailedStatus(ctx context.Context, sessionID, waID string) {
	if m.Statuses == nil {
		return
	}
	msg, err := m.Messages.FindMessage(ctx, sessionID, waID)
	if err != nil || msg.Status != wagate.StatusFailed {
		return
	}
	if err := m.Statuses.DeleteStatus(ctx, sessionID, waID); err != nil && wagate.ErrorCode(err) != wagate.ENOTFOUND {
		m.log().Error("delete failed status", "session_id", sessionID, "whatsapp_id", waID, "err", err)
	}
}

// sweepStatuses deletes expired statuses now and every StatusSweepEvery
// until ctx ends.
func (m *Manager) sweepStatuses(ctx context.Context) {
	stack.Reserve()
	if m.Statuses == nil {
		return
	}
	t := time.NewTicker(StatusSweepEvery)
	defer t.Stop()
	for {
		if _, err := m.SweepStatuses(ctx); err != nil && ctx.Err() == nil {
			m.log().Error("sweep expired statuses", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SweepStatuses deletes the statuses that expired before now and returns
// how many.
func (m *Manager) SweepStatuses(ctx context.Context) (int, error) {
	if m.Statuses == nil {
		return 0, nil
	}
	n, err := m.Statuses.DeleteExpiredStatuses(ctx, m.now().UTC())
	if n > 0 {
		m.log().Info("expired statuses deleted", "count", n)
	}
	return n, err
}
