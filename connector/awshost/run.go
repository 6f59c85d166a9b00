// Package awshost runs the connector in the aws runtime (an ECS service):
// the same session manager as the local runtime, consuming commands from
// SQS and publishing events to EventBridge, over the DynamoDB stores and
// the S3 media bucket.
package awshost

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/wagate/wagate/connector/manager"
	"github.com/wagate/wagate/connector/sim"
	"github.com/wagate/wagate/connector/waengine"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/awsrt"
	"github.com/wagate/wagate/shared/fetch"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/sqlite"
)

const (
	// MetricsEvery is how often the connector writes its metrics (EMF).
	MetricsEvery = time.Minute
	// engineFile holds the engine's local state under the data dir: the
	// sim network, or the whatsmeow device store until it moves to
	// DynamoDB (one connector task until then).
	engineFile = "connector.db"
)

// Run hosts sessions until ctx ends (SIGTERM from ECS), then stops
// gracefully within manager.StopTimeout plus the queue's hand-back: no
// new command is taken, the ones in flight finish (on their own context),
// clients disconnect keeping their credentials, commands received but not
// started go back to SQS, and the last metrics are written. With the sim
// engine and simPort > 0, the HTTP API with the /api/_sim control routes
// is served on simPort (the simulated network lives in this process).
func Run(ctx context.Context, rt *awsrt.Runtime, simPort int) error {
	if err := os.MkdirAll(rt.Config.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	db, err := sqlite.Open(ctx, enginePath(rt.Config))
	if err != nil {
		return fmt.Errorf("open engine state: %w", err)
	}
	defer db.Close()
	engine, simctl, err := newEngine(ctx, rt, db)
	if err != nil {
		return err
	}
	st, c := rt.Stores, rt.Config
	mgr := &manager.Manager{
		Engine: engine, Store: st.Sessions, Log: rt.Log,
		Queue:    &metrics.Queue{CommandQueue: rt.Queue, R: rt.Metrics},
		Bus:      &metrics.Bus{EventBus: rt.Bus, R: rt.Metrics},
		Messages: st.Messages, Statuses: st.Statuses, Media: st.Media, Blobs: rt.Blobs,
		Contacts: st.Contacts, Groups: st.Groups, Results: st.Results,
		Fetch:      fetch.New(fetch.Options{AllowLoopback: c.AllowPrivate, AllowPrivate: c.AllowPrivate}).Get,
		Pacing:     manager.Pacing{PerSecond: c.SendRate, Burst: c.SendBurst},
		Visibility: c.CommandVisibility,
		Ownership: &manager.Ownership{
			Leases: st.Leases, Handoff: rt.Queue, TaskID: c.TaskID, TTL: c.LeaseTTL, Heartbeat: c.LeaseHeartbeat,
		},
	}
	stopSim := serveSim(ctx, rt, simctl, simPort)
	go flushMetrics(ctx, rt)
	rt.Log.Info("connector started", "engine", c.Engine, "queue", rt.Queue.URL())
	err = mgr.Run(ctx)
	stopSim()
	rt.Log.Info("connector stopped", "err", err)
	return errors.Join(err, rt.Close())
}

// newEngine builds the WhatsApp engine of the configuration.
func newEngine(ctx context.Context, rt *awsrt.Runtime, db *sqlite.DB) (wagate.Engine, wagate.SimControl, error) {
	if rt.Config.Engine == "sim" {
		opts := sim.Options{PushNameEvents: true, Logger: rt.Log}
		if rt.Config.SimDB != "" {
			opts.Journal = journalName(rt.Config.TaskID)
		}
		n, err := sim.New(db.SQL(), opts)
		if err != nil {
			return nil, nil, fmt.Errorf("start sim engine: %w", err)
		}
		return n, n, nil
	}
	container, err := waengine.OpenContainer(ctx, db.SQL())
	if err != nil {
		return nil, nil, fmt.Errorf("open whatsmeow device store: %w", err)
	}
	return waengine.New(container, rt.Log), nil, nil
}

// serveSim serves the API with the sim control on port; it returns the
// function that stops it.
func serveSim(ctx context.Context, rt *awsrt.Runtime, simctl wagate.SimControl, port int) func() {
	if simctl == nil || port <= 0 {
		return func() {}
	}
	api := rt.APIServer()
	api.Sim = simctl
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		rt.Log.Error("sim control not served", "port", port, "err", err)
		return func() {}
	}
	rt.Log.Info("sim control listening", "addr", ln.Addr().String())
	go func() { _ = srv.Serve(ln) }()
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}
}

// flushMetrics writes the metrics every MetricsEvery until ctx ends (the
// last write is Runtime.Close's).
func flushMetrics(ctx context.Context, rt *awsrt.Runtime) {
	t := time.NewTicker(MetricsEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := rt.EMF.Flush(); err != nil {
				rt.Log.Warn("write metrics", "err", err)
			}
		}
	}
}

// enginePath is the SQLite file of the engine's local state: the data
// dir's, or with the sim engine WAGATE_SIM_DB (test only: one simulated
// network shared by every connector process of a test, so a session paired
// through one process connects through another; see docs/scale-out.md).
func enginePath(c awsrt.Config) string {
	if c.Engine == "sim" && c.SimDB != "" {
		return c.SimDB
	}
	return filepath.Join(c.DataDir, engineFile)
}

// journalName names this process in the sim journal.
func journalName(taskID string) string {
	if taskID != "" {
		return taskID
	}
	return "pid-" + strconv.Itoa(os.Getpid())
}
