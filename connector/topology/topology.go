// Package topology runs the aws runtime's real binaries against an AWS
// emulator (kumo) the way AWS wires them (DESIGN §10): the api function
// behind an HTTP API (API Gateway v2, AWS_PROXY, payload 2.0), the webhook
// function as the target of the bus rule, both hosted through the
// emulator's Lambda Runtime API as host processes, and the connector (sim
// engine) on the command queue — HTTP API → Lambda → SQS → connector →
// DynamoDB/S3 → EventBridge → webhook Lambda → a local receiver that checks
// the signatures. The topology test and the `aws` group of wagate-bench
// both start it from here.
package topology

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/provision"
)

// Options configure Start.
type Options struct {
	// AWS is the emulator's configuration: BaseEndpoint (its URL), region
	// and static credentials (awstest.Config).
	AWS aws.Config
	Bin Binaries // BuildHost's output
	Dir string   // working directory: data, process logs (required)
	// Stage names the resources ("" = a fresh "topo-<random>").
	Stage string
	// APIKey is the API's key ("" = "topology-key"); Secret the webhook
	// secret the receiver checks ("" = "topology-secret").
	APIKey, Secret string
	// More environment for each process (KEY=value), after the defaults.
	APIEnv, WebhookEnv, ConnectorEnv []string
	// Log receives progress lines; nil = none.
	Log io.Writer
}

// Topology is a running topology. Close stops it.
type Topology struct {
	Names    awsres.Set
	Res      provision.Result
	Endpoint string // the emulator's URL
	APIID    string // the HTTP API
	APIKey   string
	Receiver *Receiver
	SimURL   string // the connector's sim control, which the api function forwards /api/_sim/ to
	Clients  awsconf.Clients

	opts      Options
	ctl       *control
	hostport  string // the emulator's host:port, for AWS_LAMBDA_RUNTIME_API
	arns      map[string]string
	procs     procs
	api       *Proc
	connector *Proc
	http      *http.Client
}

// Process names, also the log file names in Options.Dir.
const (
	ProcAPI       = "api"
	ProcWebhook   = "webhook"
	ProcConnector = "connector"
)

// readyTimeout bounds waiting for the processes to take requests.
const readyTimeout = 30 * time.Second

// Start registers the functions, provisions a fresh stage whose webhook
// rule targets the webhook function, starts the connector and both
// bootstraps, creates the HTTP API and waits until a request can go all
// the way through. On error everything started is stopped again.
func Start(ctx context.Context, o Options) (_ *Topology, err error) {
	if o.Dir == "" {
		return nil, fmt.Errorf("topology: Options.Dir is required")
	}
	if o.Stage == "" {
		o.Stage = "topo-" + randomHex(4)
	}
	o.APIKey, o.Secret = or(o.APIKey, "topology-key"), or(o.Secret, "topology-secret")
	t := &Topology{opts: o, APIKey: o.APIKey, arns: map[string]string{}, http: &http.Client{Timeout: 60 * time.Second}}
	if t.Names, err = awsres.Names(o.Stage); err != nil {
		return nil, err
	}
	if t.ctl, err = newControl(o.AWS); err != nil {
		return nil, err
	}
	t.Endpoint = t.ctl.endpoint
	u, err := url.Parse(t.Endpoint)
	if err != nil {
		return nil, err
	}
	t.hostport = u.Host
	t.Clients = awsconf.NewClients(o.AWS)
	defer func() {
		if err != nil {
			t.Close()
		}
	}()
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	steps := []struct {
		name string
		do   func(context.Context) error
	}{
		{"register functions", t.registerFunctions},
		{"provision", t.provision},
		{"create the api key secret", func(ctx context.Context) error {
			return t.ctl.putSecret(ctx, t.APIKeySecret(), t.APIKey)
		}},
		{"start processes", t.startProcesses},
		{"create http api", func(ctx context.Context) (err error) {
			t.APIID, err = t.ctl.createHTTPAPI(ctx, t.Names.HTTPAPI, t.arns[ProcAPI])
			return err
		}},
		{"wait until ready", t.waitReady},
	}
	for _, s := range steps {
		began := time.Now()
		if err := s.do(ctx); err != nil {
			return nil, fmt.Errorf("topology: %s: %w", s.name, err)
		}
		t.logf("%s: %v", s.name, time.Since(began).Round(time.Millisecond))
	}
	return t, nil
}

// registerFunctions registers the api and webhook functions.
func (t *Topology) registerFunctions(ctx context.Context) error {
	for _, fn := range []Function{
		{Name: t.Names.APIFunction, Timeout: awsres.APIFunctionTimeout, Env: envMap(t.baseEnv())},
		{Name: t.Names.WebhookFunc, Timeout: awsres.WebhookTimeout, Env: envMap(t.baseEnv())},
	} {
		arn, err := t.ctl.createFunction(ctx, fn)
		if err != nil {
			return err
		}
		if fn.Name == t.Names.APIFunction {
			t.arns[ProcAPI] = arn
		} else {
			t.arns[ProcWebhook] = arn
		}
	}
	return nil
}

// provision creates the stage, the webhook rule targeting the webhook
// function.
func (t *Topology) provision(ctx context.Context) (err error) {
	p := &provision.Provisioner{Clients: t.Clients, Names: t.Names, WebhookTarget: t.arns[ProcWebhook], Log: discardLogger()}
	t.Res, err = p.Run(ctx)
	return err
}

// startProcesses starts the webhook receiver, the connector and the two
// bootstraps.
func (t *Topology) startProcesses(context.Context) error {
	var err error
	if t.Receiver, err = NewReceiver(t.opts.Secret); err != nil {
		return err
	}
	simPort, err := freePort()
	if err != nil {
		return err
	}
	t.SimURL = "http://127.0.0.1:" + strconv.Itoa(simPort)
	connEnv := append(t.baseEnv(), "WAGATE_ENGINE=sim", "WAGATE_SIM_PORT="+strconv.Itoa(simPort),
		"WAGATE_DATA_DIR="+filepath.Join(t.opts.Dir, "connector-data"))
	if t.connector, err = t.start(ProcConnector, t.opts.Bin.Connector, append(connEnv, t.opts.ConnectorEnv...)); err != nil {
		return err
	}
	whEnv := append(t.lambdaEnv(t.Names.WebhookFunc, t.hostport+"/_runtime/"+t.Names.WebhookFunc), "WAGATE_WEBHOOK_ALLOW_LOOPBACK=true")
	if _, err = t.start(ProcWebhook, t.opts.Bin.Webhook, append(whEnv, t.opts.WebhookEnv...)); err != nil {
		return err
	}
	_, err = t.StartAPI("")
	return err
}

// APIKeySecret is the Secrets Manager secret the api function reads its
// key from at start (WAGATE_API_KEY_SECRET_ID, as the CDK app sets it);
// it stays in the emulator with the stage's other resources.
func (t *Topology) APIKeySecret() string { return awsres.Prefix + "/" + t.Names.Stage + "/api-keys" }

// StartAPI starts an api bootstrap polling runtimeAPI ("" = the
// emulator's Runtime API of the api function; a RuntimeWatch's to time
// it) and makes it the topology's api process. The previous one, if any,
// should have been stopped (StopAPI).
func (t *Topology) StartAPI(runtimeAPI string) (*Proc, error) {
	if runtimeAPI == "" {
		runtimeAPI = t.hostport + "/_runtime/" + t.Names.APIFunction
	}
	// The key comes from the secret only: WAGATE_API_KEY is cleared.
	env := append(t.lambdaEnv(t.Names.APIFunction, runtimeAPI), "WAGATE_SIM_URL="+t.SimURL, "WAGATE_SEND_WAIT=5s",
		"WAGATE_API_KEY=", "WAGATE_API_KEY_SECRET_ID="+t.APIKeySecret())
	p, err := t.start(ProcAPI, t.opts.Bin.API, append(env, t.opts.APIEnv...))
	if err == nil {
		t.api = p
	}
	return p, err
}

// StopAPI kills the api process (SIGKILL, as Lambda ends an instance).
func (t *Topology) StopAPI() {
	if t.api != nil {
		t.api.Kill()
	}
}

// start starts one process with env, its output in Dir/<name>.log.
func (t *Topology) start(name, path string, env []string) (*Proc, error) {
	if path == "" {
		return nil, fmt.Errorf("no %s binary (Options.Bin)", name)
	}
	p, err := startProc(name, path, env, t.LogPath(name))
	if err != nil {
		return nil, err
	}
	t.procs.add(p)
	return p, nil
}

// LogPath returns the log file of the process name.
func (t *Topology) LogPath(name string) string { return filepath.Join(t.opts.Dir, name+".log") }

// LogTails returns the end of every process log, for a failing test.
func (t *Topology) LogTails() string {
	var b strings.Builder
	for _, name := range []string{ProcAPI, ProcWebhook, ProcConnector} {
		fmt.Fprintf(&b, "---- %s (%s) ----\n%s\n", name, t.LogPath(name), tail(t.LogPath(name), 6000))
	}
	return b.String()
}

// baseEnv is the environment every process gets: the emulator, the
// stage's resources, the API key. Nothing is inherited from this process.
func (t *Topology) baseEnv() []string {
	creds, _ := t.opts.AWS.Credentials.Retrieve(context.Background())
	env := []string{
		"HOME=" + t.opts.Dir, "TMPDIR=" + os.TempDir(),
		"AWS_ENDPOINT_URL=" + t.Endpoint, "AWS_REGION=" + or(t.opts.AWS.Region, awsconf.DefaultRegion),
		"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
		"AWS_EC2_METADATA_DISABLED=true",
		"WAGATE_STAGE=" + t.Names.Stage, "WAGATE_TABLE=" + t.Names.Table, "WAGATE_EVENT_BUS=" + t.Names.EventBus,
		"WAGATE_MEDIA_BUCKET=" + t.Names.MediaBucket, "WAGATE_API_KEY=" + t.APIKey,
	}
	if t.Res.CommandQueueURL != "" {
		env = append(env, "WAGATE_COMMAND_QUEUE_URL="+t.Res.CommandQueueURL)
	}
	return env
}

// lambdaEnv is baseEnv plus what Lambda sets for a function instance.
func (t *Topology) lambdaEnv(function, runtimeAPI string) []string {
	return append(t.baseEnv(),
		"AWS_LAMBDA_RUNTIME_API="+runtimeAPI, "AWS_LAMBDA_FUNCTION_NAME="+function,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE="+strconv.Itoa(awsres.FunctionMemoryMB),
		"_HANDLER="+awsres.FunctionHandler)
}

// Close stops the processes (the connector gracefully), deletes the HTTP
// API and the functions and stops the receiver. The stage's table, queues,
// bus and bucket stay in the emulator (it is reset by restarting it).
func (t *Topology) Close() error {
	var err error
	if t.connector != nil {
		err = t.connector.Stop(30 * time.Second)
	}
	t.procs.killAll()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if t.APIID != "" {
		_ = t.ctl.deleteHTTPAPI(ctx, t.APIID)
	}
	for _, name := range []string{t.Names.APIFunction, t.Names.WebhookFunc} {
		if t.ctl != nil && name != "" {
			_ = t.ctl.deleteFunction(ctx, name)
		}
	}
	if t.Receiver != nil {
		_ = t.Receiver.Close()
	}
	return err
}

func (t *Topology) logf(format string, args ...any) {
	if t.opts.Log != nil {
		fmt.Fprintf(t.opts.Log, "topology: "+format+"\n", args...)
	}
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "WAGATE_") {
			m[k] = v
		}
	}
	return m
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
