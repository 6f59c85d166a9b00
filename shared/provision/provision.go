// Package provision creates the aws runtime's resources from Go, with the
// names and settings of awsres and the tables of dynamo.TableSpec and
// dynamo.DeviceTableSpec: what the CDK app deploys, for an emulator (kumo,
// LocalStack) whose CloudFormation does not create resources. Every step
// is idempotent: a resource that exists is left as it is (queue attributes
// are brought up to date), so Run may be repeated.
package provision

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
)

// Provisioner creates one stage's resources.
type Provisioner struct {
	Clients awsconf.Clients
	Names   awsres.Set
	// Account makes the bucket name unique in AWS ("" in an emulator: the
	// bare awsres name).
	Account string
	// WebhookTarget is the ARN the webhook rule delivers to: the webhook
	// function (a Lambda ARN) or an SQS queue. Empty: the queue
	// Names.WebhookQueue, created here, which a local webhook runner
	// consumes (an emulator that does not host the function).
	WebhookTarget string
	// Log reports each step; nil = slog.Default().
	Log *slog.Logger
}

// Result is what Run created or found.
type Result struct {
	Table           string
	DeviceTable     string // the whatsmeow device store's (connector/dynstore)
	CommandQueueURL string
	CommandQueueARN string
	CommandDLQURL   string
	EventBus        string
	EventBusARN     string
	WebhookTarget   string // ARN the rule delivers to
	WebhookQueueURL string // when the target is Names.WebhookQueue
	WebhookDLQURL   string
	WebhookDLQARN   string
	Bucket          string
}

// Run creates every resource that is missing, in dependency order.
func (p *Provisioner) Run(ctx context.Context) (Result, error) {
	r := Result{Table: p.Names.Table, DeviceTable: p.Names.DeviceTable, EventBus: p.Names.EventBus, Bucket: p.Names.Bucket(p.Account)}
	steps := []struct {
		name string
		do   func(context.Context, *Result) error
	}{
		{"table " + r.Table, p.table},
		{"device table " + r.DeviceTable, p.deviceTable},
		{"command queue " + p.Names.CommandQueue, p.commandQueue},
		{"event bus " + r.EventBus, p.bus},
		{"webhook rule " + p.Names.WebhookRule, p.webhookRule},
		{"media bucket " + r.Bucket, p.bucket},
	}
	for _, s := range steps {
		if err := s.do(ctx, &r); err != nil {
			return r, fmt.Errorf("provision %s: %w", s.name, err)
		}
		p.log().Info("provisioned", "resource", s.name)
	}
	return r, nil
}

func (p *Provisioner) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}
