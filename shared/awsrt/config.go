// Package awsrt assembles the aws runtime: its configuration (from the
// environment the CDK app or `make run-aws-local` sets), the adapters on
// AWS services (sqs, eventbridge, s3, dynamo), the API handler of the api
// function, the webhook handler of the webhook function, readiness and
// metrics. The mains in functions/ and connector/cmd only call into it.
package awsrt

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/wagate/wagate/shared/awsres"
)

// Config is the aws runtime's configuration.
type Config struct {
	Stage           string         // WAGATE_STAGE (default awsres.DefaultStage)
	Names           awsres.Set     // resource names of Stage; the ones below override them
	QueueURL        string         // WAGATE_COMMAND_QUEUE_URL (default: looked up by name)
	WebhookQueueURL string         // WAGATE_WEBHOOK_QUEUE_URL: the emulator's webhook event queue (default: looked up)
	EventBus        string         // WAGATE_EVENT_BUS
	Table           string         // WAGATE_TABLE
	MediaBucket     string         // WAGATE_MEDIA_BUCKET
	APIKeys         []string       // WAGATE_API_KEY: accepted X-API-Key values, comma-separated
	APIKeySecretID  string         // WAGATE_API_KEY_SECRET_ID: the secret holding APIKeys (read at start, see LoadSecrets)
	LogLevel        slog.Level     // WAGATE_LOG_LEVEL
	Port            int            // PORT: the api function's HTTP server outside Lambda (default 8084)
	SendWait        time.Duration  // WAGATE_SEND_WAIT (default 2s; 0 = answer at once)
	CommandWait     time.Duration  // WAGATE_COMMAND_WAIT (default 8s; 0 = answer at once)
	RateLimit       float64        // WAGATE_RATE_LIMIT: API requests per second per key (0 = off)
	RateBurst       int            // WAGATE_RATE_BURST
	MaxUploadBytes  int64          // WAGATE_MAX_UPLOAD_BYTES (0 = the service default)
	AllowPrivate    bool           // WAGATE_ALLOW_PRIVATE_URLS: media URLs may point at private/loopback hosts (development)
	SimURL          string         // WAGATE_SIM_URL: the connector's sim control; the API forwards /api/_sim/ to it (development, sim engine)
	Webhook         WebhookOptions // webhook delivery settings

	// Connector settings.
	Engine      string  // WAGATE_ENGINE: whatsmeow (default) or sim
	DeviceTable string  // WAGATE_DEVICE_TABLE: the whatsmeow device store's DynamoDB table (connector/dynstore)
	DataDir     string  // WAGATE_DATA_DIR: local state of the sim engine (its network)
	SendRate    float64 // WAGATE_SEND_RATE (default 1)
	SendBurst   int     // WAGATE_SEND_BURST (default 5)

	// Scale-out: several connector tasks share the sessions (docs/scale-out.md).
	TaskID            string        // WAGATE_TASK_ID: this task's name in leases (default: random)
	LeaseTTL          time.Duration // WAGATE_LEASE_TTL (default 30s)
	LeaseHeartbeat    time.Duration // WAGATE_LEASE_HEARTBEAT (default 10s)
	CommandVisibility time.Duration // WAGATE_COMMAND_VISIBILITY: how long a received command stays hidden (default 60s)
	SimDB             string        // WAGATE_SIM_DB: test only — one SQLite file holding the sim network of every connector process
}

// WebhookOptions are the webhook function's settings.
type WebhookOptions struct {
	FrappeURL    string // FRAPPE_WEBHOOK_URL
	FrappeSecret string // FRAPPE_WEBHOOK_SECRET
	// FrappeSecretID (FRAPPE_WEBHOOK_SECRET_ID) names the secret holding
	// FrappeSecret (read at start, see LoadSecrets).
	FrappeSecretID string
	AllowLoopback  bool   // WAGATE_WEBHOOK_ALLOW_LOOPBACK (development only)
	AllowPrivate   bool   // WAGATE_WEBHOOK_ALLOW_PRIVATE (development only)
	Schedule       string // WAGATE_WEBHOOK_SCHEDULE: when an attempt is the last (default: the deliverer's)
}

// LoadConfig reads the configuration from getenv.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Config{Stage: getenv("WAGATE_STAGE"), Port: 8084, Engine: "whatsmeow", DataDir: "./data", SendRate: 1, SendBurst: 5}
	var err error
	if c.Names, err = awsres.Names(c.Stage); err != nil {
		return c, fmt.Errorf("WAGATE_STAGE: %w", err)
	}
	c.Stage = c.Names.Stage
	c.QueueURL, c.WebhookQueueURL = getenv("WAGATE_COMMAND_QUEUE_URL"), getenv("WAGATE_WEBHOOK_QUEUE_URL")
	c.EventBus = or(getenv("WAGATE_EVENT_BUS"), c.Names.EventBus)
	c.Table = or(getenv("WAGATE_TABLE"), c.Names.Table)
	c.DeviceTable = or(getenv("WAGATE_DEVICE_TABLE"), c.Names.DeviceTable)
	c.MediaBucket = or(getenv("WAGATE_MEDIA_BUCKET"), c.Names.MediaBucket)
	c.APIKeys, c.APIKeySecretID = splitKeys(getenv("WAGATE_API_KEY")), getenv(APIKeySecretEnv)
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("WAGATE_LOG_LEVEL"), "info"))); err != nil {
		return c, fmt.Errorf("WAGATE_LOG_LEVEL: %w", err)
	}
	c.Webhook = WebhookOptions{
		FrappeURL: getenv("FRAPPE_WEBHOOK_URL"), FrappeSecret: getenv("FRAPPE_WEBHOOK_SECRET"), FrappeSecretID: getenv(FrappeSecretEnv),
		AllowLoopback: getenv("WAGATE_WEBHOOK_ALLOW_LOOPBACK") == "true", AllowPrivate: getenv("WAGATE_WEBHOOK_ALLOW_PRIVATE") == "true",
		Schedule: getenv("WAGATE_WEBHOOK_SCHEDULE"),
	}
	c.AllowPrivate = getenv("WAGATE_ALLOW_PRIVATE_URLS") == "true"
	if c.SimURL = getenv("WAGATE_SIM_URL"); c.SimURL != "" {
		if u, err := url.Parse(c.SimURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("WAGATE_SIM_URL must be an http(s) URL, got %q", c.SimURL)
		}
	}
	c.Engine, c.DataDir = or(getenv("WAGATE_ENGINE"), c.Engine), or(getenv("WAGATE_DATA_DIR"), c.DataDir)
	if c.Engine != "whatsmeow" && c.Engine != "sim" {
		return c, fmt.Errorf("WAGATE_ENGINE must be whatsmeow or sim, got %q", c.Engine)
	}
	p := parser{getenv: getenv}
	c.Port = int(p.num("PORT", float64(c.Port)))
	c.SendWait = p.wait("WAGATE_SEND_WAIT", 2*time.Second)
	c.CommandWait = p.wait("WAGATE_COMMAND_WAIT", 8*time.Second)
	c.RateLimit = p.num("WAGATE_RATE_LIMIT", 0)
	c.RateBurst = int(p.num("WAGATE_RATE_BURST", max(1, 2*c.RateLimit)))
	c.MaxUploadBytes = int64(p.num("WAGATE_MAX_UPLOAD_BYTES", 0))
	c.SendRate = p.num("WAGATE_SEND_RATE", c.SendRate)
	c.SendBurst = int(p.num("WAGATE_SEND_BURST", float64(c.SendBurst)))
	c.TaskID, c.SimDB = getenv("WAGATE_TASK_ID"), getenv("WAGATE_SIM_DB")
	c.LeaseTTL = max(p.wait("WAGATE_LEASE_TTL", 30*time.Second), 0)
	c.LeaseHeartbeat = max(p.wait("WAGATE_LEASE_HEARTBEAT", 10*time.Second), 0)
	c.CommandVisibility = max(p.wait("WAGATE_COMMAND_VISIBILITY", 60*time.Second), 0)
	return c, p.err
}

// parser reads numbers and durations, keeping the first error.
type parser struct {
	getenv func(string) string
	err    error
}

func (p *parser) num(name string, def float64) float64 {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		if p.err == nil {
			p.err = fmt.Errorf("%s must be a number ≥ 0, got %q", name, v)
		}
		return def
	}
	return f
}

// wait reads a duration where 0 means "answer at once" (returned as -1,
// the services' convention).
func (p *parser) wait(name string, def time.Duration) time.Duration {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		if p.err == nil {
			p.err = fmt.Errorf("%s must be a duration like 2s or 0, got %q", name, v)
		}
		return def
	}
	if d == 0 {
		return -1
	}
	return d
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
