package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

func TestClosedLoop(t *testing.T) {
	var calls atomic.Int64
	seen := make([]atomic.Int64, 4)
	tl, err := closedLoop(context.Background(), 8, 50*time.Millisecond, 200*time.Millisecond, func(ctx context.Context, seq int) (string, error) {
		calls.Add(1)
		seen[seq%4].Add(1)
		time.Sleep(time.Millisecond)
		if seq%10 == 9 {
			return "", errors.New("boom")
		}
		return []string{"a", "b"}[seq%2], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tl.window != 200*time.Millisecond || tl.count() == 0 || tl.count() >= tl.answered {
		t.Fatalf("window %v, measured %d of %d answered", tl.window, tl.count(), tl.answered)
	}
	if int64(tl.answered+tl.failures) != calls.Load() || tl.failures == 0 || tl.firstErr != "boom" {
		t.Errorf("answered %d + failed %d, calls %d, first error %q", tl.answered, tl.failures, calls.Load(), tl.firstErr)
	}
	if tl.count("a")+tl.count("b") != tl.count() || tl.count("a") == 0 || tl.count("b") == 0 {
		t.Errorf("a %d + b %d != %d", tl.count("a"), tl.count("b"), tl.count())
	}
	if d := seen[0].Load() - seen[3].Load(); d < -8 || d > 8 {
		t.Errorf("calls not round-robin: %d vs %d", seen[0].Load(), seen[3].Load())
	}
	if err := tl.check("test"); err == nil {
		t.Error("check passed 10% failures")
	}
}

// TestOpenLoop: arrivals keep their rate whatever the answers take, and
// latency includes the time from the scheduled arrival.
func TestOpenLoop(t *testing.T) {
	var calls atomic.Int64
	start := time.Now()
	tl, err := openLoop(context.Background(), 1000, 100*time.Millisecond, 200*time.Millisecond, func(ctx context.Context, seq int) (string, error) {
		calls.Add(1)
		time.Sleep(50 * time.Millisecond) // slower than the arrivals
		return "ok", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("run took %v: arrivals were held back", took)
	}
	if calls.Load() != 300 || tl.answered != 300 || tl.count("ok") != 200 {
		t.Fatalf("calls %d, answered %d, measured %d; want 300, 300, 200", calls.Load(), tl.answered, tl.count("ok"))
	}
	if p50 := tl.pctMs(50); p50 < 50 || p50 > 1000 {
		t.Errorf("p50 %.1fms, want about 50ms", p50)
	}
}

func TestHookReceiver(t *testing.T) {
	r, err := startHookReceiver()
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	post := func(id, event, body string) {
		req, _ := http.NewRequest(http.MethodPost, r.url, bytes.NewBufferString(body))
		req.Header.Set("X-Webhook-Id", id)
		req.Header.Set("X-Webhook-Event", event)
		req.Header.Set("X-Webhook-Signature", "sha256=x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	msg := func(wid string) string {
		return `{"event":"message.received","data":{"message":{"whatsappMessageId":"` + wid + `"}}}`
	}
	before := time.Now()
	post("d1", "message.received", msg("W1"))
	post("d1", "message.received", msg("W1")) // a retry
	post("d2", "message.received", msg("W2"))
	post("d3", "session.status", `{"event":"session.status","data":{}}`)
	s := r.stats()
	if s.requests != 4 || s.unique != 2 || s.other != 1 || s.unsigned != 0 || s.last.Before(before) {
		t.Fatalf("stats %+v", s)
	}
	if at, ok := r.arrival("W2"); !ok || at.Before(before) {
		t.Errorf("arrival of W2: %v %v", at, ok)
	}
	r.reset()
	if s := r.stats(); s.requests != 0 || s.unique != 0 {
		t.Errorf("after reset: %+v", s)
	}

	// Hold mode: requests get no answer; after release, only the ids not
	// excluded count as fresh.
	r.holdAll()
	held := &http.Client{Timeout: 200 * time.Millisecond}
	req, _ := http.NewRequest(http.MethodPost, r.url, bytes.NewBufferString(msg("W4")))
	req.Header.Set("X-Webhook-Id", "d4")
	if resp, err := held.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("held request answered %d", resp.StatusCode)
	}
	if s := r.stats(); s.held != 1 || s.unique != 0 {
		t.Fatalf("held stats %+v", s)
	}
	r.release(map[string]bool{"d4": true})
	post("d4", "message.received", msg("W4"))
	post("d5", "message.received", msg("W5"))
	if s := r.stats(); s.unique != 2 || s.fresh != 1 {
		t.Fatalf("after release: %+v", s)
	}
	if _, ok := r.freshAt(1); !ok {
		t.Error("no first fresh delivery")
	}
}
