package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/wagate/wagate/connector/topology"
)

// awsReap is how long the emulator is given to notice a killed bootstrap's
// pending poll before the next invocation (it would otherwise hand the
// invocation to the dead poller).
const awsReap = 50 * time.Millisecond

// awsColdStart measures the api function's cold start awsColdRuns times:
// the running instance is killed, a status request is sent through the
// HTTP API (it waits in the emulator for a poller), a fresh bootstrap is
// exec'd behind a RuntimeWatch, and the cold start is exec → its first
// `invocation/{id}/response` post. The last instance then serves
// awsWarmRequests status requests, timed inside the function (handed out
// by the Runtime API → response posted): the warm figure without the
// emulator.
func (b *bench) awsColdStart(ctx context.Context, top *topology.Topology) error {
	path := "/api/sessions/" + awsSession + "/status"
	var cold, inits []time.Duration
	var watch *topology.RuntimeWatch
	defer func() {
		if watch != nil { // its instance goes first: it would lose its Runtime API
			top.StopAPI()
			_ = watch.Close()
		}
	}()
	for i := range awsColdRuns {
		top.StopAPI()
		if watch != nil {
			_ = watch.Close()
		}
		if err := sleep(ctx, awsReap); err != nil {
			return err
		}
		var err error
		if watch, err = topology.NewRuntimeWatch(top.Endpoint, top.Names.APIFunction); err != nil {
			return err
		}
		answered := make(chan error, 1)
		go func() { answered <- top.CallJSON(ctx, http.MethodGet, path, nil, http.StatusOK, nil) }()
		if err := sleep(ctx, 20*time.Millisecond); err != nil { // the request reaches the emulator's Invoke
			return err
		}
		p, err := top.StartAPI(watch.RuntimeAPI())
		if err != nil {
			return err
		}
		first, err := watch.FirstResponse(ctx)
		if err != nil {
			return err
		}
		if err := <-answered; err != nil {
			return fmt.Errorf("cold start %d: the first request: %w", i+1, err)
		}
		cold = append(cold, first.Sub(p.Started))
		inits = append(inits, watch.FirstPoll().Sub(p.Started))
		progress("aws: cold start %d: %v (init %v)", i+1, cold[i], inits[i])
	}
	b.out.figure("aws_api_cold_start_ms", ms(median(cold)), unitMs)
	b.out.figure("aws_api_cold_start_ms_p_max", ms(slices.Max(cold)), unitMs)
	b.out.figure("aws_api_init_ms", ms(median(inits)), unitMs)

	if _, err := timeCalls(ctx, awsWarmup, 0, func(ctx context.Context) error {
		return top.CallJSON(ctx, http.MethodGet, path, nil, http.StatusOK, nil)
	}); err != nil {
		return err
	}
	watch.Reset()
	if _, err := timeCalls(ctx, 0, awsWarmRequests, func(ctx context.Context) error {
		return top.CallJSON(ctx, http.MethodGet, path, nil, http.StatusOK, nil)
	}); err != nil {
		return err
	}
	in := watch.InFunction()
	slices.Sort(in)
	if len(in) < awsWarmRequests {
		return fmt.Errorf("the runtime watch timed %d of %d invocations", len(in), awsWarmRequests)
	}
	b.out.figure("aws_status_in_function_p50_ms", ms(percentile(in, 50)), unitMs)
	b.out.figure("aws_status_in_function_p99_ms", ms(percentile(in, 99)), unitMs)
	return nil
}
