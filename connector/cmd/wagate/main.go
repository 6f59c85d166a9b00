// Command wagate is the local runtime: the whole WhatsApp HTTP API in one
// process, on SQLite files in a data directory.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/wagate/wagate/connector/localrt"
	_ "github.com/wagate/wagate/shared/stack/early" // before the other inits: see the package
)

func main() {
	cfg, err := localrt.LoadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wagate:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := localrt.Run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wagate:", err)
		os.Exit(1)
	}
}
