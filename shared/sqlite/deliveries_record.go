package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// Record logs the attempt (numbered after the delivery's last one), counts
// it, clears the lease and applies the outcome. A pending outcome with a
// zero NextAttemptAt is due at once. Returns ENOTFOUND for an unknown id and
// EINVALID for an unknown status.
func (st *DeliveryStore) Record(ctx context.Context, id string, out wagate.DeliveryOutcome) error {
	switch out.Status {
	case wagate.DeliveryPending, wagate.DeliveryDelivered, wagate.DeliveryDead:
	default:
		return wagate.Errorf(wagate.EINVALID, "Unknown delivery status %q", out.Status)
	}
	req := &recordReq{id: id, out: out}
	if b, lead := st.rec.join(req); lead {
		st.flush(ctx, b)
	} else {
		<-b.done
	}
	if req.err != nil {
		return fmt.Errorf("record attempt of delivery %q: %w", id, req.err)
	}
	return nil
}

// recorder commits concurrent Record calls together (group commit): the
// first caller of a batch writes it, in one transaction, and the calls that
// arrive meanwhile gather in the next batch, written by its own first
// caller as soon as the current write ends. Under load (many attempts
// finishing at once) one commit serves many attempts.
type recorder struct {
	mu      sync.Mutex
	open    *recordBatch // gathering; nil if none
	writing bool         // a batch is being written
}

type recordBatch struct {
	reqs []*recordReq
	lead chan struct{} // closed when the first caller may write the batch
	done chan struct{} // closed when the batch is written
}

type recordReq struct {
	id  string
	out wagate.DeliveryOutcome
	err error
}

// join adds req to the gathering batch and says whether the caller writes
// it (after waiting for its turn).
func (r *recorder) join(req *recordReq) (*recordBatch, bool) {
	r.mu.Lock()
	b, first := r.open, false
	if b == nil {
		b, first = &recordBatch{lead: make(chan struct{}), done: make(chan struct{})}, true
		r.open = b
	}
	b.reqs = append(b.reqs, req)
	if !r.writing {
		r.writing, r.open = true, nil
		r.mu.Unlock()
		return b, true
	}
	r.mu.Unlock()
	if first {
		<-b.lead
	}
	return b, first
}

// handOver passes the turn to the batch gathered meanwhile, if any.
func (r *recorder) handOver() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if next := r.open; next != nil {
		r.open = nil
		close(next.lead)
		return
	}
	r.writing = false
}

// flush writes batch b, then hands over and releases its callers. An
// unknown id fails its own call only; a database error fails them all.
func (st *DeliveryStore) flush(ctx context.Context, b *recordBatch) {
	defer close(b.done)
	defer st.rec.handOver()
	// The batch carries other callers' records: the first caller's
	// cancellation must not fail them.
	ctx = context.WithoutCancel(ctx)
	now := canonicalTime(time.Now())
	err := st.db.write(ctx, func(tx *sql.Tx) error {
		for _, req := range b.reqs {
			req.err = nil
			if err := st.recordOne(ctx, tx, req, now); err != nil {
				if wagate.ErrorCode(err) != wagate.ENOTFOUND {
					return err
				}
				req.err = err
			}
		}
		return nil
	}, nil)
	if err != nil {
		for _, req := range b.reqs {
			req.err = err
		}
	}
}

// recordOne applies one outcome in tx.
func (st *DeliveryStore) recordOne(ctx context.Context, tx *sql.Tx, req *recordReq, now time.Time) error {
	out, a := req.out, req.out.Attempt
	at := canonicalTime(a.At)
	if at.IsZero() {
		at = now
	}
	var next int64
	if out.Status == wagate.DeliveryPending {
		next = now.UnixMilli()
		if !out.NextAttemptAt.IsZero() {
			next = out.NextAttemptAt.UnixMilli()
		}
	}
	var deliveredAt sql.NullString
	if out.Status == wagate.DeliveryDelivered {
		deliveredAt = nullTime(at)
	}
	res, err := st.db.exec(ctx, tx, `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1,
		next_attempt_at = ?, lease_until = 0, last_url = ?, last_code = ?, last_error = ?, updated_at = ?,
		delivered_at = COALESCE(?, delivered_at) WHERE id = ?`,
		string(out.Status), next, a.URL, a.StatusCode, a.Error, formatTime(now), deliveredAt, req.id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return wagate.Errorf(wagate.ENOTFOUND, "Delivery %s not found", req.id)
	}
	_, err = st.db.exec(ctx, tx, `INSERT INTO webhook_attempts (delivery_id, n, at, url, status_code, latency_ms, error)
		SELECT ?, COALESCE(MAX(n), 0) + 1, ?, ?, ?, ?, ? FROM webhook_attempts WHERE delivery_id = ?`,
		req.id, formatTime(at), a.URL, a.StatusCode, a.Latency.Milliseconds(), a.Error, req.id)
	return err
}
