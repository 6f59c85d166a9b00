package localrt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/wagate/wagate/connector/manager"
	"github.com/wagate/wagate/connector/sim"
	"github.com/wagate/wagate/connector/waengine"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/httpapi"
	"github.com/wagate/wagate/shared/service"
	"github.com/wagate/wagate/shared/sqlite"
)

// Timeouts of the local HTTP server and its shutdown.
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 120 * time.Second
	ShutdownTimeout   = 25 * time.Second
	dbFile            = "wagate.db"
)

// Run starts the local runtime and blocks until ctx ends, then shuts down
// gracefully: the HTTP server stops taking requests, in-flight commands
// finish, clients disconnect (keeping credentials), the database closes.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	log := newLogger(cfg, out)
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, dbFile))
	if err != nil {
		ln.Close()
		return err
	}
	defer db.Close()

	store, queue, outbox := sqlite.NewSessionStore(db), sqlite.NewCommandQueue(db), sqlite.NewOutbox(db)
	engine, simctl, err := newEngine(ctx, cfg, db, log)
	if err != nil {
		ln.Close()
		return err
	}
	mgr := &manager.Manager{Engine: engine, Store: store, Queue: queue, Bus: outbox, Log: log}
	api := &httpapi.Server{
		Sessions: &service.Sessions{Store: store, Queue: queue},
		Sim:      simctl,
		APIKeys:  []string{cfg.APIKey},
		Ready:    func(r *http.Request) error { return db.SQL().PingContext(r.Context()) },
		Log:      log,
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: ReadHeaderTimeout, IdleTimeout: IdleTimeout}

	mgrCtx, stopMgr := context.WithCancel(context.WithoutCancel(ctx))
	mgrDone := make(chan struct{})
	go func() { defer close(mgrDone); _ = mgr.Run(mgrCtx) }()
	srvErr := make(chan error, 1)
	go func() { srvErr <- srv.Serve(ln) }()
	printBanner(out, cfg, ln.Addr())

	select {
	case <-ctx.Done():
	case err = <-srvErr:
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	_ = srv.Shutdown(sctx)
	stopMgr()
	<-mgrDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// newEngine builds the WhatsApp engine named in cfg; the sim engine also
// returns its control.
func newEngine(ctx context.Context, cfg Config, db *sqlite.DB, log *slog.Logger) (wagate.Engine, wagate.SimControl, error) {
	if cfg.Engine == EngineSim {
		n, err := sim.New(db.SQL(), sim.Options{})
		if err != nil {
			return nil, nil, fmt.Errorf("start sim engine: %w", err)
		}
		return n, n, nil
	}
	container, err := waengine.OpenContainer(ctx, db.SQL())
	if err != nil {
		return nil, nil, fmt.Errorf("open whatsmeow device store: %w", err)
	}
	return waengine.New(container, log), nil, nil
}
