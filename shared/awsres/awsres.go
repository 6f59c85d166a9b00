// Package awsres is the one definition of the aws runtime's resources: their
// names (per stage) and settings. The emulator provisioner (provision) and
// the CDK app (infra) both read it, so what the tests run against is what is
// deployed.
package awsres

import (
	"fmt"
	"regexp"
	"time"
)

// Prefix starts every resource name.
const Prefix = "wagate"

// DefaultStage is the stage of a local emulator and of tests.
const DefaultStage = "dev"

// Command queue (SQS FIFO) settings.
const (
	// QueueVisibility is how long a received command stays hidden; it
	// matches the connector's manager.Visibility.
	QueueVisibility = 60 * time.Second
	// QueueMaxReceiveCount is how often a command is received before SQS
	// moves it to the dead-letter queue.
	QueueMaxReceiveCount = 5
	// QueueRetention is how long an unconsumed command is kept (SQS max 14 d).
	QueueRetention = 4 * 24 * time.Hour
	// DLQRetention keeps dead commands for the maximum, for inspection.
	DLQRetention = 14 * 24 * time.Hour
	// QueueLongPoll is the long-poll wait of a receive (SQS max 20 s).
	QueueLongPoll = 20 * time.Second
	// QueueMaxBatch is the most messages one SQS call takes or returns.
	QueueMaxBatch = 10
)

// Event bus (EventBridge) settings.
const (
	// EventSource is the Source of every event wagate puts on its bus.
	EventSource = "wagate"
	// PutEventsBatch is the most entries one PutEvents call takes.
	PutEventsBatch = 10
	// WebhookMaxEventAge bounds how long EventBridge retries invoking the
	// webhook function (its maximum: 24 h) before the event goes to the
	// webhook DLQ.
	WebhookMaxEventAge = 24 * time.Hour
	// WebhookRetryAttempts is EventBridge's retry budget for the webhook
	// target (its maximum: 185).
	WebhookRetryAttempts = 185
	// WebhookSweepRate is how often the schedule rule (WebhookSweepRule)
	// runs the webhook function's sweep: the retries of the long schedule
	// and the replays are attempted within about that much of falling due.
	WebhookSweepRate = time.Minute
)

// Media bucket (S3) settings.
const (
	// BucketEncryption is the server-side encryption of every object (SSE-S3).
	BucketEncryption = "AES256"
	// PresignTTL is the default lifetime of a presigned download link.
	PresignTTL = 24 * time.Hour
	// MaxPresignTTL is the longest a SigV4 presigned URL may live.
	MaxPresignTTL = 7 * 24 * time.Hour
)

// The table (DynamoDB) is defined as data by the dynamo package:
// dynamo.TableSpec holds its key schema, indexes, TTL attribute and billing
// mode (on demand), so the provisioner and the CDK app create the very table
// the adapters query; dynamo.DeviceTableSpec does the same for the device
// store's table. Only their names are here.

// Function settings (Lambda, arm64, provided.al2023).
const (
	FunctionRuntime      = "provided.al2023"
	FunctionArchitecture = "arm64"
	FunctionHandler      = "bootstrap"
	APIFunctionTimeout   = 29 * time.Second // the HTTP API integration limit
	WebhookTimeout       = 60 * time.Second
	FunctionMemoryMB     = 256
)

// Environment variables that name the Secrets Manager secrets a process
// of the aws runtime reads once at start (shared/awsrt.LoadSecrets); the
// CDK app sets them, never the values.
const (
	// APIKeySecretEnv names the secret whose value is the accepted
	// X-API-Key values, comma-separated (WAGATE_API_KEY's format).
	APIKeySecretEnv = "WAGATE_API_KEY_SECRET_ID"
	// FrappeSecretEnv names the secret whose value is the Frappe webhook
	// secret (FRAPPE_WEBHOOK_SECRET).
	FrappeSecretEnv = "FRAPPE_WEBHOOK_SECRET_ID"
)

// Set is the names of one stage's resources.
type Set struct {
	Stage        string
	Table        string // DynamoDB single table
	DeviceTable  string // DynamoDB table of the whatsmeow device store (connector/dynstore)
	CommandQueue string // SQS FIFO queue of commands (ends in .fifo)
	CommandDLQ   string // its dead-letter queue (FIFO as well)
	EventBus     string // EventBridge custom bus
	WebhookRule  string // rule on the bus → webhook function
	// WebhookSweepRule is the schedule rule (default bus, every
	// WebhookSweepRate) that runs the webhook function's sweep.
	WebhookSweepRule string
	WebhookDLQ       string // SQS queue of events the webhook target gave up on
	// WebhookQueue is the rule's target where the webhook function is not
	// hosted as a Lambda (an emulator without one): the local webhook
	// runner consumes it. Not deployed to AWS.
	WebhookQueue string
	MediaBucket  string // S3 bucket of media
	APIFunction  string // Lambda behind the HTTP API
	WebhookFunc  string // Lambda target of WebhookRule
	HTTPAPI      string // API Gateway HTTP API
	Connector    string // ECS service (and task family) of the connector
}

var stageRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,19}$`)

// Names returns the resource names of stage ("" = DefaultStage). Bucket
// names are global: Bucket adds the account to make them unique.
func Names(stage string) (Set, error) {
	if stage == "" {
		stage = DefaultStage
	}
	if !stageRE.MatchString(stage) {
		return Set{}, fmt.Errorf("stage %q: want 1-20 lower-case letters, digits or dashes", stage)
	}
	p := Prefix + "-" + stage
	return Set{
		Stage:            stage,
		Table:            p,
		DeviceTable:      p + "-devices",
		CommandQueue:     p + "-commands.fifo",
		CommandDLQ:       p + "-commands-dlq.fifo",
		EventBus:         p,
		WebhookRule:      p + "-webhooks",
		WebhookSweepRule: p + "-webhook-sweep",
		WebhookDLQ:       p + "-webhooks-dlq",
		WebhookQueue:     p + "-webhook-events",
		MediaBucket:      p + "-media",
		APIFunction:      p + "-api",
		WebhookFunc:      p + "-webhook",
		HTTPAPI:          p + "-http",
		Connector:        p + "-connector",
	}, nil
}

// MustNames is Names for a stage known to be valid (tests, constants).
func MustNames(stage string) Set {
	s, err := Names(stage)
	if err != nil {
		panic(err)
	}
	return s
}

// Bucket returns the media bucket name for account: S3 names are global,
// so a deployed bucket carries the account id ("" = the bare name, as in
// the emulator).
func (s Set) Bucket(account string) string {
	if account == "" {
		return s.MediaBucket
	}
	return s.MediaBucket + "-" + account
}

// WebhookEventPattern is the rule pattern that sends every wagate event on
// the bus to the webhook function.
func WebhookEventPattern() string {
	return `{"source":["` + EventSource + `"]}`
}

// Seconds returns d in whole seconds, as SQS and Lambda attributes want.
func Seconds(d time.Duration) int32 { return int32(d / time.Second) }
