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

	"github.com/wagate/wagate/connector/dynstore"
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
	// simFile holds the sim engine's network under the data dir.
	simFile = "connector.db"
)

// The whatsmeow engine's device store is dynstore's (a compile-time check).
var _ waengine.Devices = (*dynstore.Container)(nil)

// Run hosts sessions until ctx ends (SIGTERM from ECS), then stops
// gracefully within manager.StopTimeout plus the queue's hand-back: no
// new command is taken, the ones in flight finish (on their own context),
// clients disconnect keeping their credentials, commands received but not
// started go back to SQS, and the last metrics are written. With the sim
// engine and simPort > 0, the HTTP API with the /api/_sim control routes
// is served on simPort (the simulated network lives in this process).
func Run(ctx context.Context, rt *awsrt.Runtime, simPort int) error {
	engine, simctl, closeEngine, err := newEngine(ctx, rt)
	if err != nil {
		return err
	}
	defer closeEngine()
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

// DeviceStore returns the whatsmeow device store of the aws runtime: every
// session's credentials and Signal state in the DynamoDB table
// Config.DeviceTable, which every connector task shares, so that whichever
// task holds a session's lease loads its device (docs/scale-out.md).
func DeviceStore(rt *awsrt.Runtime) *dynstore.Container {
	return dynstore.New(rt.AWS.DynamoDB, rt.Config.DeviceTable, waengine.StoreLogger(rt.Log))
}

// newEngine builds the WhatsApp engine of the configuration, and the
// function that releases what it holds: whatsmeow on the DynamoDB device
// store (no local state), or the sim on its SQLite file.
func newEngine(ctx context.Context, rt *awsrt.Runtime) (wagate.Engine, wagate.SimControl, func(), error) {
	if rt.Config.Engine != "sim" {
		return waengine.New(DeviceStore(rt), rt.Log), nil, func() {}, nil
	}
	if err := os.MkdirAll(rt.Config.DataDir, 0o700); err != nil {
		return nil, nil, nil, fmt.Errorf("create data dir: %w", err)
	}
	db, err := sqlite.Open(ctx, simPath(rt.Config))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("open sim network: %w", err)
	}
	opts := sim.Options{PushNameEvents: true, Logger: rt.Log}
	if rt.Config.SimDB != "" {
		opts.Journal = journalName(rt.Config.TaskID)
	}
	n, err := sim.New(db.SQL(), opts)
	if err != nil {
		_ = db.Close()
		return nil, nil, nil, fmt.Errorf("start sim engine: %w", err)
	}
	return n, n, func() { _ = db.Close() }, nil
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

// simPath is the SQLite file of the sim network: the data dir's, or
// WAGATE_SIM_DB (test only: one simulated network shared by every
// connector process of a test, so a session paired through one process
// connects through another; see docs/scale-out.md).
func simPath(c awsrt.Config) string {
	if c.SimDB != "" {
		return c.SimDB
	}
	return filepath.Join(c.DataDir, simFile)
}

// journalName names this process in the sim journal.
func journalName(taskID string) string {
	if taskID != "" {
		return taskID
	}
	return "pid-" + strconv.Itoa(os.Getpid())
}
