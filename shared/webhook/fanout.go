package webhook

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ids"
	"github.com/wagate/wagate/shared/stack"
)

// fanOutLoop claims outbox events, stores their deliveries and acks them,
// until ctx ends.
func (dl *Deliverer) fanOutLoop(ctx context.Context) {
	stack.Reserve() // the outbox store goes deep (package stack)
	for ctx.Err() == nil {
		evs, err := dl.Outbox.Claim(ctx, FanoutBatch, FanoutLease)
		if ctx.Err() != nil && len(evs) == 0 {
			return
		}
		if err != nil {
			dl.log().Error("claim outbox events", "err", err)
			pause(ctx, errorPause)
			continue
		}
		// Claimed events are handled to the end even when ctx ends now:
		// the step is short, and it saves waiting out their lease.
		if err := dl.fanOut(context.WithoutCancel(ctx), evs); err != nil {
			dl.log().Error("fan out events", "events", len(evs), "err", err)
			pause(ctx, errorPause)
		}
	}
}

// fanOut stores the deliveries of evs (all in one call), then acks evs. A
// crash in between leaves the events in the outbox; they are claimed again
// and their deliveries, keyed by (event, target), are not stored twice.
func (dl *Deliverer) fanOut(ctx context.Context, evs []events.Event) error {
	sessions := map[string]*wagate.Session{}
	var ds []*wagate.WebhookDelivery
	ack := make([]string, 0, len(evs))
	now := dl.now().UTC()
	for _, ev := range evs {
		ack = append(ack, ev.ID)
		sess, err := dl.session(ctx, sessions, ev.SessionID)
		if err != nil {
			return err
		}
		targets := Targets(ev, sess, dl.Frappe)
		if len(targets) == 0 {
			continue
		}
		raw, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("encode event %q: %w", ev.ID, err)
		}
		for _, target := range targets {
			ds = append(ds, &wagate.WebhookDelivery{
				ID: ids.New(), EventID: ev.ID, EventType: ev.Type, SessionID: ev.SessionID,
				Target: target, Event: raw, CreatedAt: now,
			})
		}
	}
	if err := dl.Store.CreateDeliveries(ctx, ds); err != nil {
		return err
	}
	if err := dl.Outbox.Ack(ctx, ack...); err != nil {
		return fmt.Errorf("ack fanned-out events: %w", err)
	}
	return nil
}

// session returns the session of an event, nil if it is gone (or the event
// names none), looking each up once per batch.
func (dl *Deliverer) session(ctx context.Context, seen map[string]*wagate.Session, id string) (*wagate.Session, error) {
	if id == "" {
		return nil, nil
	}
	if s, ok := seen[id]; ok {
		return s, nil
	}
	s, err := dl.Sessions.FindSession(ctx, id)
	if wagate.ErrorCode(err) == wagate.ENOSESSION {
		s, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find session %q: %w", id, err)
	}
	seen[id] = s
	return s, nil
}
