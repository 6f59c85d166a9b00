package dynamo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
)

// Record logs the attempt (numbered after the delivery's last one, across
// replays), counts it, ends the lease and applies the outcome, in one
// transaction conditioned on the attempt log being as it was read (a
// concurrent Record of the same delivery makes it re-read and retry). A
// pending outcome with a zero NextAttemptAt is due at once. Returns
// ENOTFOUND for an unknown id and EINVALID for an unknown status.
func (st *DeliveryStore) Record(ctx context.Context, id string, out wagate.DeliveryOutcome) error {
	switch out.Status {
	case wagate.DeliveryPending, wagate.DeliveryDelivered, wagate.DeliveryDead:
	default:
		return wagate.Errorf(wagate.EINVALID, "Unknown delivery status %q", out.Status)
	}
	k := itemKey{deliveryPK(id), skDelivery}
	for attempt := 0; ; attempt++ {
		cur, err := st.t.get(ctx, k)
		if err != nil {
			return fmt.Errorf("record attempt of delivery %q: %w", id, err)
		}
		if cur == nil {
			return wagate.Errorf(wagate.ENOTFOUND, "Delivery %s not found", id)
		}
		actions, err := recordActions(st.t, id, int(getN(cur, aLogged)), out, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("record attempt of delivery %q: %w", id, err)
		}
		err = st.t.transact(ctx, actions)
		if err == nil {
			return nil
		}
		if !isCondFailed(err) || attempt >= maxRetries {
			return fmt.Errorf("record attempt of delivery %q: %w", id, err)
		}
	}
}

// recordActions updates delivery id, whose log holds logged attempts, with
// out, and logs the attempt.
func recordActions(t *Table, id string, logged int, out wagate.DeliveryOutcome, now time.Time) ([]types.TransactWriteItem, error) {
	a := out.Attempt
	a.N = logged + 1
	if a.At.IsZero() {
		a.At = now
	}
	var e expr
	u := newUpdate(&e).
		set(aStatus, sv(string(out.Status))).set(attrGSI2PK, sv(gkDeliveriesByStatus(string(out.Status)))).
		add(aAttempts, 1).set(aLogged, nv(int64(a.N))).
		setS(aLastURL, a.URL).setS(aLastError, a.Error).set(aUpdatedAt, sv(fmtTime(now))).
		remove(aLease)
	if a.StatusCode != 0 {
		u.set(aLastCode, nv(int64(a.StatusCode)))
	} else {
		u.remove(aLastCode)
	}
	if out.Status == wagate.DeliveryPending {
		next := out.NextAttemptAt
		if next.IsZero() {
			next = now
		}
		u.set(aNext, sv(fmtTime(next))).set(attrGSI4PK, sv(gkDue)).set(attrGSI4SK, sv(timeStr(next, id)))
	} else {
		u.remove(aNext).remove(attrGSI4PK).remove(attrGSI4SK)
	}
	if out.Status == wagate.DeliveryDelivered {
		u.set(aDeliveredAt, sv(fmtTime(a.At)))
	}
	log, err := encodeAttempt(id, a)
	if err != nil {
		return nil, err
	}
	return []types.TransactWriteItem{
		t.updateAction(itemKey{deliveryPK(id), skDelivery}, u, e.eq(aLogged, nv(int64(logged)))),
		t.putNewAction(log),
	}, nil
}

// FindDelivery returns the delivery with this id and its attempts in order:
// one strongly consistent Query of the delivery's partition.
func (st *DeliveryStore) FindDelivery(ctx context.Context, id string) (*wagate.WebhookDelivery, []wagate.WebhookAttempt, error) {
	var (
		d        *wagate.WebhookDelivery
		attempts []wagate.WebhookAttempt
		derr     error
	)
	err := st.t.each(ctx, walk{pk: deliveryPK(id), full: true}, 0, func(it item) bool {
		switch sk := getS(it, attrSK); {
		case sk == skDelivery:
			d, derr = decodeDelivery(it)
		case strings.HasPrefix(sk, preAttempt):
			var a wagate.WebhookAttempt
			a, derr = decodeAttempt(id, it)
			attempts = append(attempts, a)
		}
		return derr == nil
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find delivery %q: %w", id, err)
	}
	if d == nil {
		return nil, nil, wagate.Errorf(wagate.ENOTFOUND, "Delivery %s not found", id)
	}
	return d, attempts, nil
}
