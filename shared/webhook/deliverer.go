package webhook

import (
	"context"
	"log/slog"
	"sync"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

const (
	// DefaultWorkers is how many attempts run at once by default.
	DefaultWorkers = 64
	// DefaultPerTarget is how many attempts of one session run at once by
	// default: a slow or dead endpoint holds at most that many workers.
	DefaultPerTarget = 4
	// MediaLinkTTL is how long the media.url of a delivered message works.
	MediaLinkTTL = 24 * time.Hour

	// FanoutBatch is how many outbox events one fan-out step claims (the
	// local outbox hands out at most 100 at a time).
	FanoutBatch = 256
	// FanoutLease hides claimed outbox events from other claims until
	// their deliveries are stored; a crash in between re-claims them after.
	FanoutLease = 30 * time.Second
	// ClaimBatch caps how many due deliveries one claim takes.
	ClaimBatch = 256
	// AttemptLease hides a claimed delivery from other claims while its
	// attempt runs (or waits for its session's turn); after a crash, the
	// interrupted attempts are retried once it ends.
	AttemptLease = time.Minute
	// IdleWait bounds a wait for due deliveries before looking again. The
	// store's WaitDue also returns at the next scheduled attempt and when a
	// delivery is created or replayed in this process, so this is only a
	// safety net against a missed wake-up; kept wide so an idle runtime
	// stays quiet (it is the local runtime's loop: on aws the sweep Lambda
	// runs on a schedule instead).
	IdleWait = time.Hour
	// errorPause is how long a loop rests after a store error.
	errorPause = time.Second
)

// Deliverer moves events from the outbox to the CRMs. Run it once per
// process; Test may be called at any time.
type Deliverer struct {
	Outbox   wagate.Outbox
	Store    wagate.DeliveryStore
	Sessions wagate.SessionStore
	Blobs    wagate.BlobStore // for media links; nil leaves media.url as published
	Frappe   Frappe
	Sender   *Sender  // nil: a Sender with NewClient(Workers)
	Schedule Schedule // nil: DefaultSchedule
	Workers  int      // attempts at once; 0 = DefaultWorkers
	// PerTarget caps the attempts in flight for one session (its endpoints);
	// 0 = DefaultPerTarget.
	PerTarget int
	Log       *slog.Logger     // nil = slog.Default()
	Now       func() time.Time // nil = time.Now
	// Rand is the jitter source (uniform in [0,1)); nil = math/rand/v2.
	Rand func() float64

	once   sync.Once
	sender *Sender
}

// Run delivers until ctx ends: one loop fans new outbox events out into
// stored deliveries, another claims due deliveries and attempts them on the
// worker pool. On return the attempts in flight have finished (each is
// bounded by its timeout) and recorded; deliveries claimed but not started
// are retried once their lease ends. Store errors are logged and retried:
// Run returns nil when ctx ends.
func (dl *Deliverer) Run(ctx context.Context) error {
	dl.init()
	var wg sync.WaitGroup
	wg.Go(func() { dl.fanOutLoop(ctx) })
	wg.Go(func() { dl.attemptLoop(ctx) })
	wg.Wait()
	return nil
}

func (dl *Deliverer) init() {
	dl.once.Do(func() {
		dl.sender = dl.Sender
		if dl.sender == nil {
			dl.sender = &Sender{Client: NewClient(dl.workers())}
		}
	})
}

func (dl *Deliverer) workers() int {
	if dl.Workers > 0 {
		return dl.Workers
	}
	return DefaultWorkers
}

func (dl *Deliverer) perTarget() int {
	if dl.PerTarget > 0 {
		return dl.PerTarget
	}
	return DefaultPerTarget
}

func (dl *Deliverer) schedule() Schedule {
	if dl.Schedule != nil {
		return dl.Schedule
	}
	return DefaultSchedule
}

func (dl *Deliverer) log() *slog.Logger {
	if dl.Log != nil {
		return dl.Log
	}
	return slog.Default()
}

func (dl *Deliverer) now() time.Time {
	if dl.Now != nil {
		return dl.Now()
	}
	return time.Now()
}

// pause sleeps d or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
