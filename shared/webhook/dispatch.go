package webhook

import (
	"context"
	"sync"

	wagate "github.com/wagate/wagate/shared"
)

// pool runs attempts on a fixed set of workers and keeps the per-session
// cap: a session never has more than perTarget attempts in flight. A
// claimed delivery whose session is at its cap waits in that session's
// local queue and takes the next slot the session frees; such sessions are
// skipped by the next claims, so a slow endpoint holds perTarget workers
// and never the others.
type pool struct {
	workers, perTarget int

	mu       sync.Mutex
	busy     int            // attempts handed to workers, not finished
	inflight map[string]int // per session
	waiting  map[string][]*wagate.WebhookDelivery
	held     map[string]bool // claimed and not finished: a re-claim is ignored
	stopping bool

	jobs chan *wagate.WebhookDelivery // capacity workers: a send never blocks
	kick chan struct{}                // a slot was freed
}

func newPool(workers, perTarget int) *pool {
	return &pool{
		workers: workers, perTarget: perTarget,
		inflight: map[string]int{}, waiting: map[string][]*wagate.WebhookDelivery{}, held: map[string]bool{},
		jobs: make(chan *wagate.WebhookDelivery, workers), kick: make(chan struct{}, 1),
	}
}

// room returns how many deliveries the next claim may take (free workers)
// and the sessions it must skip (at their cap).
func (p *pool) room() (int, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var skip []string
	for s, n := range p.inflight {
		if n+len(p.waiting[s]) >= p.perTarget {
			skip = append(skip, s)
		}
	}
	return p.workers - p.busy, skip
}

// add hands claimed deliveries to workers, or to their session's queue.
// ds must fit in the room reported just before.
func (p *pool) add(ds []*wagate.WebhookDelivery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range ds {
		if p.held[d.ID] {
			continue
		}
		p.held[d.ID] = true
		s := d.SessionID
		if p.inflight[s] < p.perTarget {
			p.inflight[s]++
			p.busy++
			p.jobs <- d
		} else {
			p.waiting[s] = append(p.waiting[s], d)
		}
	}
}

// done frees the slot of a finished attempt: the next waiting delivery of
// the same session takes it, or it goes back to the pool.
func (p *pool) done(d *wagate.WebhookDelivery) {
	p.mu.Lock()
	delete(p.held, d.ID)
	s := d.SessionID
	if q := p.waiting[s]; len(q) > 0 && !p.stopping {
		p.jobs <- q[0]
		if q = q[1:]; len(q) == 0 {
			delete(p.waiting, s)
		} else {
			p.waiting[s] = q
		}
	} else {
		p.busy--
		if p.inflight[s]--; p.inflight[s] <= 0 {
			delete(p.inflight, s)
		}
	}
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// stop lets no waiting delivery start and closes the jobs channel; the
// waiting ones are retried when their lease ends.
func (p *pool) stop() {
	p.mu.Lock()
	p.stopping = true
	p.waiting = map[string][]*wagate.WebhookDelivery{}
	close(p.jobs)
	p.mu.Unlock()
}

// attemptLoop claims due deliveries while workers are free and runs their
// attempts, until ctx ends; then it waits for the attempts in flight.
func (dl *Deliverer) attemptLoop(ctx context.Context) {
	p := newPool(dl.workers(), dl.perTarget())
	// Attempts finish on their own context: a shutdown never cuts one off
	// halfway (each is bounded by the attempt timeout).
	work := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	for range p.workers {
		wg.Go(func() {
			for d := range p.jobs {
				dl.deliver(work, d)
				p.done(d)
			}
		})
	}
	for ctx.Err() == nil {
		free, skip := p.room()
		if free == 0 {
			select {
			case <-p.kick:
			case <-ctx.Done():
			}
			continue
		}
		ds, err := dl.Store.ClaimDue(ctx, dl.now(), min(free, ClaimBatch), AttemptLease, skip)
		if err != nil {
			if ctx.Err() == nil {
				dl.log().Error("claim due deliveries", "err", err)
				pause(ctx, errorPause)
			}
			continue
		}
		if len(ds) > 0 {
			p.add(ds)
			continue
		}
		dl.waitDue(ctx, p, len(skip) > 0)
	}
	p.stop()
	wg.Wait()
}

// waitDue waits for a delivery to fall due; with sessions skipped, a slot
// freed by one of them ends the wait too.
func (dl *Deliverer) waitDue(ctx context.Context, p *pool, skipping bool) {
	if !skipping {
		dl.Store.WaitDue(ctx, IdleWait)
		return
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
	dl.Store.WaitDue(wctx, IdleWait)
}
