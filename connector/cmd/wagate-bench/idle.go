package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Settings of the idle group.
const (
	// idleLongDelay: the idle wagate is read again this long after its
	// settled read, past the idle trimmer's first period (localrt.TrimEvery,
	// 2 min). An idle wagate allocates nothing, so the runtime never
	// collects, the trimmer (which waits for the first collection) never
	// acts and the figure stays level (docs/benchmarks.md, "Idle memory").
	idleLongDelay = 2*time.Minute + 30*time.Second
	idleRequests  = 5000 // GET /api/sessions served before the after-traffic read
	idleWorkers   = 4    // concurrent clients sending them
)

// idle: resident memory without sessions, and the smallest whatsmeow host
// as a same-run baseline. Figures, in MiB unless said:
//
//   - idle_rss_mb, idle_rss_anon_mb, idle_rss_file_mb: a fresh wagate
//     with the sim engine (the engine of every other figure) settleDelay
//     after its first 200, split into anonymous memory and pages mapped
//     from files (the executable);
//   - idle_rss_long_mb: the same process idleLongDelay later, left alone:
//     it allocates nothing at idle, so it never collects and the figure
//     stays level;
//   - idle_rss_after_traffic_mb, _anon_mb, _file_mb: a second fresh sim
//     wagate, started with the first, that served idleRequests
//     GET /api/sessions and then fell idle, read with the first one's long
//     read: the idle figure after use (the traffic made its runtime
//     collect; it then forces a collection every 2 minutes);
//   - idle_rss_whatsmeow_engine_mb: a fresh wagate with the default
//     whatsmeow engine (no session, so no connection), settleDelay after
//     its first 200;
//   - idle_rss_floor_mb: the floor host (-floor-bin, floorwa: whatsmeow's
//     device store on SQLite and /health, nothing else) settleDelay after
//     its first 200, and idle_rss_vs_floor_ratio, idle_rss_mb over it
//     (ratio). Both are skipped when the floor binary is missing.
func (b *bench) idle(ctx context.Context) error {
	r, err := b.idlePair(ctx)
	if err != nil {
		return err
	}
	b.printMemory("idle_rss", r.settled)
	b.out.figure("idle_rss_long_mb", kibToMiB(r.long.rss), unitMiB)
	b.printMemory("idle_rss_after_traffic", r.traffic)
	wm, err := b.idleMemory(ctx, wagateOpts{env: []string{"WAGATE_ENGINE=whatsmeow"}})
	if err != nil {
		return err
	}
	b.out.figure("idle_rss_whatsmeow_engine_mb", kibToMiB(wm.rss), unitMiB)
	return b.idleFloor(ctx, r.settled)
}

// printMemory prints m as prefix_mb, prefix_anon_mb and prefix_file_mb.
func (b *bench) printMemory(prefix string, m residentKiB) {
	b.out.figure(prefix+"_mb", kibToMiB(m.rss), unitMiB)
	b.out.figure(prefix+"_anon_mb", kibToMiB(m.anon), unitMiB)
	b.out.figure(prefix+"_file_mb", kibToMiB(m.file), unitMiB)
}

// idleReads are the memory reads of the idle group's two sim wagates.
type idleReads struct {
	settled residentKiB // the quiet one, settleDelay after its first 200
	long    residentKiB // the quiet one, idleLongDelay later
	traffic residentKiB // the one that served traffic, read with long
}

// idlePair starts two fresh sim wagates back to back, each with its own
// data dir, and reads them over the same idleLongDelay: one left alone
// from its first 200, the other once it has served idleTraffic.
func (b *bench) idlePair(ctx context.Context) (idleReads, error) {
	var r idleReads
	quiet, qa, _, err := b.startWagate(ctx)
	if err != nil {
		return r, err
	}
	defer quiet.stop()
	defer qa.close()
	used, ua, _, err := b.startWagate(ctx)
	if err != nil {
		return r, err
	}
	defer used.stop()
	defer ua.close()
	settleAt := time.Now().Add(settleDelay)
	longAt := settleAt.Add(idleLongDelay)
	traffic := make(chan error, 1)
	go func() { traffic <- idleTraffic(ctx, ua) }()
	if r.settled, err = readAt(ctx, quiet, settleAt); err != nil {
		return r, err
	}
	if err := <-traffic; err != nil {
		return r, fmt.Errorf("traffic before the idle read: %w", err)
	}
	progress("idle: %d requests served; reading both wagates at %s", idleRequests, longAt.Format(time.TimeOnly))
	if r.long, err = readAt(ctx, quiet, longAt); err != nil {
		return r, err
	}
	r.traffic, err = used.memory()
	return r, err
}

// readAt waits until at (or ctx's end) and reads c's memory.
func readAt(ctx context.Context, c *child, at time.Time) (residentKiB, error) {
	if err := sleep(ctx, time.Until(at)); err != nil {
		return residentKiB{}, err
	}
	return c.memory()
}

// idleTraffic sends idleRequests authenticated GET /api/sessions from
// idleWorkers concurrent workers, each answer checked to be a 200, then
// closes a's idle connections so that wagate's end of them goes too.
func idleTraffic(ctx context.Context, a *api) error {
	err := forEach(ctx, idleRequests, idleWorkers, func(ctx context.Context, _ int) error {
		return a.do(ctx, http.MethodGet, "/api/sessions", nil, http.StatusOK, nil)
	})
	a.close()
	return err
}

// idleMemory starts a fresh wagate with o and reads its memory
// settleDelay after its first 200.
func (b *bench) idleMemory(ctx context.Context, o wagateOpts) (residentKiB, error) {
	c, a, _, err := b.startWagateWith(ctx, o)
	if err != nil {
		return residentKiB{}, err
	}
	defer c.stop()
	defer a.close()
	return readAt(ctx, c, time.Now().Add(settleDelay))
}

// idleFloor reads the floor host's memory and prints it, with wagate's
// settled figure over it; without the floor binary it says so and prints
// neither.
func (b *bench) idleFloor(ctx context.Context, wagate residentKiB) error {
	if _, err := os.Stat(b.floorBin); errors.Is(err, fs.ErrNotExist) {
		progress("idle: no floor binary %s (make bench builds it): idle_rss_floor_mb skipped", b.floorBin)
		return nil
	} else if err != nil {
		return fmt.Errorf("floor binary: %w", err)
	}
	floor, err := b.floorMemory(ctx)
	if err != nil {
		return err
	}
	b.out.figure("idle_rss_floor_mb", kibToMiB(floor.rss), unitMiB)
	b.out.figure("idle_rss_vs_floor_ratio", float64(wagate.rss)/float64(floor.rss), unitRatio)
	return nil
}

// floorMemory starts the floor host on a fresh data dir and reads its
// memory settleDelay after its first 200 on /health.
func (b *bench) floorMemory(ctx context.Context) (residentKiB, error) {
	c, err := startChild(procSpec{name: "floor", path: b.floorBin, build: func(dir string, port int) ([]string, []string) {
		return nil, []string{"PORT=" + strconv.Itoa(port), "WAGATE_DATA_DIR=" + filepath.Join(dir, "data")}
	}})
	if err != nil {
		return residentKiB{}, err
	}
	defer c.stop()
	if _, err := waitHealthy(ctx, c); err != nil {
		return residentKiB{}, err
	}
	return readAt(ctx, c, time.Now().Add(settleDelay))
}
