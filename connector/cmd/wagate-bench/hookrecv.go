package main

import (
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
// id (data.message.whatsappMessageId) when it first arrived. In hold mode
// it reads each request, notes its X-Webhook-Id and never answers: the
// request waits until release or until the client gives up.
type hookReceiver struct {
	srv *http.Server
	url string

	mu       sync.Mutex
	requests int                  // every request
	ids      map[string]int       // X-Webhook-Id → requests answered
	arrived  map[string]time.Time // whatsappMessageId → first arrival
	last     time.Time            // arrival of the latest new X-Webhook-Id
	unsigned int                  // requests without X-Webhook-Signature
	other    int                  // requests whose event or body the bench does not know
	hold     chan struct{}        // non-nil in hold mode; closed by release
	held     map[string]bool      // X-Webhook-Ids of the requests held
	holding  int                  // requests held right now
	exclude  map[string]bool      // X-Webhook-Ids left out of fresh
	firsts   []time.Time          // arrival of each new X-Webhook-Id
	fresh    []time.Time          // the same, of those not in exclude
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
	if hold := r.hold; hold != nil {
		r.held[id] = true
		r.holding++
		r.mu.Unlock()
		select {
		case <-hold:
		case <-req.Context().Done():
		}
		r.mu.Lock()
		r.holding--
		r.mu.Unlock()
		// Released or abandoned: no answer either way (a handler that
		// returns would answer 200).
		panic(http.ErrAbortHandler)
	}
	if req.Header.Get("X-Webhook-Signature") == "" {
		r.unsigned++
	}
	switch {
	case err != nil || id == "" || wid == "" || req.Header.Get("X-Webhook-Event") != "message.received":
		r.other++
	default:
		if r.ids[id]++; r.ids[id] == 1 {
			r.last = at
			r.firsts = append(r.firsts, at)
			if !r.exclude[id] {
				r.fresh = append(r.fresh, at)
			}
		}
		if _, seen := r.arrived[wid]; !seen {
			r.arrived[wid] = at
		}
	}
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// reset forgets what arrived so far and answers every request again.
func (r *hookReceiver) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hold != nil {
		close(r.hold)
	}
	r.requests, r.unsigned, r.other, r.last, r.hold, r.holding = 0, 0, 0, time.Time{}, nil, 0
	r.ids, r.arrived, r.held = map[string]int{}, map[string]time.Time{}, map[string]bool{}
	r.exclude, r.firsts, r.fresh = nil, nil, nil
}

// holdAll puts the receiver in hold mode.
func (r *hookReceiver) holdAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hold == nil {
		r.hold = make(chan struct{})
	}
}

// release ends hold mode: the requests held get no answer, new ones are
// answered 200 at once. The X-Webhook-Ids in exclude are counted as
// deliveries but not as fresh ones.
func (r *hookReceiver) release(exclude map[string]bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hold != nil {
		close(r.hold)
		r.hold = nil
	}
	r.exclude = exclude
}

// hookStats is a snapshot of the receiver's counts.
type hookStats struct {
	requests, unique, unsigned, other int
	held, holding, fresh              int // distinct ids held, requests held now, fresh deliveries
	last                              time.Time
}

func (r *hookReceiver) stats() hookStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return hookStats{requests: r.requests, unique: len(r.ids), unsigned: r.unsigned, other: r.other,
		held: len(r.held), holding: r.holding, fresh: len(r.fresh), last: r.last}
}

// freshAt returns when the n-th fresh delivery (from 1) arrived.
func (r *hookReceiver) freshAt(n int) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n < 1 || n > len(r.fresh) {
		return time.Time{}, false
	}
	return r.fresh[n-1], true
}

// uniqueBy counts the distinct deliveries that arrived by t.
func (r *hookReceiver) uniqueBy(t time.Time) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, at := range r.firsts {
		if !at.After(t) {
			n++
		}
	}
	return n
}

// arrival returns when the webhook of a message first arrived.
func (r *hookReceiver) arrival(wid string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.arrived[wid]
	return t, ok
}

func (r *hookReceiver) close() {
	r.release(nil)
	_ = r.srv.Close()
}
