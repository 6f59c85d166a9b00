package topology

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// RuntimeWatch stands between a function's bootstrap and the emulator's
// Lambda Runtime API, forwarding everything and timestamping what passes:
// the first `invocation/next` poll (the end of the bootstrap's init), each
// invocation handed out and each `invocation/{id}/response` posted. It
// measures a cold start (exec → first response posted) and the time spent
// in the function per invocation, which excludes the emulator's own
// HTTP API and Invoke plumbing.
type RuntimeWatch struct {
	runtimeAPI string // host:port/_runtime/<function> for AWS_LAMBDA_RUNTIME_API

	srv *http.Server
	mu  sync.Mutex
	// firstPoll and firstResponse are the first next poll and response.
	firstPoll, firstResponse time.Time
	handedOut                map[string]time.Time // request id → when next returned it
	inFunction               []time.Duration      // handed out → response posted
	responded                chan struct{}        // closed at the first response
}

// NewRuntimeWatch starts a watch in front of the Runtime API of function
// at endpoint (the emulator's URL).
func NewRuntimeWatch(endpoint, function string) (*RuntimeWatch, error) {
	target, err := url.Parse(endpoint)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	w := &RuntimeWatch{
		runtimeAPI: ln.Addr().String() + "/_runtime/" + function,
		handedOut:  map[string]time.Time{}, responded: make(chan struct{}),
	}
	proxy := &httputil.ReverseProxy{
		Rewrite:        func(pr *httputil.ProxyRequest) { pr.SetURL(target) },
		ModifyResponse: w.seeResponse,
		// A killed bootstrap cancels its pending poll: not worth a log line.
		ErrorLog:     log.New(io.Discard, "", 0),
		ErrorHandler: func(rw http.ResponseWriter, _ *http.Request, _ error) { rw.WriteHeader(http.StatusBadGateway) },
	}
	w.srv = &http.Server{Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.seeRequest(r)
		proxy.ServeHTTP(rw, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = w.srv.Serve(ln) }()
	return w, nil
}

// RuntimeAPI is the value of AWS_LAMBDA_RUNTIME_API for the bootstrap.
func (w *RuntimeWatch) RuntimeAPI() string { return w.runtimeAPI }

// seeRequest notes the first poll and every response post.
func (w *RuntimeWatch) seeRequest(r *http.Request) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/invocation/next"):
		if w.firstPoll.IsZero() {
			w.firstPoll = now
		}
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/response"):
		id := segmentAfter(r.URL.Path, "invocation")
		if out, ok := w.handedOut[id]; ok {
			w.inFunction = append(w.inFunction, now.Sub(out))
			delete(w.handedOut, id)
		}
		if w.firstResponse.IsZero() {
			w.firstResponse = now
			close(w.responded)
		}
	}
}

// seeResponse notes when an invocation is handed to the bootstrap.
func (w *RuntimeWatch) seeResponse(resp *http.Response) error {
	if id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id"); id != "" && resp.StatusCode == http.StatusOK {
		w.mu.Lock()
		w.handedOut[id] = time.Now()
		w.mu.Unlock()
	}
	return nil
}

// FirstPoll returns when the bootstrap first asked for an invocation
// (zero before it did).
func (w *RuntimeWatch) FirstPoll() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.firstPoll
}

// FirstResponse waits for the bootstrap's first response post and returns
// when it arrived.
func (w *RuntimeWatch) FirstResponse(ctx context.Context) (time.Time, error) {
	select {
	case <-w.responded:
	case <-ctx.Done():
		return time.Time{}, fmt.Errorf("no invocation response through the runtime watch: %w", ctx.Err())
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.firstResponse, nil
}

// InFunction returns, per invocation answered so far, the time from the
// Runtime API handing it out to the function posting its response; Reset
// clears them.
func (w *RuntimeWatch) InFunction() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.inFunction...)
}

// Reset forgets the per-invocation times measured so far.
func (w *RuntimeWatch) Reset() {
	w.mu.Lock()
	w.inFunction = nil
	w.mu.Unlock()
}

// Close stops the watch (the bootstrap behind it loses its Runtime API).
func (w *RuntimeWatch) Close() error { return w.srv.Close() }

// segmentAfter returns the path segment after marker ("" if none).
func segmentAfter(path, marker string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i, p := range parts {
		if p == marker && i+1 < len(parts) {
			return parts[i+1]
		}
	}
	return ""
}
