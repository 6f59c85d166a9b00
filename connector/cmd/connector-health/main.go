// Command connector-health is the connector container's health check
// (ECS runs it in the task, beside the connector): with the task's own
// configuration, credentials and network path (private subnet, NAT,
// gateway endpoints), it checks that the table, the command queue, the
// event bus and the media bucket answer — awsrt.Runtime.Ready, the same
// check as the API's GET /ready. Exit 0 = healthy, 1 = not (the reason on
// stderr). The distroless image has no shell or curl, hence a binary.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsrt"
)

// checkTimeout stays under the task definition's health check timeout (10 s).
const checkTimeout = 8 * time.Second

func main() {
	if err := check(); err != nil {
		fmt.Fprintln(os.Stderr, "wagate connector unhealthy:", err)
		os.Exit(1)
	}
}

func check() error {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	cfg, err := awsrt.LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	awscfg, err := awsconf.Load(ctx)
	if err != nil {
		return err
	}
	awscfg.RetryMaxAttempts = 1 // the health check itself is retried by ECS
	rt, err := awsrt.OpenWith(ctx, cfg, awscfg, "connector-health", io.Discard)
	if err != nil {
		return err
	}
	return rt.Ready(ctx)
}
