package localrt

import (
	"net"
	"sync/atomic"

	"github.com/wagate/wagate/shared/stack"
)

// ConnStackBytes is the stack net/http's goroutine for each connection is
// given at its first call, in one step. A goroutine starts with 2 KiB and
// grows by doubling as a request goes deeper; each doubling copies the
// stack, walking every frame then on it (deep in the request path) and
// reading the pc tables of each one: pages of the executable the process
// would otherwise not touch (see package stack). 16 KiB is enough for
// GET /health, the bench's idle figure no longer moved with 32 KiB
// (docs/benchmarks.md, "Idle memory").
const ConnStackBytes = 16 << 10

// stackListener hands out connections that grow the stack of the goroutine
// serving them on its first call. net/http's per-connection goroutine asks
// for the remote address before anything else, two frames deep, so the
// growth walks those two frames only.
type stackListener struct{ net.Listener }

// Accept wraps TCP connections; others pass through as they are.
func (l stackListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		return &stackConn{TCPConn: tc}, nil
	}
	return c, err
}

// stackConn is a TCP connection whose first RemoteAddr grows the calling
// goroutine's stack. Embedding *net.TCPConn keeps every method net/http
// looks for (ReadFrom for sendfile, CloseWrite).
type stackConn struct {
	*net.TCPConn
	grown atomic.Bool
}

// RemoteAddr grows the caller's stack on the first call.
func (c *stackConn) RemoteAddr() net.Addr {
	if c.grown.CompareAndSwap(false, true) {
		stack.Grow(ConnStackBytes)
	}
	return c.TCPConn.RemoteAddr()
}
