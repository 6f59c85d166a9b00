package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"

	"github.com/wagate/wagate/shared/awsres"
)

// Defaults of the deployment settings (each can be changed with
// `-c key=value`, see ConfigFromContext and docs/deploy.md).
const (
	// SynthAccount and SynthRegion are used when no account is known (an
	// offline `make synth` has no credentials): cdk.context.json holds the
	// availability zones of exactly this pair, so the VPC synthesises
	// without an AWS call. `make deploy` gets the real ones from the CLI.
	SynthAccount = "123456789012"
	SynthRegion  = "us-east-1"

	// ProductionStage gets the production settings: deletion protection
	// on the table and the stack, longer log retention.
	ProductionStage = "prod"

	// The HTTP API's $default stage throttling (requests per second, burst).
	DefaultAPIRateLimit  = 50
	DefaultAPIBurstLimit = 100

	// The connector task (Fargate, Graviton). 0.5 vCPU / 1 GiB hosts a few
	// hundred idle sessions; see docs/deploy.md for sizing.
	DefaultConnectorCPU       = 512
	DefaultConnectorMemoryMiB = 1024
	// One task by default. Tasks share the sessions (leases, and the
	// whatsmeow credentials in the device table: docs/scale-out.md), so
	// both may be raised with -c.
	DefaultConnectorDesired = 1
	DefaultConnectorMax     = 1
	// ConnectorScaleCPU is the CPU utilisation the autoscaling keeps.
	ConnectorScaleCPU = 60
	// ConnectorStopTimeout is ECS's grace between SIGTERM and SIGKILL: the
	// connector's manager.StopTimeout (20 s) plus handing held commands back.
	ConnectorStopTimeoutSeconds = 30

	// CloudWatch Logs retention of every log group, per stage.
	DevLogRetention  = awslogs.RetentionDays_TWO_WEEKS
	ProdLogRetention = awslogs.RetentionDays_THREE_MONTHS
)

// Secret names: created by hand before `make deploy` (README, "Deploy to
// AWS"), so their values never appear in a template, a parameter or an
// environment variable. The functions get the names and read the values
// from Secrets Manager at start.
const (
	// APIKeysSecretEnv names the secret that holds the accepted X-API-Key
	// values, comma-separated (the format of WAGATE_API_KEY); the runtime
	// reads the same awsres name.
	APIKeysSecretEnv = awsres.APIKeySecretEnv
	// FrappeSecretEnv names the secret that holds FRAPPE_WEBHOOK_SECRET.
	FrappeSecretEnv = awsres.FrappeSecretEnv
)

// APIKeysSecretName is the name of the API keys' secret of stage.
func APIKeysSecretName(stage string) string { return awsres.Prefix + "/" + stage + "/api-keys" }

// FrappeSecretName is the name of the Frappe webhook secret of stage.
func FrappeSecretName(stage string) string {
	return awsres.Prefix + "/" + stage + "/frappe-webhook-secret"
}

// Config is what the stack is built from.
type Config struct {
	Names      awsres.Set
	Account    string
	Region     string
	Production bool
	// RepoRoot is the absolute path of the repository (the Go workspace):
	// the functions are built from it and it is the connector image's
	// Docker build context.
	RepoRoot string

	// FrappeWebhookURL is the global Frappe target (not a secret); when set,
	// the Frappe secret is wired to the functions as well.
	FrappeWebhookURL string
	// AlarmEmail, when set, subscribes to the alarm topic.
	AlarmEmail string

	APIRateLimit  float64
	APIBurstLimit float64

	ConnectorCPU       float64
	ConnectorMemoryMiB float64
	ConnectorDesired   float64
	ConnectorMax       float64

	// MediaExpireDays deletes media objects this many days after upload
	// (0 = keep them).
	MediaExpireDays float64

	LogRetention awslogs.RetentionDays

	// Bundler builds a Go main into an asset directory; nil = GoBuild.
	Bundler Bundler
}

// StackName is the CloudFormation stack of the configuration's stage.
func (c Config) StackName() string { return awsres.Prefix + "-" + c.Names.Stage }

// NewConfig returns the defaults of stage in account/region ("" = the
// synth placeholders).
func NewConfig(stage, account, region string) (Config, error) {
	names, err := awsres.Names(stage)
	if err != nil {
		return Config{}, err
	}
	root, err := RepoRoot()
	if err != nil {
		return Config{}, err
	}
	c := Config{
		Names: names, Account: or(account, SynthAccount), Region: or(region, SynthRegion),
		Production: names.Stage == ProductionStage, RepoRoot: root,
		APIRateLimit: DefaultAPIRateLimit, APIBurstLimit: DefaultAPIBurstLimit,
		ConnectorCPU: DefaultConnectorCPU, ConnectorMemoryMiB: DefaultConnectorMemoryMiB,
		ConnectorDesired: DefaultConnectorDesired, ConnectorMax: DefaultConnectorMax,
		LogRetention: DevLogRetention,
	}
	if c.Production {
		c.LogRetention = ProdLogRetention
	}
	return c, nil
}

// ConfigFromContext reads the configuration from the app's context
// (`cdk synth -c stage=prod -c alarmEmail=ops@example.com`), the account
// and region from the environment the CDK CLI sets (CDK_DEPLOY_* first,
// then the CLI's CDK_DEFAULT_*).
func ConfigFromContext(app awscdk.App) (Config, error) {
	get := func(key string) string {
		if v, ok := app.Node().TryGetContext(&key).(string); ok {
			return v
		}
		if v := app.Node().TryGetContext(&key); v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	c, err := NewConfig(or(get("stage"), os.Getenv("WAGATE_STAGE")),
		or(os.Getenv("CDK_DEPLOY_ACCOUNT"), os.Getenv("CDK_DEFAULT_ACCOUNT")),
		or(os.Getenv("CDK_DEPLOY_REGION"), os.Getenv("CDK_DEFAULT_REGION")))
	if err != nil {
		return c, err
	}
	c.FrappeWebhookURL, c.AlarmEmail = get("frappeWebhookUrl"), get("alarmEmail")
	nums := []struct {
		key string
		dst *float64
	}{
		{"apiRateLimit", &c.APIRateLimit}, {"apiBurstLimit", &c.APIBurstLimit},
		{"connectorCpu", &c.ConnectorCPU}, {"connectorMemory", &c.ConnectorMemoryMiB},
		{"connectorDesired", &c.ConnectorDesired}, {"connectorMax", &c.ConnectorMax},
		{"mediaExpireDays", &c.MediaExpireDays},
	}
	for _, n := range nums {
		v := get(n.key)
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return c, fmt.Errorf("context %s: want a number ≥ 0, got %q", n.key, v)
		}
		*n.dst = f
	}
	if c.ConnectorMax < c.ConnectorDesired {
		c.ConnectorMax = c.ConnectorDesired
	}
	return c, nil
}

// RepoRoot returns the directory holding go.work, looked up from the
// working directory (the CDK CLI runs the app in infra/).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the repository root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("find the repository root: no go.work above the working directory")
		}
		dir = parent
	}
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
