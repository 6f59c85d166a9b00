// Command wagate-provision creates the aws runtime's resources of a stage
// (table, queues, bus and rule, bucket) in an AWS emulator, with the names
// and settings the CDK app deploys; it is idempotent. It refuses to run
// against AWS itself unless -aws is given: deploy with `make deploy`.
// It prints the settings the processes need as shell assignments.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/provision"
)

func main() {
	stage := flag.String("stage", os.Getenv("WAGATE_STAGE"), "stage whose resources to create (default "+awsres.DefaultStage+")")
	target := flag.String("webhook-target", "", "ARN of the webhook rule's target (default: a queue the local webhook runner consumes)")
	allowAWS := flag.Bool("aws", false, "allow running against AWS (no AWS_ENDPOINT_URL)")
	flag.Parse()
	if err := run(*stage, *target, *allowAWS); err != nil {
		fmt.Fprintln(os.Stderr, "wagate-provision:", err)
		os.Exit(1)
	}
}

func run(stage, target string, allowAWS bool) error {
	ctx := context.Background()
	names, err := awsres.Names(stage)
	if err != nil {
		return err
	}
	cfg, err := awsconf.Load(ctx)
	if err != nil {
		return err
	}
	if cfg.BaseEndpoint == nil && !allowAWS {
		return errors.New("AWS_ENDPOINT_URL is not set: refusing to create resources in AWS (pass -aws to do so)")
	}
	p := &provision.Provisioner{Clients: awsconf.NewClients(cfg), Names: names, WebhookTarget: target,
		Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	r, err := p.Run(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("WAGATE_STAGE=%s\nWAGATE_COMMAND_QUEUE_URL=%s\nWAGATE_WEBHOOK_QUEUE_URL=%s\nWAGATE_EVENT_BUS=%s\nWAGATE_TABLE=%s\nWAGATE_MEDIA_BUCKET=%s\n",
		names.Stage, r.CommandQueueURL, r.WebhookQueueURL, r.EventBus, r.Table, r.Bucket)
	return nil
}
