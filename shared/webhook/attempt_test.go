package webhook_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/shared/webhook"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		code int
		want webhook.Verdict
	}{
		{200, webhook.Delivered}, {201, webhook.Delivered}, {204, webhook.Delivered},
		{0, webhook.Retry}, {500, webhook.Retry}, {502, webhook.Retry}, {503, webhook.Retry}, {429, webhook.Retry}, {408, webhook.Retry},
		{400, webhook.Refused}, {401, webhook.Refused}, {403, webhook.Refused}, {404, webhook.Refused}, {410, webhook.Refused},
		{302, webhook.Refused},
	} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			if got := webhook.Classify(tc.code); got != tc.want {
				t.Fatalf("Classify(%d) = %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}

func testEvent() events.Event {
	return events.Event{ID: "ev-1", Type: events.EvMessageReceived, SessionID: "s1", SessionDBID: 7,
		Time: time.Unix(1699332401, 500), Data: []byte(`{"sessionId":"s1"}`)}
}

func TestSend(t *testing.T) {
	t.Run("Headers", func(t *testing.T) {
		var got *http.Request
		var body []byte
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, body = r, must(io.ReadAll(r.Body))
			w.WriteHeader(http.StatusNoContent)
		}))
		defer srv.Close()
		s := &webhook.Sender{UserAgent: "wagate-test/1"}
		sent := []byte(`{"event":"message.received","data":{"sessionId":"s1"}}`)
		a := s.Send(t.Context(), srv.URL+"/hook", "s3cret", testEvent(), sent)
		if a.StatusCode != 204 || a.Error != "" || a.URL != srv.URL+"/hook" || a.Latency <= 0 || a.At.IsZero() {
			t.Fatalf("attempt = %+v", a)
		}
		sig := webhook.Sign("s3cret", sent)
		for name, want := range map[string]string{
			"Content-Type": "application/json", "X-Webhook-Event": "message.received", "X-Webhook-Session": "s1",
			"X-Webhook-Signature": sig, "X-Hub-Signature-256": sig, "X-Webhook-Id": "ev-1",
			"X-Webhook-Timestamp": "1699332401", "User-Agent": "wagate-test/1",
		} {
			if v := got.Header.Get(name); v != want {
				t.Errorf("%s = %q, want %q", name, v, want)
			}
		}
		if got.Method != http.MethodPost || string(body) != string(sent) || !seedVerify(body, got.Header.Get("X-Webhook-Signature"), "s3cret") {
			t.Fatalf("%s with body %s: not the signed body", got.Method, body)
		}
	})

	t.Run("ErrorBodyTruncated", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad\nrequest: "+strings.Repeat("x", 500), http.StatusBadRequest)
		}))
		defer srv.Close()
		a := (&webhook.Sender{}).Send(t.Context(), srv.URL, "", testEvent(), []byte("{}"))
		if a.StatusCode != 400 || !strings.HasPrefix(a.Error, "HTTP 400: bad request: xxx") || len([]rune(a.Error)) > 220 {
			t.Fatalf("attempt = %+v; want the body's first 200 characters, on one line", a)
		}
	})

	t.Run("Timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		s := &webhook.Sender{Client: &http.Client{Timeout: 100 * time.Millisecond}}
		start := time.Now()
		a := s.Send(t.Context(), srv.URL, "", testEvent(), []byte("{}"))
		if a.StatusCode != 0 || a.Error == "" || time.Since(start) > 2*time.Second {
			t.Fatalf("attempt = %+v after %v; want no answer within the client timeout", a, time.Since(start))
		}
	})

	t.Run("Redirects", func(t *testing.T) {
		var otherHits atomic.Int32
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { otherHits.Add(1) }))
		defer other.Close()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/same307":
				http.Redirect(w, r, "/final", http.StatusTemporaryRedirect)
			case "/found302":
				http.Redirect(w, r, "/final", http.StatusFound)
			case "/away307":
				http.Redirect(w, r, other.URL+"/final", http.StatusTemporaryRedirect)
			case "/final":
				if b := must(io.ReadAll(r.Body)); r.Method != http.MethodPost || string(b) != "{}" {
					w.WriteHeader(http.StatusBadRequest)
				}
			}
		}))
		defer srv.Close()
		allow := func(string) error { return nil }
		for _, tc := range []struct {
			name      string
			path      string
			guard     func(string) error
			wantCode  int
			wantOther int32
		}{
			{"SameHost307", "/same307", nil, 200, 0},
			{"Found302NotFollowed", "/found302", nil, 302, 0},
			{"OtherHostWithoutGuard", "/away307", nil, 307, 0},
			{"OtherHostGuarded", "/away307", allow, 200, 1},
			{"OtherHostRefused", "/away307", func(u string) error {
				if strings.HasPrefix(u, other.URL) {
					return errors.New("private address")
				}
				return nil
			}, 307, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := (&webhook.Sender{Guard: tc.guard}).Send(t.Context(), srv.URL+tc.path, "", testEvent(), []byte("{}"))
				if a.StatusCode != tc.wantCode || otherHits.Load() != tc.wantOther {
					t.Fatalf("attempt = %+v, other host hit %d times; want %d, %d", a, otherHits.Load(), tc.wantCode, tc.wantOther)
				}
			})
		}
	})

	t.Run("GuardRefusesTarget", func(t *testing.T) {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
		defer srv.Close()
		s := &webhook.Sender{Guard: func(string) error { return errors.New("loopback address") }}
		a := s.Send(t.Context(), srv.URL, "", testEvent(), []byte("{}"))
		if hits.Load() != 0 || a.StatusCode != 0 || !strings.Contains(a.Error, "loopback address") {
			t.Fatalf("attempt = %+v, %d requests; want refused before sending", a, hits.Load())
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
