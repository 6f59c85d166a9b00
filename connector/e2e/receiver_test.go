package e2e_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// verifySignature is the seed's verifier written independently of wagate's
// code: HMAC-SHA256 of the raw body, "sha256=" prefix, constant-time compare.
func verifySignature(body []byte, header, secret string) bool {
	if !strings.HasPrefix(header, "sha256=") {
		return false
	}
	expected := strings.TrimPrefix(header, "sha256=")
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	computed := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(computed), []byte(expected))
}

// hook is one webhook request a receiver got.
type hook struct {
	Path, Event, Session, ID, Signature, Hub, Timestamp string
	Body                                                []byte
	At                                                  time.Time
}

// whatsappID is data.message.whatsappMessageId (or data.messageId) of a body.
func (h hook) whatsappID() string {
	var b struct {
		Data struct {
			MessageID string `json:"messageId"`
			Message   struct {
				WhatsAppMessageID string `json:"whatsappMessageId"`
			} `json:"message"`
		} `json:"data"`
	}
	_ = json.Unmarshal(h.Body, &b)
	if b.Data.Message.WhatsAppMessageID != "" {
		return b.Data.Message.WhatsAppMessageID
	}
	return b.Data.MessageID
}

// receiver is a CRM endpoint under test control: per path it answers
// "ok", "flaky" (half the requests fail), "down" (503) or "hang" (longer
// than the 7 s attempt timeout); it verifies every signature.
type receiver struct {
	t       *testing.T
	srv     *httptest.Server
	secrets map[string]string // path → secret

	mu    sync.Mutex
	modes map[string]string
	got   []hook
	bad   []string
}

func newReceiver(t *testing.T, secrets map[string]string) *receiver {
	r := &receiver{t: t, secrets: secrets, modes: map[string]string{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) url(path string) string { return r.srv.URL + path }

func (r *receiver) set(path, mode string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.modes[path] = mode
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	h := hook{Path: req.URL.Path, Event: req.Header.Get("X-Webhook-Event"), Session: req.Header.Get("X-Webhook-Session"),
		ID: req.Header.Get("X-Webhook-Id"), Signature: req.Header.Get("X-Webhook-Signature"), Hub: req.Header.Get("X-Hub-Signature-256"),
		Timestamp: req.Header.Get("X-Webhook-Timestamp"), Body: body, At: time.Now()}
	r.mu.Lock()
	mode := r.modes[req.URL.Path]
	if !verifySignature(body, h.Signature, r.secrets[req.URL.Path]) || h.Hub != h.Signature || h.ID == "" || h.Timestamp == "" ||
		req.Header.Get("Content-Type") != "application/json" {
		r.bad = append(r.bad, req.URL.Path+" "+h.Event+" "+h.Signature)
	}
	r.mu.Unlock()
	switch mode {
	case "down":
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	case "flaky":
		if rand.IntN(2) == 0 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
	case "hang":
		time.Sleep(8 * time.Second)
	}
	r.mu.Lock()
	r.got = append(r.got, h)
	r.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// accepted returns the requests answered 200 on path for event.
func (r *receiver) accepted(path, event string) []hook {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []hook
	for _, h := range r.got {
		if h.Path == path && (event == "" || h.Event == event) {
			out = append(out, h)
		}
	}
	return out
}

// waitIDs waits until every WhatsApp id in want was accepted on path.
func (r *receiver) waitIDs(path, event string, want []string, within time.Duration) map[string][]hook {
	r.t.Helper()
	deadline := time.Now().Add(within)
	for {
		seen := map[string][]hook{}
		for _, h := range r.accepted(path, event) {
			seen[h.whatsappID()] = append(seen[h.whatsappID()], h)
		}
		missing := 0
		for _, id := range want {
			if len(seen[id]) == 0 {
				missing++
			}
		}
		if missing == 0 {
			return seen
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%d of %d webhooks never arrived on %s", missing, len(want), path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *receiver) checkSignatures() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bad) > 0 {
		r.t.Fatalf("%d requests with bad signature or headers, e.g. %s", len(r.bad), r.bad[0])
	}
}
