package sqlite

import "sync"

// broadcast wakes every waiter at once: a waiter takes the current channel
// before looking at the table, then waits on it; notify closes it and puts a
// fresh one in its place. A change between the look and the wait is
// therefore never missed.
type broadcast struct {
	mu sync.Mutex
	ch chan struct{}
}

func newBroadcast() *broadcast { return &broadcast{ch: make(chan struct{})} }

// changed returns the channel closed by the next notify.
func (b *broadcast) changed() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}

// notify wakes the current waiters.
func (b *broadcast) notify() {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.ch)
	b.ch = make(chan struct{})
}
