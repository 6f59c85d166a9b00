package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"
)

// bareServerFlag is the hidden flag that turns the bench binary into the
// baseline server.
const bareServerFlag = "bare-server"

// bareBody has the shape and size (183 bytes) of wagate's
// GET /api/sessions/{id}/status response. It is written pre-encoded: the
// baseline is the floor net/http sets, not a second implementation.
const bareBody = `{"success":true,"data":{"id":1,"sessionId":"bench-status","status":"connected",` +
	`"phoneNumber":"34690000000","lastActivity":"2026-01-01T00:00:00.000Z","isConnected":true,"hasQR":false}}`

// serveBare serves bareBody on every path of addr until the process is
// signalled (SIGTERM's default action ends it).
func serveBare(addr string) error {
	body := []byte(bareBody)
	size := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", size)
		_, _ = w.Write(body)
	})
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// startBare re-executes the bench binary as the baseline server, with
// GOMAXPROCS unset like the wagate child.
func startBare() (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start bare server: %w", err)
	}
	return startChild(procSpec{name: "bare", path: exe, build: func(_ string, port int) ([]string, []string) {
		return []string{"-" + bareServerFlag, "127.0.0.1:" + strconv.Itoa(port)}, nil
	}})
}
