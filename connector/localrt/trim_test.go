package localrt

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTrimmerTrimsOnlyIdlePeriods: a period with little allocation ends in
// a trim, a busy one does not.
func TestTrimmerTrimsOnlyIdlePeriods(t *testing.T) {
	var mu sync.Mutex
	var allocated uint64
	trims := 0
	tick := make(chan struct{}, 1)
	tr := &trimmer{
		every: 5 * time.Millisecond, idleBytes: 1000,
		allocated: func() uint64 { mu.Lock(); defer mu.Unlock(); return allocated },
		collected: func() uint64 { return 1 },
		trim: func() {
			mu.Lock()
			trims++
			mu.Unlock()
			select {
			case tick <- struct{}{}:
			default:
			}
		},
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); tr.run(ctx) }()

	<-tick // idle from the start: trimmed
	mu.Lock()
	allocated += 10_000 // busy from now on: each period allocates more than idleBytes
	mu.Unlock()
	busy := time.NewTicker(time.Millisecond)
	deadline := time.After(50 * time.Millisecond)
loop:
	for {
		select {
		case <-busy.C:
			mu.Lock()
			allocated += 2_000
			mu.Unlock()
		case <-tick:
			// a trim may land in the period that ended just as the load began
		case <-deadline:
			break loop
		}
	}
	busy.Stop()
	mu.Lock()
	during := trims
	mu.Unlock()
	if during > 2 {
		t.Fatalf("%d trims while busy, want at most the one around the switch", during-1)
	}
	select { // idle again: trimmed
	case <-tick:
	case <-time.After(5 * time.Second):
		t.Fatal("no trim after the load stopped")
	}
	cancel()
	<-done
}

// TestTrimmerWaitsForTheFirstCollection: idle periods before the runtime
// has ever collected end in no trim; once it has, they do.
func TestTrimmerWaitsForTheFirstCollection(t *testing.T) {
	var cycles atomic.Uint64
	trimmed := make(chan struct{}, 1)
	tr := &trimmer{
		every: time.Millisecond, idleBytes: 1000,
		allocated: func() uint64 { return 0 },
		collected: cycles.Load,
		trim: func() {
			if cycles.Load() == 0 {
				t.Error("trimmed before the first collection")
			}
			select {
			case trimmed <- struct{}{}:
			default:
			}
		},
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); tr.run(ctx) }()
	time.Sleep(30 * time.Millisecond) // about 30 idle periods, none trimmed
	cycles.Store(1)
	select {
	case <-trimmed:
	case <-time.After(5 * time.Second):
		t.Fatal("no trim after the first collection")
	}
	cancel()
	<-done
}

func TestNewTrimmerReadsTheRuntime(t *testing.T) {
	tr := newTrimmer()
	a := tr.allocated()
	_ = make([]byte, 1<<20)
	if b := tr.allocated(); b <= a {
		t.Fatalf("allocated bytes did not grow: %d then %d", a, b)
	}
	c := tr.collected()
	tr.trim() // debug.FreeOSMemory: must not fail
	if d := tr.collected(); d <= c {
		t.Fatalf("collections did not grow across a trim: %d then %d", c, d)
	}
}
