package awsrt

import (
	"context"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/webhook"
)

// The sweep: the webhook function run by the schedule rule
// (awsres.WebhookSweepRate) claims the deliveries that are due — retries
// the Schedule put later than Lambda's own retries reach, and replays —
// and attempts them, as the local deliverer does.
const (
	// SweepLimit bounds the deliveries one sweep claims; the next sweep
	// takes the rest.
	SweepLimit = 1000
	// SweepWorkers is how many attempts a sweep makes at once.
	SweepWorkers = 16
	// SweepReserve is kept free before the invocation's deadline: no claim
	// is made after it, so the last attempts (webhook.AttemptTimeout each)
	// and their records finish within the Lambda timeout.
	SweepReserve = 15 * time.Second
	// SweepMaxRun bounds a sweep whose context has no deadline (outside
	// Lambda).
	SweepMaxRun = awsres.WebhookTimeout - SweepReserve
)

// Invoke handles one invocation of the webhook function: a scheduled
// tick runs Sweep (its result is the invocation's), anything else is a bus
// event for Handle (no result).
func (h *WebhookHandler) Invoke(ctx context.Context, env Envelope) (*webhook.SweepResult, error) {
	if env.Scheduled() {
		res, err := h.Sweep(ctx)
		return &res, err
	}
	return nil, h.Handle(ctx, env)
}

// Sweep claims the due deliveries (webhook.Deliverer.Sweep: leases of
// webhook.AttemptLease, PerTarget attempts of one session at once, at most
// SweepLimit) and attempts them, recording each outcome per the Schedule,
// until none is due or the invocation's deadline less SweepReserve comes.
// It returns an error only when the store fails.
func (h *WebhookHandler) Sweep(ctx context.Context) (webhook.SweepResult, error) {
	if h.Deliveries == nil {
		return webhook.SweepResult{}, nil
	}
	deadline := time.Now().Add(SweepMaxRun)
	if d, ok := ctx.Deadline(); ok {
		deadline = d.Add(-SweepReserve)
	}
	sctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var store wagate.DeliveryStore = h.Deliveries
	if h.Metrics != nil {
		store = &metrics.Deliveries{DeliveryStore: store, R: h.Metrics}
	}
	dl := &webhook.Deliverer{
		Store: store, Sessions: h.Sessions, Blobs: h.Blobs, Frappe: h.Frappe, Sender: h.Sender,
		Schedule: h.schedule(), Workers: SweepWorkers, PerTarget: h.PerTarget, Log: h.Log, Now: h.Now,
	}
	began := time.Now()
	res, err := dl.Sweep(sctx, SweepLimit)
	attrs := []any{"claimed", res.Claimed, "attempted", res.Attempted, "delivered", res.Delivered,
		"retrying", res.Retrying, "dead", res.Dead, "took_ms", time.Since(began).Milliseconds()}
	switch {
	case err != nil:
		h.Log.Error("webhook sweep failed", append(attrs, "err", err)...)
	case res.Claimed > 0:
		h.Log.Info("webhook sweep", attrs...)
	default:
		h.Log.Debug("webhook sweep: nothing due")
	}
	return res, err
}

// sweepEvery runs h.Sweep every interval until ctx ends: the schedule rule
// of a webhook runner outside Lambda (ConsumeWebhookQueue).
func (rt *Runtime) sweepEvery(ctx context.Context, h *WebhookHandler, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sctx, cancel := context.WithTimeout(ctx, awsres.WebhookTimeout)
		_, _ = h.Sweep(sctx) // logged there
		cancel()
		if err := rt.EMF.Flush(); err != nil {
			rt.Log.Warn("write metrics", "err", err)
		}
	}
}
