package main

import (
	"context"
	"net/http"
	"time"
)

// Settings of the status group.
const (
	statusSessionID = "bench-status"
	statusPhone     = "34690000000"
	connectTimeout  = 15 * time.Second // one scanned session → connected
	connectPoll     = 10 * time.Millisecond
)

// status: closed-loop load on GET /api/sessions/{id}/status of a connected
// session, then the same load on the bare baseline server. The two runs
// never overlap: wagate is stopped before the baseline starts.
func (b *bench) status(ctx context.Context) error {
	st, err := b.loadStatus(ctx)
	if err != nil {
		return err
	}
	b.printLoad("status", st)
	bare, err := b.loadBare(ctx)
	if err != nil {
		return err
	}
	b.printLoad("bare", bare)
	b.out.figure("status_vs_bare_ratio", st.rps()/bare.rps(), unitRatio)
	return nil
}

func (b *bench) loadStatus(ctx context.Context) (loadResult, error) {
	c, a, _, err := b.startWagate(ctx)
	if err != nil {
		return loadResult{}, err
	}
	defer c.stop()
	defer a.close()
	if err := a.createSession(ctx, statusSessionID); err != nil {
		return loadResult{}, err
	}
	if err := a.scan(ctx, statusSessionID, statusPhone); err != nil {
		return loadResult{}, err
	}
	if err := a.waitStatus(ctx, statusSessionID, "connected", connectTimeout, connectPoll); err != nil {
		return loadResult{}, err
	}
	a.close()
	h := http.Header{"X-Api-Key": {benchAPIKey}}
	return b.load(ctx, "status", c, c.baseURL()+"/api/sessions/"+statusSessionID+"/status", h)
}

func (b *bench) loadBare(ctx context.Context) (loadResult, error) {
	c, err := startBare()
	if err != nil {
		return loadResult{}, err
	}
	defer c.stop()
	if _, err := waitHealthy(ctx, c); err != nil {
		return loadResult{}, err
	}
	return b.load(ctx, "bare", c, c.baseURL()+"/api/sessions/"+statusSessionID+"/status", http.Header{})
}

// load runs the closed-loop load on url and checks the server survived it
// and answered (almost) every request with 200.
func (b *bench) load(ctx context.Context, name string, c *child, url string, h http.Header) (loadResult, error) {
	progress("%s: %d connections, %v warm-up + %v", name, loadConns, b.warmup, b.dur)
	r, err := runLoad(ctx, loadSpec{url: url, header: h, conns: loadConns, warmup: b.warmup, dur: b.dur})
	if err != nil {
		return r, err
	}
	if c.exited() {
		return r, c.exitError()
	}
	if r.failures > 0 {
		progress("%s: %d failed requests (first: %s)", name, r.failures, r.firstErr)
	}
	return r, r.check(name)
}

func (b *bench) printLoad(name string, r loadResult) {
	b.out.figure(name+"_rps", r.rps(), unitRPS)
	b.out.figure(name+"_p50_ms", r.pctMs(50), unitMs)
	b.out.figure(name+"_p99_ms", r.pctMs(99), unitMs)
}
