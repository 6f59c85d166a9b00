package awsrt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/dynamo"
	"github.com/wagate/wagate/shared/eventbridge"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/s3"
	"github.com/wagate/wagate/shared/sqs"
)

const (
	// PingTimeout bounds each dependency check of Ready.
	PingTimeout = 3 * time.Second
	// EmulatorLongPoll is the queue's long-poll wait against an emulator
	// endpoint: kumo's long poll does not return when a visibility timeout
	// ends, so polls are kept short there (AWS gets awsres.QueueLongPoll).
	EmulatorLongPoll = 2 * time.Second
	// MetricsNamespace is the CloudWatch namespace of the EMF metrics.
	MetricsNamespace = "wagate"
	// SecretsTimeout bounds reading the secrets at start.
	SecretsTimeout = 10 * time.Second
)

// Runtime holds the aws adapters of one process.
type Runtime struct {
	Config  Config
	AWS     awsconf.Clients
	Log     *slog.Logger
	Metrics *metrics.Registry
	EMF     *metrics.EMF // CloudWatch metrics as log lines

	Queue  *sqs.Queue
	Bus    *eventbridge.Bus
	Blobs  *s3.Store
	Stores Stores
}

// Open loads the AWS configuration and builds the adapters. service names
// the process in logs and metrics ("api", "webhook", "connector"); log
// lines (JSON) and EMF metrics go to out.
func Open(ctx context.Context, cfg Config, service string, out io.Writer) (*Runtime, error) {
	awscfg, err := awsconf.Load(ctx)
	if err != nil {
		return nil, err
	}
	return OpenWith(ctx, cfg, awscfg, service, out)
}

// OpenWith is Open with a given AWS configuration (tests, emulators). The
// secrets cfg names (WAGATE_API_KEY_SECRET_ID, FRAPPE_WEBHOOK_SECRET_ID)
// are read first, once (LoadSecrets).
func OpenWith(ctx context.Context, cfg Config, awscfg aws.Config, service string, out io.Writer) (*Runtime, error) {
	if cfg.HasSecrets() {
		sctx, cancel := context.WithTimeout(ctx, SecretsTimeout)
		err := LoadSecrets(sctx, &cfg, secretsmanager.NewFromConfig(awscfg))
		cancel()
		if err != nil {
			return nil, err
		}
	}
	rt := &Runtime{
		Config:  cfg,
		AWS:     awsconf.NewClients(awscfg),
		Log:     NewLogger(out, cfg.LogLevel, service, cfg.Stage),
		Metrics: metrics.Default,
	}
	rt.EMF = &metrics.EMF{Registry: rt.Metrics, Namespace: MetricsNamespace,
		Dimensions: map[string]string{"Service": service, "Stage": cfg.Stage}, Out: out}
	url, err := rt.queueURL(ctx, cfg.QueueURL, cfg.Names.CommandQueue)
	if err != nil {
		return nil, err
	}
	opts := sqs.Options{Log: rt.Log}
	if awsconf.Overridden(awscfg, "SQS") {
		opts.WaitTime = EmulatorLongPoll
	}
	rt.Queue = sqs.New(rt.AWS.SQS, url, opts)
	rt.Bus = eventbridge.New(rt.AWS.EventBridge, cfg.EventBus, eventbridge.Options{})
	rt.Blobs = s3.New(rt.AWS.S3, cfg.MediaBucket)
	rt.Stores = openStores(dynamo.NewTable(rt.AWS.DynamoDB, cfg.Table))
	return rt, nil
}

// queueURL returns url, or the URL of the queue name.
func (rt *Runtime) queueURL(ctx context.Context, url, name string) (string, error) {
	if url != "" {
		return url, nil
	}
	out, err := rt.AWS.SQS.GetQueueUrl(ctx, &awssqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("find queue %s: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), nil
}

// Ready checks, concurrently, that the table, the command queue, the event
// bus and the media bucket answer.
func (rt *Runtime) Ready(ctx context.Context) error {
	checks := map[string]func(context.Context) error{
		"table": rt.pingTable, "queue": rt.Queue.Ping, "bus": rt.Bus.Ping, "media": rt.Blobs.Ping,
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for name, check := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, PingTimeout)
			defer cancel()
			if err := check(cctx); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// pingTable reads an item that never exists (a cheap data-plane call).
func (rt *Runtime) pingTable(ctx context.Context) error {
	_, err := rt.AWS.DynamoDB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(rt.Config.Table),
		Key: map[string]ddbtypes.AttributeValue{
			dynamo.TableSpec.PartitionKey: &ddbtypes.AttributeValueMemberS{Value: "ready"},
			dynamo.TableSpec.SortKey:      &ddbtypes.AttributeValueMemberS{Value: "ready"},
		},
	})
	if err != nil {
		return fmt.Errorf("read table %s: %w", rt.Config.Table, err)
	}
	return nil
}

// Close hands the commands the queue holds back to SQS and writes the
// last metrics.
func (rt *Runtime) Close() error {
	return errors.Join(rt.Queue.Close(), rt.EMF.Flush())
}

// NewLogger returns the JSON logger of a process: every line carries the
// service and the stage; callers add session_id and command_id fields.
func NewLogger(out io.Writer, level slog.Level, service, stage string) *slog.Logger {
	return slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: level})).With("service", service, "stage", stage)
}
