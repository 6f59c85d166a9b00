package dynamo

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/ddb"
)

// ListDeliveries returns a page of the deliveries matching f, newest first
// (by CreatedAt, then ID; Since and Until are inclusive bounds on
// CreatedAt), and how many match. It walks the session's deliveries (gsi1)
// when f has a session, else those of f's status (gsi2), else all (gsi3),
// filtering the rest on projected attributes. The total is a bounded count
// (at most maxCountedTotal), never below what the page proves.
func (st *DeliveryStore) ListDeliveries(ctx context.Context, f wagate.DeliveryFilter) ([]*wagate.WebhookDelivery, int, error) {
	w := deliveryWalk(f, false)
	offset := max(f.Offset, 0)
	entries, err := st.t.page(ctx, w, offset, listLimit(f.Limit))
	if err != nil {
		return nil, 0, fmt.Errorf("list deliveries: %w", err)
	}
	total, err := st.t.count(ctx, w, maxCountedTotal)
	if err != nil {
		return nil, 0, fmt.Errorf("count deliveries: %w", err)
	}
	items, err := st.t.fetch(ctx, entries)
	if err != nil {
		return nil, 0, fmt.Errorf("list deliveries: %w", err)
	}
	list := make([]*wagate.WebhookDelivery, 0, len(items))
	for _, it := range items {
		d, err := decodeDelivery(it)
		if err != nil {
			return nil, 0, fmt.Errorf("list deliveries: %w", err)
		}
		list = append(list, d)
	}
	if len(list) > 0 {
		total = max(total, offset+len(list))
	}
	return list, total, nil
}

// deliveryWalk returns the index walk of f, newest first: by status
// (gsi2) when statusFirst and f has a status, else by session (gsi1), else
// by status, else all (gsi3); the other fields of f filter on attributes
// the chosen index projects.
func deliveryWalk(f wagate.DeliveryFilter, statusFirst bool) walk {
	w := walk{index: gsi3, pk: gkAllDeliveries, lo: timeLo(f.Since), hi: timeHi(f.Until), desc: true}
	eq := map[string]string{aSessionID: f.SessionID, aStatus: string(f.Status), aEventType: f.EventType}
	switch {
	case f.Status != "" && (statusFirst || f.SessionID == ""):
		w.index, w.pk = gsi2, gkDeliveriesByStatus(string(f.Status))
		delete(eq, aStatus)
	case f.SessionID != "":
		w.index, w.pk = gsi1, gkDeliveries(f.SessionID)
		delete(eq, aSessionID)
	}
	var attrs []string
	for _, a := range []string{aSessionID, aStatus, aEventType} { // a fixed order: stable expressions
		if eq[a] != "" {
			attrs = append(attrs, a)
		}
	}
	if len(attrs) > 0 {
		w.project = attrs
		w.filter = func(e *expr) string {
			s := ""
			for _, a := range attrs {
				if s != "" {
					s += " AND "
				}
				s += e.eq(a, sv(eq[a]))
			}
			return s
		}
	}
	return w
}

// Replay makes the delivery pending and due at now with a fresh round of
// attempts (Attempts = 0), lifting any lease; its attempt log stays.
func (st *DeliveryStore) Replay(ctx context.Context, id string, now time.Time) (*wagate.WebhookDelivery, error) {
	d, err := st.replay(ctx, id, now, "")
	if isCondFailed(err) {
		return nil, wagate.Errorf(wagate.ENOTFOUND, "Delivery %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("replay delivery %q: %w", id, err)
	}
	return d, nil
}

// replay makes delivery id pending and due at now, on the condition that
// it exists and, when from is set, has status from.
func (st *DeliveryStore) replay(ctx context.Context, id string, now time.Time, from wagate.DeliveryStatus) (*wagate.WebhookDelivery, error) {
	var e expr
	pending := string(wagate.DeliveryPending)
	u := newUpdate(&e).
		set(aStatus, sv(pending)).set(attrGSI2PK, sv(gkDeliveriesByStatus(pending))).
		set(aAttempts, nv(0)).set(aNext, sv(fmtTime(now))).set(aUpdatedAt, sv(fmtTime(now))).
		set(attrGSI4PK, sv(gkDue)).set(attrGSI4SK, sv(timeStr(now, id))).
		remove(aLease)
	cond := "attribute_exists(" + e.n(attrPK) + ")"
	if from != "" {
		cond += " AND " + e.eq(aStatus, sv(string(from)))
	}
	out, err := st.t.updateItem(ctx, &dynamodb.UpdateItemInput{
		Key:              itemKey{deliveryPK(id), skDelivery}.av(),
		UpdateExpression: aws.String(u.String()), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: e.Names(), ExpressionAttributeValues: e.Values(),
		ReturnValues: types.ReturnValueAllNew,
	})
	if err != nil {
		return nil, err
	}
	return decodeDelivery(out.Attributes)
}

// ReplayDead replays, like Replay, every dead delivery matching f's
// SessionID, EventType, Since and Until (its Status, Offset and Limit are
// ignored), found on the dead deliveries' index; returns how many.
func (st *DeliveryStore) ReplayDead(ctx context.Context, f wagate.DeliveryFilter, now time.Time) (int, error) {
	f.Status = wagate.DeliveryDead
	w := deliveryWalk(f, true)
	var ids []string
	err := st.t.each(ctx, w, 0, func(it item) bool {
		ids = append(ids, getS(it, attrPK)[len(deliveryPK("")):])
		return true
	})
	if err != nil {
		return 0, fmt.Errorf("replay dead deliveries: %w", err)
	}
	var n atomic.Int64
	err = ddb.ForEach(ctx, len(ids), func(ctx context.Context, i int) error {
		_, err := st.replay(ctx, ids[i], now, wagate.DeliveryDead)
		if isCondFailed(err) { // replayed meanwhile, or gone
			return nil
		}
		if err == nil {
			n.Add(1)
		}
		return err
	})
	if err != nil {
		return int(n.Load()), fmt.Errorf("replay dead deliveries: %w", err)
	}
	return int(n.Load()), nil
}
