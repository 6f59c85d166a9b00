package sqlite

// wakeup hands waiting Receive or Claim calls a token when their table
// changed. It holds at most one token, so a burst of changes wakes one
// waiter; a waiter that fills its whole batch passes a token on (more may be
// waiting), so a burst still reaches as many waiters as it needs without
// waking all of them for every change. A token sent while nobody waits stays
// for the next waiter, so a change between a waiter's look at the table and
// its wait is never missed.
type wakeup struct {
	ch chan struct{}
}

func newWakeup() *wakeup { return &wakeup{ch: make(chan struct{}, 1)} }

// notify leaves a token unless one is already waiting to be taken.
func (w *wakeup) notify() {
	select {
	case w.ch <- struct{}{}:
	default:
	}
}

// token returns the channel to take a token from.
func (w *wakeup) token() <-chan struct{} { return w.ch }
