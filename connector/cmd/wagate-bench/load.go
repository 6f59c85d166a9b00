package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Load-run settings.
const (
	loadConns     = 64               // concurrent keep-alive connections
	loadWarmup    = time.Second      // load before measuring starts
	loadGrace     = 10 * time.Second // how long in-flight requests may run past the end
	loadErrPause  = time.Millisecond // pause after a transport error, so a dead server is not spun on
	loadRateGuess = 2000             // requests/s per worker, to size the latency slices
	loadMaxErrPct = 0.1              // percent of failed requests above which a run is invalid
	latencyUnit   = float64(time.Millisecond)
)

// loadSpec is one closed-loop run: conns workers, each with its own
// keep-alive connection, send GET url back to back for warmup+dur.
type loadSpec struct {
	url    string
	header http.Header
	conns  int
	warmup time.Duration
	dur    time.Duration
}

// loadResult holds the requests that completed with 200 inside the
// measured window, and the failures seen during the whole run.
type loadResult struct {
	window   time.Duration
	lat      []time.Duration // sorted ascending
	failures int
	firstErr string
}

// rps is the throughput over the measured window.
func (r loadResult) rps() float64 { return float64(len(r.lat)) / r.window.Seconds() }

// pctMs is the p-th percentile latency in milliseconds.
func (r loadResult) pctMs(p float64) float64 { return float64(percentile(r.lat, p)) / latencyUnit }

// check fails a run whose failures exceed loadMaxErrPct of its requests.
func (r loadResult) check(what string) error {
	total := len(r.lat) + r.failures
	if total == 0 {
		return fmt.Errorf("%s: no request completed (first error: %s)", what, r.firstErr)
	}
	if pct := 100 * float64(r.failures) / float64(total); pct > loadMaxErrPct {
		return fmt.Errorf("%s: %d of %d requests failed (%.2f%%); first: %s", what, r.failures, total, pct, r.firstErr)
	}
	return nil
}

// worker is one connection's share of a run. Latencies go into a
// preallocated slice; nothing is shared between workers until the end.
type worker struct {
	lat      []time.Duration
	failures int
	firstErr string
}

// runLoad runs spec and returns its result. The HTTP client is kept lean
// because it shares the CPUs with the server: one Transport capped at
// spec.conns connections (so exactly that many stay open and reused), no
// compression, bodies discarded, one reused request per worker.
func runLoad(ctx context.Context, spec loadSpec) (loadResult, error) {
	if spec.conns < 1 || spec.dur <= 0 {
		return loadResult{}, errors.New("load: need at least one connection and a positive duration")
	}
	start := time.Now()
	measureFrom, end := start.Add(spec.warmup), start.Add(spec.warmup+spec.dur)
	lctx, cancel := context.WithDeadline(ctx, end.Add(loadGrace))
	defer cancel()
	tr := &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        spec.conns,
		MaxIdleConnsPerHost: spec.conns,
		MaxConnsPerHost:     spec.conns,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	perWorker := max(1024, int(spec.dur.Seconds()*loadRateGuess))
	workers := make([]worker, spec.conns)
	var wg sync.WaitGroup
	for i := range workers {
		req, err := http.NewRequestWithContext(lctx, http.MethodGet, spec.url, nil)
		if err != nil {
			return loadResult{}, fmt.Errorf("load: %w", err)
		}
		req.Header = spec.header.Clone()
		w := &workers[i]
		w.lat = make([]time.Duration, 0, perWorker)
		wg.Go(func() { w.run(lctx, client, req, measureFrom, end) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}
	return merge(workers, end.Sub(measureFrom)), nil
}

// run sends requests until end; a request that completes with 200 inside
// [from, end] is measured, any failure is counted.
func (w *worker) run(ctx context.Context, client *http.Client, req *http.Request, from, end time.Time) {
	for {
		t0 := time.Now()
		if !t0.Before(end) || ctx.Err() != nil {
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			w.fail(err.Error())
			time.Sleep(loadErrPause)
			continue
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		t1 := time.Now()
		switch {
		case err != nil:
			w.fail("read body: " + err.Error())
		case resp.StatusCode != http.StatusOK:
			w.fail(resp.Status)
		case !t1.Before(from) && !t1.After(end):
			w.lat = append(w.lat, t1.Sub(t0))
		}
	}
}

func (w *worker) fail(msg string) {
	if w.failures == 0 {
		w.firstErr = msg
	}
	w.failures++
}

// merge combines the workers' results and sorts the latencies.
func merge(workers []worker, window time.Duration) loadResult {
	n := 0
	for _, w := range workers {
		n += len(w.lat)
	}
	r := loadResult{window: window, lat: make([]time.Duration, 0, n)}
	for _, w := range workers {
		r.lat = append(r.lat, w.lat...)
		if w.failures > 0 && r.failures == 0 {
			r.firstErr = w.firstErr
		}
		r.failures += w.failures
	}
	slices.Sort(r.lat)
	return r
}

// percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest value with at least p% of the values
// at or below it. It returns 0 for an empty slice.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p * float64(len(sorted)) / 100))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// median returns the middle value of xs (the mean of the two middle ones
// for an even count); xs is sorted in place.
func median(xs []time.Duration) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}
