package webhook

import (
	"context"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/stack"
)

// pool runs attempts on up to workers goroutines and keeps the per-session
// cap: a session never has more than perTarget attempts running or ready.
// Workers start when attempts first need them (an idle runtime holds none)
// and then stay until the pool stops.
//
// A claimed delivery whose session has room joins the ready queue, which
// the workers take in order; one whose session is at its cap waits in that
// session's own queue until the session frees a slot. Sessions at their
// cap are skipped by the next claims, so a slow endpoint holds perTarget
// workers and never delays the others' deliveries. The ready queue is
// refilled in batches (up to one pool's worth ahead of the workers), which
// keeps claims few and large under load.
type pool struct {
	workers, perTarget int
	spawn              func() // starts one more worker reading jobs; called with mu held

	mu       sync.Mutex
	started  int                                  // workers started
	busy     int                                  // attempts running
	ready    []*wagate.WebhookDelivery            // allowed by their session's cap, waiting for a worker
	inflight map[string]int                       // per session: running + ready
	waiting  map[string][]*wagate.WebhookDelivery // per session: over its cap
	held     map[string]bool                      // claimed and not finished: a re-claim is ignored
	retryAt  time.Time                            // the earliest retry recorded here, zero once claimed
	stopping bool

	jobs chan *wagate.WebhookDelivery // capacity workers: a send never blocks
	kick chan struct{}                // an attempt finished
}

func newPool(workers, perTarget int, spawn func()) *pool {
	return &pool{
		workers: workers, perTarget: perTarget, spawn: spawn,
		inflight: map[string]int{}, waiting: map[string][]*wagate.WebhookDelivery{}, held: map[string]bool{},
		jobs: make(chan *wagate.WebhookDelivery, workers), kick: make(chan struct{}, 1),
	}
}

// room returns how many deliveries the next claim should take (0: none
// now) and the sessions it must skip (at their cap). It claims at once
// while a worker is idle with nothing ready, and otherwise only once the
// ready queue has drained by half a pool.
func (p *pool) room() (int, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	limit := 2*p.workers - p.busy - len(p.ready)
	idle := p.busy < p.workers && len(p.ready) == 0
	if !idle && limit < p.workers/2 {
		return 0, nil
	}
	var skip []string
	for s, n := range p.inflight {
		if n+len(p.waiting[s]) >= p.perTarget {
			skip = append(skip, s)
		}
	}
	return limit, skip
}

// add queues claimed deliveries and starts what workers are free for.
func (p *pool) add(ds []*wagate.WebhookDelivery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range ds {
		if p.held[d.ID] {
			continue
		}
		p.held[d.ID] = true
		if s := d.SessionID; p.inflight[s] < p.perTarget {
			p.inflight[s]++
			p.ready = append(p.ready, d)
		} else {
			p.waiting[s] = append(p.waiting[s], d)
		}
	}
	p.start()
}

// start hands ready deliveries to idle workers. p.mu is held.
func (p *pool) start() {
	for p.busy < p.workers && len(p.ready) > 0 && !p.stopping {
		d := p.ready[0]
		p.ready[0] = nil
		p.ready = p.ready[1:]
		p.busy++
		if p.started < p.busy { // every started worker is busy
			p.started++
			p.spawn()
		}
		p.jobs <- d
	}
}

// done frees the worker and the session slot of a finished attempt; the
// session's next waiting delivery becomes ready. retryAt is when the
// delivery is due again (zero: never).
func (p *pool) done(d *wagate.WebhookDelivery, retryAt time.Time) {
	p.mu.Lock()
	delete(p.held, d.ID)
	if !retryAt.IsZero() && (p.retryAt.IsZero() || retryAt.Before(p.retryAt)) {
		p.retryAt = retryAt
	}
	s := d.SessionID
	p.inflight[s]--
	if q := p.waiting[s]; len(q) > 0 {
		p.ready = append(p.ready, q[0])
		p.inflight[s]++
		if q = q[1:]; len(q) == 0 {
			delete(p.waiting, s)
		} else {
			p.waiting[s] = q
		}
	}
	if p.inflight[s] <= 0 {
		delete(p.inflight, s)
	}
	p.busy--
	p.start()
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// nextRetry returns the earliest retry recorded here and forgets it once
// it is due (the claim that follows takes it).
func (p *pool) nextRetry(now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	at := p.retryAt
	if !at.After(now) {
		p.retryAt = time.Time{}
	}
	return at
}

// stop starts nothing more and closes the jobs channel; deliveries claimed
// but not started are retried when their lease ends.
func (p *pool) stop() {
	p.mu.Lock()
	p.stopping = true
	p.ready, p.waiting = nil, nil
	close(p.jobs)
	p.mu.Unlock()
}

// idle reports whether every claimed delivery has had its attempt.
func (p *pool) idle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.held) == 0
}

// attemptLoop claims due deliveries as the pool has room and runs their
// attempts, until ctx ends; then it waits for the attempts in flight.
func (dl *Deliverer) attemptLoop(ctx context.Context) {
	stack.Reserve() // the delivery store goes deep (package stack)
	dl.attempts(ctx, nil)
}

// attempts is attemptLoop. With a sweep (sw) it also ends once nothing is
// due (or sw's limit is claimed) and every claimed delivery has had its
// attempt, and at the first store error.
func (dl *Deliverer) attempts(ctx context.Context, sw *sweep) {
	// Attempts finish on their own context: a shutdown never cuts one off
	// halfway (each is bounded by the attempt timeout).
	work := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	var p *pool
	p = newPool(dl.workers(), dl.perTarget(), func() {
		wg.Go(func() {
			for d := range p.jobs {
				out := dl.deliver(work, d)
				sw.count(out)
				p.done(d, out.NextAttemptAt)
			}
		})
	})
	for ctx.Err() == nil {
		limit, skip := p.room()
		if sw != nil {
			limit = min(limit, sw.left())
		}
		if limit == 0 {
			if sw != nil && sw.left() == 0 && p.idle() {
				break
			}
			select {
			case <-p.kick:
			case <-ctx.Done():
			}
			continue
		}
		ds, err := dl.Store.ClaimDue(ctx, dl.now(), min(limit, ClaimBatch), AttemptLease, skip)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if sw != nil {
				sw.fail(err)
				break
			}
			dl.log().Error("claim due deliveries", "err", err)
			pause(ctx, errorPause)
			continue
		}
		if len(ds) > 0 {
			sw.claim(len(ds))
			p.add(ds)
			continue
		}
		if sw == nil {
			dl.waitDue(ctx, p)
			continue
		}
		if p.idle() {
			break // nothing due, nothing left to attempt
		}
		select { // an attempt finishes: its session may have been skipped
		case <-p.kick:
		case <-ctx.Done():
		}
	}
	p.stop()
	wg.Wait()
}

// waitDue waits for a delivery to fall due: one created or replayed, a
// retry this process scheduled, or a slot freed by a finished attempt
// (its session may have been skipped), for at most IdleWait.
func (dl *Deliverer) waitDue(ctx context.Context, p *pool) {
	d := IdleWait
	if at := p.nextRetry(dl.now()); !at.IsZero() {
		d = min(d, max(at.Sub(dl.now()), time.Millisecond))
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-p.kick:
			cancel()
		case <-wctx.Done():
		}
	}()
	dl.Store.WaitDue(wctx, d)
}
