package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// callFunc is one call of a load run: seq numbers the calls of the run
// from 0 (workers share the sequence, so seq % n spreads calls round-robin
// over n targets). It returns the call's outcome, e.g. a message status.
type callFunc func(ctx context.Context, seq int) (string, error)

// tally is what a load run recorded: the latencies of the calls measured
// (by outcome), how many calls were answered in all (warm-up and late
// answers included) and the failures.
type tally struct {
	window   time.Duration
	lat      map[string][]time.Duration // outcome → latencies, sorted by finish
	answered int
	failures int
	firstErr string
}

func newTally() *tally { return &tally{lat: map[string][]time.Duration{}} }

// add records one answered call; measured says whether its latency counts.
func (t *tally) add(outcome string, d time.Duration, measured bool) {
	t.answered++
	if measured {
		t.lat[outcome] = append(t.lat[outcome], d)
	}
}

func (t *tally) fail(err error) {
	if t.failures == 0 {
		t.firstErr = err.Error()
	}
	t.failures++
}

// merge adds o to t.
func (t *tally) merge(o *tally) {
	for k, v := range o.lat {
		t.lat[k] = append(t.lat[k], v...)
	}
	t.answered += o.answered
	if o.failures > 0 && t.failures == 0 {
		t.firstErr = o.firstErr
	}
	t.failures += o.failures
}

// finish sorts every latency slice.
func (t *tally) finish() {
	for _, v := range t.lat {
		slices.Sort(v)
	}
}

// count is the number of measured calls with one of outcomes (all when none
// is given).
func (t *tally) count(outcomes ...string) int { return len(t.latencies(outcomes...)) }

// latencies returns the sorted latencies of the measured calls with one of
// outcomes (all when none is given).
func (t *tally) latencies(outcomes ...string) []time.Duration {
	if len(outcomes) == 1 {
		return t.lat[outcomes[0]]
	}
	var all []time.Duration
	for k, v := range t.lat {
		if len(outcomes) == 0 || slices.Contains(outcomes, k) {
			all = append(all, v...)
		}
	}
	slices.Sort(all)
	return all
}

// pctMs is the p-th percentile latency of outcomes (all when none), in ms.
func (t *tally) pctMs(p float64, outcomes ...string) float64 {
	return ms(percentile(t.latencies(outcomes...), p))
}

// check fails a run with no measured call or with failures above
// loadMaxErrPct of its calls; failures below that are reported.
func (t *tally) check(what string) error {
	total := t.answered + t.failures
	switch {
	case t.count() == 0:
		return fmt.Errorf("%s: no call measured (%d failed; first error: %s)", what, t.failures, t.firstErr)
	case t.failures == 0:
		return nil
	}
	pct := 100 * float64(t.failures) / float64(total)
	if pct > loadMaxErrPct {
		return fmt.Errorf("%s: %d of %d calls failed (%.2f%%); first: %s", what, t.failures, total, pct, t.firstErr)
	}
	progress("%s: %d of %d calls failed (first: %s)", what, t.failures, total, t.firstErr)
	return nil
}

// closedLoop runs conns workers calling do back to back for warmup+dur;
// calls that finish inside the last dur are measured. No call starts after
// the end; those in flight may run loadGrace longer.
func closedLoop(ctx context.Context, conns int, warmup, dur time.Duration, do callFunc) (*tally, error) {
	if conns < 1 || dur <= 0 {
		return nil, errors.New("closed loop: need at least one worker and a positive duration")
	}
	start := time.Now()
	from, end := start.Add(warmup), start.Add(warmup+dur)
	lctx, cancel := context.WithDeadline(ctx, end.Add(loadGrace))
	defer cancel()
	var seq atomic.Int64
	parts := make([]*tally, conns)
	var wg sync.WaitGroup
	for i := range parts {
		t := newTally()
		parts[i] = t
		wg.Go(func() {
			for {
				t0 := time.Now()
				if !t0.Before(end) || lctx.Err() != nil {
					return
				}
				outcome, err := do(lctx, int(seq.Add(1)-1))
				t1 := time.Now()
				if err != nil {
					if lctx.Err() != nil {
						return
					}
					t.fail(err)
					time.Sleep(loadErrPause)
					continue
				}
				t.add(outcome, t1.Sub(t0), !t1.Before(from) && !t1.After(end))
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all := newTally()
	for _, t := range parts {
		all.merge(t)
	}
	all.window = dur
	all.finish()
	return all, nil
}

// openLoop makes calls at a fixed rate for warmup+dur, whatever the
// answers: a ticker-driven dispatcher starts call i at start + i/rate on
// its own goroutine (catching up on ticks the runtime dropped), so a slow
// answer never holds back the next arrival. Latency runs from the
// scheduled time to the answer; calls scheduled after the warm-up are
// measured. It returns once every call has been answered (or loadGrace
// after the end).
func openLoop(ctx context.Context, rate float64, warmup, dur time.Duration, do callFunc) (*tally, error) {
	if rate <= 0 || dur <= 0 {
		return nil, errors.New("open loop: need a positive rate and duration")
	}
	interval := time.Duration(float64(time.Second) / rate)
	total := int((warmup + dur).Seconds() * rate)
	measuredFrom := int(warmup.Seconds() * rate)
	start := time.Now()
	lctx, cancel := context.WithDeadline(ctx, start.Add(warmup+dur+loadGrace))
	defer cancel()
	var (
		mu sync.Mutex
		t  = newTally()
		wg sync.WaitGroup
	)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	next := 0
	for next < total {
		select {
		case <-lctx.Done():
			wg.Wait()
			return nil, fmt.Errorf("open loop: %w", context.Cause(lctx))
		case <-tick.C:
			due := min(total, int(time.Since(start)/interval)+1)
			for ; next < due; next++ {
				seq, sched := next, start.Add(time.Duration(next)*interval)
				wg.Go(func() {
					outcome, err := do(lctx, seq)
					d := time.Since(sched)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						t.fail(err)
						return
					}
					t.add(outcome, d, seq >= measuredFrom)
				})
			}
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.window = dur
	t.finish()
	return t, nil
}
