package topology

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Hook is one webhook POST the receiver got.
type Hook struct {
	At        time.Time
	Event     string // X-Webhook-Event
	Type      string // the body's "event"
	Body      []byte
	Signature string // X-Webhook-Signature as sent
	Signed    bool   // Signature is the HMAC-SHA256 of Body under the secret, checked here
	// MessageID is the whatsappMessageId the event is about (message.* events).
	MessageID string
	// MediaURL is data.message.media.url of message.received ("" without media).
	MediaURL string
}

// Receiver is the CRM end of the topology: an HTTP server on 127.0.0.1
// that keeps every webhook and checks its signature itself (HMAC-SHA256 of
// the exact body, hex, "sha256=" prefix), independently of the webhook
// package that signs.
type Receiver struct {
	Secret string
	URL    string // where to point a session's webhookUrl

	srv     *http.Server
	mu      sync.Mutex
	hooks   []Hook
	changed chan struct{} // closed and replaced on every hook
	refuse  int           // while not 0, the status of every answer (nothing recorded)
	refused int           // webhooks answered with refuse
}

// Refuse makes the receiver answer every webhook with status code, without
// recording it (a CRM that is down: 503; one that rejects: 410), until
// Refuse(0).
func (r *Receiver) Refuse(code int) {
	r.mu.Lock()
	r.refuse = code
	r.mu.Unlock()
}

// Refused returns how many webhooks Refuse turned away.
func (r *Receiver) Refused() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused
}

// NewReceiver starts a receiver that verifies against secret.
func NewReceiver(secret string) (*Receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Receiver{Secret: secret, URL: "http://" + ln.Addr().String() + "/hook", changed: make(chan struct{})}
	r.srv = &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

// ServeHTTP records one webhook and answers 200 (or refuses it, see
// Refuse).
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 4<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	code := r.refuse
	if code != 0 {
		r.refused++
	}
	r.mu.Unlock()
	if code != 0 {
		http.Error(w, "refused by the test", code)
		return
	}
	h := Hook{At: time.Now(), Event: req.Header.Get("X-Webhook-Event"), Body: body, Signature: req.Header.Get("X-Webhook-Signature")}
	h.Signed = verify(r.Secret, body, h.Signature)
	var b struct {
		Event string `json:"event"`
		Data  struct {
			WhatsAppMessageID string `json:"whatsappMessageId"`
			Message           struct {
				WhatsAppMessageID string `json:"whatsappMessageId"`
				Media             *struct {
					URL string `json:"url"`
				} `json:"media"`
			} `json:"message"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &b) == nil {
		h.Type, h.MessageID = b.Event, b.Data.WhatsAppMessageID
		if h.MessageID == "" {
			h.MessageID = b.Data.Message.WhatsAppMessageID
		}
		if b.Data.Message.Media != nil {
			h.MediaURL = b.Data.Message.Media.URL
		}
	}
	r.mu.Lock()
	r.hooks = append(r.hooks, h)
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// verify checks header against the HMAC-SHA256 of body keyed with secret.
func verify(secret string, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal([]byte(got), []byte(hex.EncodeToString(m.Sum(nil))))
}

// Hooks returns what the receiver got so far, oldest first.
func (r *Receiver) Hooks() []Hook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Hook(nil), r.hooks...)
}

// Wait returns the first hook that match accepts, waiting for it until
// ctx ends.
func (r *Receiver) Wait(ctx context.Context, match func(Hook) bool) (Hook, error) {
	seen := 0
	for {
		r.mu.Lock()
		hooks, changed := r.hooks[seen:], r.changed
		seen = len(r.hooks)
		r.mu.Unlock()
		for _, h := range hooks {
			if match(h) {
				return h, nil
			}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return Hook{}, fmt.Errorf("webhook not received: %w", ctx.Err())
		}
	}
}

// WaitFor returns the first hook of type typ about message id ("" = any).
func (r *Receiver) WaitFor(ctx context.Context, typ, id string) (Hook, error) {
	h, err := r.Wait(ctx, func(h Hook) bool { return h.Type == typ && (id == "" || h.MessageID == id) })
	if err != nil {
		return h, fmt.Errorf("%s %s: %w", typ, id, err)
	}
	return h, nil
}

// Close stops the receiver.
func (r *Receiver) Close() error { return r.srv.Close() }
