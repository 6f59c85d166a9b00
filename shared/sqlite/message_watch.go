package sqlite

import (
	"sync"

	wagate "github.com/wagate/wagate/shared"
)

var _ wagate.MessageWatcher = (*MessageStore)(nil)

// watches signals in-process waiters when a message changes, so a send
// request waiting for "sent" wakes at once instead of polling.
type watches struct {
	mu sync.Mutex
	m  map[string][]chan struct{}
}

func (w *watches) add(key string) (<-chan struct{}, func()) {
	ch := make(chan struct{})
	w.mu.Lock()
	if w.m == nil {
		w.m = map[string][]chan struct{}{}
	}
	w.m[key] = append(w.m[key], ch)
	w.mu.Unlock()
	return ch, func() { w.remove(key, ch) }
}

func (w *watches) remove(key string, ch chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	list := w.m[key]
	for i, c := range list {
		if c == ch {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(w.m, key)
	} else {
		w.m[key] = list
	}
}

// notify wakes every waiter of key (each channel is closed once).
func (w *watches) notify(key string) {
	w.mu.Lock()
	list := w.m[key]
	delete(w.m, key)
	w.mu.Unlock()
	for _, ch := range list {
		close(ch)
	}
}

// WatchMessage returns a channel closed at the next change of the message;
// call stop when no longer waiting.
func (st *MessageStore) WatchMessage(sessionID, whatsAppID string) (<-chan struct{}, func()) {
	return st.watches.add(sessionID + "\x00" + whatsAppID)
}
