package localrt

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Idle trimming: Go's collector lets the heap grow to at least 4 MiB before
// it runs, and the memory it frees then stays with the process (the
// scavenger only returns what exceeds the next goal). A runtime that sits
// idle for hours would so hold a few MiB of garbage and freed pages,
// picked up slowly from its idle loops. Every TrimEvery, if the process
// allocated less than TrimIdleBytes since the last look (it was idle), it
// collects and returns its free memory to the OS at once. That is one
// collection per period at idle, the cadence the runtime itself keeps for
// an idle program (one forced collection per 2 minutes); under traffic it
// does nothing.
const (
	TrimEvery     = 2 * time.Minute
	TrimIdleBytes = 4 << 20
)

// trimmer returns free memory to the OS after each idle period.
type trimmer struct {
	every     time.Duration
	idleBytes uint64
	allocated func() uint64 // bytes allocated since the start, ever growing
	trim      func()
}

// newTrimmer trims the Go runtime's heap (debug.FreeOSMemory).
func newTrimmer() *trimmer {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	return &trimmer{
		every: TrimEvery, idleBytes: TrimIdleBytes,
		allocated: func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() },
		trim:      debug.FreeOSMemory,
	}
}

// run trims after every idle period until ctx ends.
func (t *trimmer) run(ctx context.Context) {
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	last := t.allocated()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := t.allocated()
		if now-last < t.idleBytes {
			t.trim()
			now = t.allocated()
		}
		last = now
	}
}
