package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"Empty", nil, 50, 0},
		{"One", []time.Duration{7}, 99, 7},
		{"P50Of100", hundred, 50, 50 * time.Millisecond},
		{"P99Of100", hundred, 99, 99 * time.Millisecond},
		{"P100Of100", hundred, 100, 100 * time.Millisecond},
		{"TinyP", hundred, 0.001, time.Millisecond},
		{"P50OfFour", []time.Duration{1, 2, 3, 4}, 50, 2},
		{"P75OfFour", []time.Duration{1, 2, 3, 4}, 75, 3},
		{"P76OfFour", []time.Duration{1, 2, 3, 4}, 76, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(p=%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		xs   []time.Duration
		want time.Duration
	}{
		{"Empty", nil, 0},
		{"Odd", []time.Duration{5, 1, 3, 9, 7}, 5},
		{"Even", []time.Duration{4, 1, 3, 2}, 2}, // (2+3)/2 in integer nanoseconds
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.xs); got != tt.want {
				t.Errorf("median = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunLoad(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var conns, reqs atomic.Int64
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reqs.Add(1)
			if r.Header.Get("X-API-Key") != "k" {
				http.Error(w, "no key", http.StatusUnauthorized)
				return
			}
			if r.Header.Get("Accept-Encoding") != "" {
				http.Error(w, "compression asked for", http.StatusBadRequest)
				return
			}
			_, _ = w.Write([]byte(bareBody))
		}))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		defer srv.Close()
		spec := loadSpec{url: srv.URL + "/x", header: http.Header{"X-Api-Key": {"k"}}, conns: 8, warmup: 100 * time.Millisecond, dur: 300 * time.Millisecond}
		start := time.Now()
		r, err := runLoad(context.Background(), spec)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 400*time.Millisecond || took > 2*time.Second {
			t.Errorf("run took %v, want about warm-up + duration", took)
		}
		if err := r.check("test"); err != nil {
			t.Fatal(err)
		}
		if r.failures != 0 || len(r.lat) == 0 {
			t.Fatalf("failures = %d (%s), measured = %d", r.failures, r.firstErr, len(r.lat))
		}
		if int64(len(r.lat)) >= reqs.Load() {
			t.Errorf("measured %d of %d requests: the warm-up was not left out", len(r.lat), reqs.Load())
		}
		if got := conns.Load(); got > int64(spec.conns) {
			t.Errorf("%d connections opened, want at most %d (keep-alive)", got, spec.conns)
		}
		if r.window != spec.dur {
			t.Errorf("window = %v, want %v", r.window, spec.dur)
		}
		if rps := r.rps(); rps != float64(len(r.lat))/0.3 {
			t.Errorf("rps = %v, want %v", rps, float64(len(r.lat))/0.3)
		}
		p50, p99 := r.pctMs(50), r.pctMs(99)
		if p50 <= 0 || p50 > p99 {
			t.Errorf("p50 = %vms, p99 = %vms", p50, p99)
		}
	})
	t.Run("ErrFailuresCounted", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}))
		defer srv.Close()
		r, err := runLoad(context.Background(), loadSpec{url: srv.URL, conns: 2, dur: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if r.failures == 0 || len(r.lat) != 0 || r.firstErr != "500 Internal Server Error" {
			t.Fatalf("failures = %d, measured = %d, first = %q", r.failures, len(r.lat), r.firstErr)
		}
		if err := r.check("test"); err == nil {
			t.Error("check passed a run where every request failed")
		}
	})
	t.Run("ErrCanceled", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		defer srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := runLoad(ctx, loadSpec{url: srv.URL, conns: 2, dur: time.Minute}); err == nil {
			t.Fatal("no error from a canceled run")
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("canceled run took %v", took)
		}
	})
}

func TestParseStatusKiB(t *testing.T) {
	kib, err := parseStatusKiB([]byte("Name:\twagate\nVmPeak:\t  9999 kB\nVmRSS:\t   12345 kB\nThreads:\t5\n"), "VmRSS")
	if err != nil || kib != 12345 {
		t.Fatalf("parseStatusKiB(VmRSS) = %d, %v; want 12345", kib, err)
	}
	if _, err := parseStatusKiB([]byte("Name:\tzombie\n"), "VmRSS"); err == nil {
		t.Error("no error without a VmRSS line")
	}
}
