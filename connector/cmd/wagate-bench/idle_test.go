package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
)

func TestForEach(t *testing.T) {
	t.Run("CallsNTimes", func(t *testing.T) {
		var calls atomic.Int64
		err := forEach(context.Background(), 1000, 4, func(context.Context, int) error {
			calls.Add(1)
			return nil
		})
		if err != nil {
			t.Fatalf("forEach: %v", err)
		}
		if got := calls.Load(); got != 1000 {
			t.Errorf("calls = %d, want 1000", got)
		}
	})
	t.Run("StopsAtFirstError", func(t *testing.T) {
		boom := errors.New("boom")
		var calls atomic.Int64
		err := forEach(context.Background(), 1000, 4, func(context.Context, int) error {
			if calls.Add(1) == 10 {
				return boom
			}
			return nil
		})
		if !errors.Is(err, boom) {
			t.Fatalf("forEach = %v, want %v", err, boom)
		}
		if got := calls.Load(); got >= 1000 {
			t.Errorf("calls = %d, want the workers stopped after the error", got)
		}
	})
}

func TestIdleTraffic(t *testing.T) {
	t.Run("AllAuthenticated", func(t *testing.T) {
		var ok, other atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == "/api/sessions" && r.Header.Get("X-API-Key") == benchAPIKey {
				ok.Add(1)
				return
			}
			other.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
		}))
		defer srv.Close()
		if err := idleTraffic(context.Background(), newAPI(srv.URL, benchAPIKey)); err != nil {
			t.Fatalf("idleTraffic: %v", err)
		}
		if ok.Load() != idleRequests || other.Load() != 0 {
			t.Errorf("requests: %d ok, %d other; want %d ok", ok.Load(), other.Load(), idleRequests)
		}
	})
	t.Run("Non200IsAnError", func(t *testing.T) {
		var n atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if n.Add(1) == 100 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}))
		defer srv.Close()
		if err := idleTraffic(context.Background(), newAPI(srv.URL, benchAPIKey)); err == nil {
			t.Fatal("idleTraffic = nil, want the 503 reported")
		}
	})
}

func TestIdleFloorMissingBinary(t *testing.T) {
	var out bytes.Buffer
	b := bench{out: newPrinter(&out), floorBin: filepath.Join(t.TempDir(), "wagate-floor")}
	if err := b.idleFloor(context.Background(), residentKiB{rss: 20 << 10}); err != nil {
		t.Fatalf("idleFloor = %v, want nil (skipped)", err)
	}
	if out.Len() != 0 {
		t.Errorf("idleFloor printed %q, want nothing", out.String())
	}
}
