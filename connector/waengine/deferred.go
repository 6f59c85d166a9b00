package waengine

import (
	"context"
	"fmt"
	"log/slog"
)

// OpenDevices opens a device store.
type OpenDevices func(ctx context.Context) (Devices, error)

// NewDeferred returns an engine that opens its device store at the first
// call needing it (a session's first client, a device deletion) instead of
// at start: a runtime without WhatsApp sessions never opens it, which
// keeps whatsmeow's schema out of every SQLite connection and its code
// out of memory (docs/benchmarks.md, "Idle memory"). An open that fails is
// reported to that call and tried again at the next one.
func NewDeferred(open OpenDevices, log *slog.Logger, opts ...Option) *Engine {
	e := New(nil, log, opts...)
	e.open = open
	return e
}

// devices returns the device store, opening it first if it is deferred.
func (e *Engine) devices(ctx context.Context) (Devices, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.container == nil && e.open != nil {
		c, err := e.open(ctx)
		if err != nil {
			return nil, fmt.Errorf("open whatsmeow device store: %w", err)
		}
		e.container = c
	}
	return e.container, nil
}
