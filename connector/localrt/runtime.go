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
	"github.com/wagate/wagate/shared/fetch"
	"github.com/wagate/wagate/shared/fsblob"
	"github.com/wagate/wagate/shared/httpapi"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/service"
	"github.com/wagate/wagate/shared/sqlite"
	"github.com/wagate/wagate/shared/webhook"
)

// Timeouts of the local HTTP server and its shutdown.
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 120 * time.Second
	ShutdownTimeout   = 25 * time.Second
	dbFile            = "wagate.db"
	signingKeyFile    = "signing-key"
)

// Run starts the local runtime and blocks until ctx ends, then shuts down
// gracefully: the HTTP server stops taking requests, in-flight commands
// finish, clients disconnect (keeping credentials), pending webhooks stay
// in the outbox, the database closes.
func Run(ctx context.Context, cfg Config, out io.Writer) error {
	log := newLogger(cfg, out)
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	defer ln.Close()
	db, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, dbFile))
	if err != nil {
		return err
	}
	defer db.Close()
	rt, err := assemble(cfg, db, log)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: metrics.Middleware(metrics.Default, rt.api.Handler()), ReadHeaderTimeout: ReadHeaderTimeout, IdleTimeout: IdleTimeout}

	stopMgr, mgrDone := background(ctx, rt.mgr.Run)
	stopWebhooks, whDone := background(ctx, rt.deliverer.Run)
	trimCtx, stopTrim := context.WithCancel(ctx)
	defer stopTrim()
	go newTrimmer().run(trimCtx)
	srvErr := make(chan error, 1)
	go func() { srvErr <- srv.Serve(stackListener{ln}) }()
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
	stopWebhooks() // after the manager: its last events are in the outbox, delivered at the next start if not now
	<-whDone
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// background runs fn on its own context (not ctx's cancellation: the
// caller decides when to stop it) and returns its stop function and a
// channel closed when fn returned.
func background(ctx context.Context, fn func(context.Context) error) (stop func(), done <-chan struct{}) {
	bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	ch := make(chan struct{})
	go func() { defer close(ch); _ = fn(bctx) }()
	return cancel, ch
}

// runtime is the assembled local runtime.
type runtime struct {
	mgr       *manager.Manager
	api       *httpapi.Server
	deliverer *webhook.Deliverer
}

// assemble builds the adapters on db, the engine, the session manager, the
// webhook deliverer and the HTTP API.
func assemble(cfg Config, db *sqlite.DB, log *slog.Logger) (*runtime, error) {
	store, queue, outbox := sqlite.NewSessionStore(db), sqlite.NewCommandQueue(db), sqlite.NewOutbox(db)
	msgs, statuses, media := sqlite.NewMessageStore(db), sqlite.NewStatusStore(db), sqlite.NewMediaStore(db)
	contacts, groups, results := sqlite.NewContactStore(db), sqlite.NewGroupStore(db), sqlite.NewCommandResultStore(db)
	deliveries := sqlite.NewDeliveryStore(db)
	blobs, err := newBlobStore(cfg)
	if err != nil {
		return nil, err
	}
	engine, simctl, err := newEngine(cfg, db, log)
	if err != nil {
		return nil, err
	}
	deliverer, err := newDeliverer(cfg, outbox, &metrics.Deliveries{DeliveryStore: deliveries, R: metrics.Default}, store, blobs, log)
	if err != nil {
		return nil, err
	}
	fetcher := fetch.New(fetch.Options{AllowLoopback: cfg.AllowPrivateURLs, AllowPrivate: cfg.AllowPrivateURLs})
	mgr := &manager.Manager{
		Engine: engine, Store: store, Log: log,
		Queue: &metrics.Queue{CommandQueue: queue, R: metrics.Default}, Bus: &metrics.Bus{EventBus: outbox, R: metrics.Default},
		Messages: msgs, Statuses: statuses, Media: media, Blobs: blobs, Fetch: fetcher.Get,
		Contacts: contacts, Groups: groups, Results: results,
		Pacing: manager.Pacing{PerSecond: cfg.SendRate, Burst: cfg.SendBurst},
	}
	messages := &service.Messages{
		Sessions: store, Store: msgs, Media: media, Blobs: blobs, Queue: queue, SendWait: cfg.SendWait,
		Sources: service.MediaSources{Dir: cfg.MediaDir, AllowLoopback: cfg.AllowPrivateURLs, AllowPrivate: cfg.AllowPrivateURLs},
	}
	commands := &service.Commands{Results: results, Queue: queue, Wait: cfg.CommandWait}
	api := &httpapi.Server{
		Sessions:   &service.Sessions{Store: store, Queue: queue},
		Messages:   messages,
		Statuses:   &service.Statuses{Messages: messages, Store: statuses},
		MediaFiles: &service.MediaFiles{Sessions: store, Store: media, Blobs: blobs, MaxUploadBytes: cfg.MaxUploadBytes},
		Webhooks:   &service.Webhooks{Sessions: store, Store: deliveries, Tester: deliverer},
		Commands:   commands,
		Contacts:   &service.Contacts{Sessions: store, Store: contacts, Groups: groups, Commands: commands},
		Groups:     &service.Groups{Sessions: store, Store: groups, Commands: commands},
		Files:      blobs,
		Sim:        simctl,
		APIKeys:    []string{cfg.APIKey},
		RateLimit:  httpapi.RateLimit{PerSecond: cfg.RateLimit, Burst: cfg.RateBurst},
		Ready:      func(r *http.Request) error { return db.SQL().PingContext(r.Context()) },
		Metrics:    metrics.Default,
		Log:        log,
	}
	return &runtime{mgr: mgr, api: api, deliverer: deliverer}, nil
}

// newBlobStore keeps files under the data dir, with download links signed
// by a key generated once and kept beside them.
func newBlobStore(cfg Config) (*fsblob.Store, error) {
	key, _, err := loadOrCreateKey(filepath.Join(cfg.DataDir, signingKeyFile))
	if err != nil {
		return nil, err
	}
	return fsblob.New(filepath.Join(cfg.DataDir, "files"), cfg.PublicURL, []byte(key))
}

// newEngine builds the WhatsApp engine named in cfg; the sim engine also
// returns its control.
func newEngine(cfg Config, db *sqlite.DB, log *slog.Logger) (wagate.Engine, wagate.SimControl, error) {
	if cfg.Engine == EngineSim {
		n, err := sim.New(db.SQL(), sim.Options{PushNameEvents: true})
		if err != nil {
			return nil, nil, fmt.Errorf("start sim engine: %w", err)
		}
		return n, n, nil
	}
	// The device store opens with the first WhatsApp client (at start when
	// a stored session reconnects): an install without sessions never pays
	// for it.
	open := func(ctx context.Context) (waengine.Devices, error) { return waengine.OpenContainer(ctx, db.SQL()) }
	return waengine.NewDeferred(open, log), nil, nil
}
