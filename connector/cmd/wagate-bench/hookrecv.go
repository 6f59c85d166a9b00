package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// hookBodyMax bounds the webhook body the receiver reads.
const hookBodyMax = 1 << 20

// hookBody is the part of a message.received webhook the receiver reads.
type hookBody struct {
	Data struct {
		Message struct {
			WhatsAppMessageID string `json:"whatsappMessageId"`
		} `json:"message"`
	} `json:"data"`
}

// hookReceiver is the webhook target: it answers 200 to every POST and
// records, per X-Webhook-Id, how often it came, and per WhatsApp message
// id (data.message.whatsappMessageId) when it first arrived.
type hookReceiver struct {
	srv *http.Server
	url string

	mu       sync.Mutex
	requests int                  // every request
	ids      map[string]int       // X-Webhook-Id → requests
	arrived  map[string]time.Time // whatsappMessageId → first arrival
	last     time.Time            // arrival of the latest new X-Webhook-Id
	unsigned int                  // requests without X-Webhook-Signature
	other    int                  // requests whose event or body the bench does not know
}

// startHookReceiver listens on a free loopback port.
func startHookReceiver() (*hookReceiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &hookReceiver{url: "http://" + ln.Addr().String() + "/hook"}
	r.reset()
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

func (r *hookReceiver) serve(w http.ResponseWriter, req *http.Request) {
	at := time.Now()
	raw, err := io.ReadAll(io.LimitReader(req.Body, hookBodyMax))
	var body hookBody
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	id, wid := req.Header.Get("X-Webhook-Id"), body.Data.Message.WhatsAppMessageID
	r.mu.Lock()
	r.requests++
	if req.Header.Get("X-Webhook-Signature") == "" {
		r.unsigned++
	}
	switch {
	case err != nil || id == "" || wid == "" || req.Header.Get("X-Webhook-Event") != "message.received":
		r.other++
	default:
		if r.ids[id]++; r.ids[id] == 1 {
			r.last = at
		}
		if _, seen := r.arrived[wid]; !seen {
			r.arrived[wid] = at
		}
	}
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// reset forgets what arrived so far.
func (r *hookReceiver) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests, r.unsigned, r.other, r.last = 0, 0, 0, time.Time{}
	r.ids, r.arrived = map[string]int{}, map[string]time.Time{}
}

// hookStats is a snapshot of the receiver's counts.
type hookStats struct {
	requests, unique, unsigned, other int
	last                              time.Time
}

func (r *hookReceiver) stats() hookStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return hookStats{requests: r.requests, unique: len(r.ids), unsigned: r.unsigned, other: r.other, last: r.last}
}

// arrival returns when the webhook of a message first arrived.
func (r *hookReceiver) arrival(wid string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.arrived[wid]
	return t, ok
}

// waitUnique polls until want distinct deliveries arrived, or until none
// came for idle (or ctx ends); it returns the last snapshot.
func (r *hookReceiver) waitUnique(ctx context.Context, want int, idle time.Duration) hookStats {
	s := r.stats()
	progressAt, seen := time.Now(), s.unique
	for s.unique < want && time.Since(progressAt) < idle && ctx.Err() == nil {
		_ = sleep(ctx, hookPoll)
		if s = r.stats(); s.unique > seen {
			progressAt, seen = time.Now(), s.unique
		}
	}
	return s
}

func (r *hookReceiver) close() { _ = r.srv.Close() }
