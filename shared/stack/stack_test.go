package stack

import (
	"runtime"
	"sync"
	"testing"
)

// deep recurses n frames of 512 bytes each, the shape of a SQLite call.
//
//go:noinline
func deep(n int) byte {
	var b [512]byte
	b[n%len(b)] = byte(n)
	if n == 0 {
		return b[0]
	}
	return b[n%len(b)] + deep(n-1)
}

func TestReserveThenDeepCallsWork(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			Reserve()
			Reserve() // a second call on a grown stack is harmless
			_ = deep(20)
		})
	}
	wg.Wait()
}

// TestReserveGrowsTheStackUpFront checks, through the runtime's own
// accounting, that a goroutine which called Reserve holds a stack of at
// least 16 KiB before it goes deep.
func TestReserveGrowsTheStackUpFront(t *testing.T) {
	const goroutines = 64
	measure := func(reserve bool) uint64 {
		var start, ready, release sync.WaitGroup
		start.Add(1)
		ready.Add(goroutines)
		release.Add(1)
		for range goroutines {
			go func() {
				start.Wait()
				if reserve {
					Reserve()
				}
				ready.Done()
				release.Wait()
			}()
		}
		start.Done()
		ready.Wait()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		release.Done()
		return m.StackInuse
	}
	without := measure(false)
	with := measure(true)
	if grown := int64(with) - int64(without); grown < goroutines*(16-2)<<10*3/4 {
		t.Fatalf("stack in use with Reserve %d B, without %d B: want about %d KiB more", with, without, goroutines*14)
	}
}

func BenchmarkReserveNewGoroutine(b *testing.B) {
	done := make(chan struct{})
	for b.Loop() {
		go func() { Reserve(); done <- struct{}{} }()
		<-done
	}
}
