package webhook

import (
	"context"
	"fmt"
	"sync"

	wagate "github.com/wagate/wagate/shared"
)

// SweepResult is what one Sweep did.
type SweepResult struct {
	Claimed   int `json:"claimed"`   // deliveries leased (those not attempted are retried when their lease ends)
	Attempted int `json:"attempted"` // attempts made and recorded (or logged as unrecorded)
	Delivered int `json:"delivered"`
	Retrying  int `json:"retrying"` // failed, due again per the Schedule
	Dead      int `json:"dead"`     // refused, or the Schedule's last attempt failed
}

// Sweep makes the attempts that are due, as Run's attempt side does — the
// same claims (AttemptLease), worker pool, per-session cap (PerTarget) and
// outcomes per the Schedule — and returns once nothing more is due, limit
// deliveries were claimed (0: no limit), or ctx ends. The attempts it
// started have finished by then (each bounded by its timeout); deliveries
// claimed but not started are retried after their lease. It does not read
// the outbox. A store error ends it, returned after the attempts in flight.
//
// The aws runtime's webhook function runs it on a schedule: there the
// deliveries are stored by the function itself, and Sweep carries their
// retry schedule and the replays.
func (dl *Deliverer) Sweep(ctx context.Context, limit int) (SweepResult, error) {
	dl.init()
	sw := &sweep{limit: limit}
	dl.attempts(ctx, sw)
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.err != nil {
		return sw.res, fmt.Errorf("webhook sweep: %w", sw.err)
	}
	return sw.res, nil
}

// sweep is the state of one Sweep; its methods do nothing on nil (Run).
type sweep struct {
	limit int
	mu    sync.Mutex
	res   SweepResult
	err   error
}

// left returns how many more deliveries the sweep may claim.
func (sw *sweep) left() int {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.limit <= 0 {
		return ClaimBatch
	}
	return max(sw.limit-sw.res.Claimed, 0)
}

func (sw *sweep) claim(n int) {
	if sw == nil {
		return
	}
	sw.mu.Lock()
	sw.res.Claimed += n
	sw.mu.Unlock()
}

func (sw *sweep) count(out wagate.DeliveryOutcome) {
	if sw == nil {
		return
	}
	sw.mu.Lock()
	defer sw.mu.Unlock()
	sw.res.Attempted++
	switch out.Status {
	case wagate.DeliveryDelivered:
		sw.res.Delivered++
	case wagate.DeliveryPending:
		sw.res.Retrying++
	default:
		sw.res.Dead++
	}
}

func (sw *sweep) fail(err error) {
	sw.mu.Lock()
	sw.err = err
	sw.mu.Unlock()
}
