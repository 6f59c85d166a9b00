// Command floorwa is the smallest whatsmeow host, the baseline of the
// idle_rss_floor_mb figure: it opens a SQLite file with the driver wagate
// uses (modernc.org/sqlite), brings whatsmeow's device store up to date on
// it, connects a client for every stored device (none on a fresh data dir)
// and serves GET /health. What wagate holds at idle beyond this floor is
// its own. Build it with
//
//	go build -trimpath -o bin/wagate-floor ./connector/cmd/wagate-bench/floorwa
//
// (make bench does) and point wagate-bench at it with -floor-bin. It reads
// PORT and WAGATE_DATA_DIR (the database is WAGATE_DATA_DIR/floor.db).
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
	waLog "go.mau.fi/whatsmeow/util/log"
	_ "modernc.org/sqlite"
)

// Settings of the floor host.
const (
	dbFile = "floor.db"
	// dbPragmas are wagate's: foreign keys (sqlstore refuses to start
	// without them), WAL, a busy timeout and normal syncs.
	dbPragmas         = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
	sqliteDialect     = "sqlite" // dbutil (under sqlstore) only checks the prefix
	readHeaderTimeout = 10 * time.Second
	shutdownGrace     = 3 * time.Second
	healthBody        = `{"status":"ok"}`
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "wagate-floor:", err)
		os.Exit(1)
	}
}

// run starts the host and serves until SIGINT or SIGTERM.
func run() error {
	port, dataDir := os.Getenv("PORT"), os.Getenv("WAGATE_DATA_DIR")
	if port == "" || dataDir == "" {
		return errors.New("PORT and WAGATE_DATA_DIR must be set")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	db, err := openDB(dataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	clients, err := connectDevices(ctx, db)
	defer disconnect(clients)
	if err != nil {
		return err
	}
	return serve(ctx, ":"+port)
}

// openDB opens (creating it) dataDir/floor.db with wagate's pragmas.
func openDB(dataDir string) (*sql.DB, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+uriPath(filepath.Join(dataDir, dbFile))+"?"+dbPragmas)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dbFile, err)
	}
	return db, nil
}

// uriPath escapes the characters that end or escape the path of an SQLite
// URI filename (as wagate's shared/sqlite does).
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// connectDevices brings whatsmeow's device store up to date on db and
// connects a client for every stored device; the clients returned are the
// ones connected, also on error.
func connectDevices(ctx context.Context, db *sql.DB) ([]*whatsmeow.Client, error) {
	container := sqlstore.NewWithDB(db, sqliteDialect, waLog.Noop)
	if err := container.Upgrade(ctx); err != nil {
		return nil, fmt.Errorf("upgrade whatsmeow store: %w", err)
	}
	devices, err := container.GetAllDevices(ctx)
	if err != nil {
		return nil, fmt.Errorf("load devices: %w", err)
	}
	clients := make([]*whatsmeow.Client, 0, len(devices))
	for _, dev := range devices {
		cli := whatsmeow.NewClient(dev, waLog.Noop)
		if err := cli.Connect(); err != nil {
			return clients, fmt.Errorf("connect %v: %w", dev.ID, err)
		}
		clients = append(clients, cli)
	}
	return clients, nil
}

// disconnect closes the clients' connections.
func disconnect(clients []*whatsmeow.Client) {
	for _, cli := range clients {
		cli.Disconnect()
	}
}

// serve answers GET /health on addr until ctx ends, then shuts down.
func serve(ctx context.Context, addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(healthBody))
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
	failed := make(chan error, 1)
	go func() { failed <- srv.ListenAndServe() }()
	select {
	case err := <-failed:
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
