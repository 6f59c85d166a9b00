// Package awsconf loads the AWS configuration of the aws runtime and builds
// its service clients.
//
// Endpoints: config.LoadDefaultConfig honours AWS_ENDPOINT_URL (every
// service) and AWS_ENDPOINT_URL_<SERVICE> (one service: _SQS, _S3,
// _DYNAMODB, _EVENTBRIDGE, …; the SDK id upper-cased, spaces as
// underscores), and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns both off.
// The global one lands in aws.Config.BaseEndpoint; a per-service one is
// resolved when the client is built (checked in awsconf_test.go). Pointing
// them at kumo or LocalStack runs the aws adapters on one machine.
//
// Only when a client ends up with an endpoint override do the constructors
// turn on what emulators need: S3 path-style addressing (no
// <bucket>.localhost DNS) and, for DynamoDB, no CRC32 response check (kumo
// sends none). Against AWS the clients keep the SDK defaults.
package awsconf

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// DefaultRegion is used when neither AWS_REGION nor a profile names one
// (an emulator run on a fresh machine).
const DefaultRegion = "us-east-1"

// DefaultRetryMaxAttempts is the SDK retry budget of every client.
const DefaultRetryMaxAttempts = 5

// Load returns the default AWS configuration (environment, shared files,
// container/instance roles), in DefaultRegion when none is configured.
func Load(ctx context.Context, optFns ...func(*config.LoadOptions) error) (aws.Config, error) {
	opts := append([]func(*config.LoadOptions) error{config.WithRetryMaxAttempts(DefaultRetryMaxAttempts)}, optFns...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load aws config: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	return cfg, nil
}

// NewSQS returns an SQS client. A long poll holds a request for up to 20 s,
// so the client's HTTP timeout (if any) must exceed that: the SDK default
// has none, and callers bound calls with their context.
func NewSQS(cfg aws.Config, optFns ...func(*sqs.Options)) *sqs.Client {
	return sqs.NewFromConfig(cfg, optFns...)
}

// NewEventBridge returns an EventBridge client.
func NewEventBridge(cfg aws.Config, optFns ...func(*eventbridge.Options)) *eventbridge.Client {
	return eventbridge.NewFromConfig(cfg, optFns...)
}

// NewS3 returns an S3 client; with an endpoint override it addresses
// buckets by path (http://host/bucket/key).
func NewS3(cfg aws.Config, optFns ...func(*s3.Options)) *s3.Client {
	fns := append([]func(*s3.Options){func(o *s3.Options) {
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
	}}, optFns...)
	return s3.NewFromConfig(cfg, fns...)
}

// NewDynamoDB returns a DynamoDB client; with an endpoint override it does
// not validate the CRC32 response checksum (emulators send none).
func NewDynamoDB(cfg aws.Config, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	fns := append([]func(*dynamodb.Options){func(o *dynamodb.Options) {
		if o.BaseEndpoint != nil {
			o.DisableValidateResponseChecksum = true
		}
	}}, optFns...)
	return dynamodb.NewFromConfig(cfg, fns...)
}

// Clients are the service clients of the aws runtime.
type Clients struct {
	Config      aws.Config
	SQS         *sqs.Client
	EventBridge *eventbridge.Client
	S3          *s3.Client
	DynamoDB    *dynamodb.Client
}

// NewClients builds every client from cfg.
func NewClients(cfg aws.Config) Clients {
	return Clients{
		Config:      cfg,
		SQS:         NewSQS(cfg),
		EventBridge: NewEventBridge(cfg),
		S3:          NewS3(cfg),
		DynamoDB:    NewDynamoDB(cfg),
	}
}

// Overridden reports whether a client of service (its SDK id: "SQS", "S3",
// "DynamoDB", "EventBridge") talks to an endpoint other than AWS's, from
// cfg or AWS_ENDPOINT_URL_<SERVICE>: the emulator mode.
func Overridden(cfg aws.Config, service string) bool {
	switch service {
	case "SQS":
		return sqs.NewFromConfig(cfg).Options().BaseEndpoint != nil
	case "S3":
		return s3.NewFromConfig(cfg).Options().BaseEndpoint != nil
	case "DynamoDB":
		return dynamodb.NewFromConfig(cfg).Options().BaseEndpoint != nil
	case "EventBridge":
		return eventbridge.NewFromConfig(cfg).Options().BaseEndpoint != nil
	}
	return cfg.BaseEndpoint != nil
}
