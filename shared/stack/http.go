package stack

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
)

// ServeConns makes the goroutine serving each of srv's connections reserve
// its stack before it handles its first request, while only net/http's own
// frames are on it: the handlers go deep (routing, middleware, JSON, SQLite
// reads), and a connection that grew 2 → 16 KiB inside one would walk all of
// them. Later requests on the connection cost nothing. It wraps srv.Handler
// and sets srv.ConnContext, which must be nil.
func ServeConns(srv *http.Server) {
	if srv.ConnContext != nil {
		panic("stack.ServeConns: srv.ConnContext already set")
	}
	srv.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, new(atomic.Bool))
	}
	next := srv.Handler
	if next == nil {
		next = http.DefaultServeMux
	}
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if done, ok := r.Context().Value(connKey{}).(*atomic.Bool); ok && !done.Swap(true) {
			Reserve()
		}
		next.ServeHTTP(w, r)
	})
}

// connKey keys a connection's "reserved" flag in its context.
type connKey struct{}
