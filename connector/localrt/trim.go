package localrt

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Idle trimming: Go's collector lets the heap grow to at least 4 MiB before
// it runs, and the memory it frees then stays with the process (the
// scavenger only returns what exceeds the next goal). After traffic, a
// runtime that falls idle would so hold a few MiB of garbage and freed
// pages. Every TrimEvery, if the process allocated less than TrimIdleBytes
// since the last look (it was idle), it collects and returns its free
// memory to the OS at once. That is one collection per period at idle, the
// cadence the runtime itself keeps for an idle program once it has
// collected (one forced collection per 2 minutes); under traffic it does
// nothing.
//
// Before the runtime's first collection it does nothing either: the heap
// has then never reached the collector's first goal, and a collection
// would cost more resident memory than it frees (its metadata, the pc
// tables read while scanning and regrowing stacks: about 2 MiB, measured
// in docs/benchmarks.md). A runtime that starts and stays idle allocates
// next to nothing (its loops wait for wake-ups) and so never collects.
const (
	TrimEvery     = 2 * time.Minute
	TrimIdleBytes = 4 << 20
)

// trimmer returns free memory to the OS after each idle period.
type trimmer struct {
	every     time.Duration
	idleBytes uint64
	allocated func() uint64 // bytes allocated since the start, ever growing
	collected func() uint64 // collections since the start
	trim      func()
}

// newTrimmer trims the Go runtime's heap (debug.FreeOSMemory).
func newTrimmer() *trimmer {
	return &trimmer{
		every: TrimEvery, idleBytes: TrimIdleBytes,
		allocated: readUint64("/gc/heap/allocs:bytes"),
		collected: readUint64("/gc/cycles/total:gc-cycles"),
		trim:      debug.FreeOSMemory,
	}
}

// readUint64 returns a reader of one cumulative runtime metric.
func readUint64(name string) func() uint64 {
	sample := []metrics.Sample{{Name: name}}
	return func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
}

// run trims after every idle period that follows the runtime's first
// collection, until ctx ends.
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
		if now-last < t.idleBytes && t.collected() > 0 {
			t.trim()
			now = t.allocated()
		}
		last = now
	}
}
