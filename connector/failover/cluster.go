package failover

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/wagate/wagate/shared/awsconf"
	"github.com/wagate/wagate/shared/awsres"
	"github.com/wagate/wagate/shared/awsrt"
	"github.com/wagate/wagate/shared/dynamo"
	"github.com/wagate/wagate/shared/provision"
	"github.com/wagate/wagate/shared/sqlite"
)

// APIKey is the API key of the cluster's API and sim control routes.
const APIKey = "failover-key"

// Options are a cluster's settings; zero values keep the connector's
// defaults (30 s lease, 10 s heartbeat, 60 s command visibility).
type Options struct {
	Endpoint   string // the emulator (AWS_ENDPOINT_URL of the children)
	LeaseTTL   time.Duration
	Heartbeat  time.Duration
	Visibility time.Duration
	LogLevel   string // of the children (default info)
}

// Cluster is a fresh stage on the emulator, the API served in process, and
// the connector processes started on it.
type Cluster struct {
	Names  awsres.Set
	API    *httptest.Server
	Leases *dynamo.LeaseStore
	Dir    string
	SimDB  string

	bin  string
	opts Options
	db   *sqlite.DB // the shared sim database, read for the journal
	api  *awsrt.Runtime

	mu    sync.Mutex
	procs map[string]*Proc
	kills map[string]time.Time // journal proc name → SIGKILL time
}

// EmulatorConfig is an aws.Config for the emulator at endpoint.
func EmulatorConfig(endpoint string) aws.Config {
	return aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint), RetryMaxAttempts: 3,
	}
}

// New provisions a fresh stage and serves the API; bin is the connector
// binary (Build), dir a scratch directory.
func New(ctx context.Context, bin, dir string, opts Options) (*Cluster, error) {
	awscfg := EmulatorConfig(opts.Endpoint)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	names, err := awsres.Names("fo-" + hex.EncodeToString(b))
	if err != nil {
		return nil, err
	}
	p := &provision.Provisioner{Clients: awsconf.NewClients(awscfg), Names: names, Log: slog.New(slog.DiscardHandler)}
	if _, err := p.Run(ctx); err != nil {
		return nil, fmt.Errorf("provision %s: %w", names.Stage, err)
	}
	cfg, err := awsrt.LoadConfig(func(k string) string {
		return map[string]string{"WAGATE_STAGE": names.Stage, "WAGATE_API_KEY": APIKey, "WAGATE_SEND_WAIT": "1s"}[k]
	})
	if err != nil {
		return nil, err
	}
	rt, err := awsrt.OpenWith(ctx, cfg, awscfg, "api", io.Discard)
	if err != nil {
		return nil, err
	}
	c := &Cluster{
		Names: names, Dir: dir, SimDB: filepath.Join(dir, "sim.db"), bin: bin, opts: opts, api: rt,
		Leases: dynamo.NewLeaseStore(dynamo.NewTable(rt.AWS.DynamoDB, cfg.Table)),
		procs:  map[string]*Proc{}, kills: map[string]time.Time{},
	}
	if c.db, err = sqlite.Open(ctx, c.SimDB); err != nil {
		return nil, fmt.Errorf("open sim db: %w", err)
	}
	c.API = httptest.NewServer(rt.APIHandler())
	return c, nil
}

// Start starts a connector process named name (its task id and journal
// name).
func (c *Cluster) Start(name string) (*Proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(c.Dir, name)
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	env := []string{
		"AWS_ENDPOINT_URL=" + c.opts.Endpoint, "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1",
		"WAGATE_STAGE=" + c.Names.Stage, "WAGATE_ENGINE=sim", "WAGATE_API_KEY=" + APIKey, "WAGATE_DATA_DIR=" + data,
		"WAGATE_SIM_DB=" + c.SimDB, "WAGATE_SIM_PORT=" + strconv.Itoa(port), "WAGATE_TASK_ID=" + name,
		"WAGATE_LOG_LEVEL=" + cmpOr(c.opts.LogLevel, "info"),
	}
	for k, d := range map[string]time.Duration{"WAGATE_LEASE_TTL": c.opts.LeaseTTL, "WAGATE_LEASE_HEARTBEAT": c.opts.Heartbeat, "WAGATE_COMMAND_VISIBILITY": c.opts.Visibility} {
		if d > 0 {
			env = append(env, k+"="+d.String())
		}
	}
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v := os.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	p, err := startProc(name, c.bin, env, port, filepath.Join(c.Dir, name+".log"))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.procs[name] = p
	c.mu.Unlock()
	return p, nil
}

// Kill SIGKILLs a process and records when (the journal's open intervals
// of that process end then).
func (c *Cluster) Kill(name string) time.Time {
	c.mu.Lock()
	p := c.procs[name]
	c.mu.Unlock()
	at := p.Kill()
	c.mu.Lock()
	c.kills[name] = at
	c.mu.Unlock()
	return at
}

// Procs returns the processes still running.
func (c *Cluster) Procs() []*Proc {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*Proc
	for _, p := range c.procs {
		if p.Alive() {
			out = append(out, p)
		}
	}
	return out
}

// Kills returns the SIGKILL times by process name.
func (c *Cluster) Kills() map[string]time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]time.Time, len(c.kills))
	for k, v := range c.kills {
		out[k] = v
	}
	return out
}

// WaitRegistered waits until the task named name has a live heartbeat.
func (c *Cluster) WaitRegistered(ctx context.Context, name string) error {
	return Eventually(ctx, 100*time.Millisecond, func() error {
		tasks, err := c.Leases.Tasks(ctx)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if strings.HasPrefix(t.ID, name+"#") && t.Live(time.Now()) {
				return nil
			}
		}
		return fmt.Errorf("task %s not registered", name)
	})
}

// Close stops every process (SIGTERM, then SIGKILL) and the API.
func (c *Cluster) Close() {
	var wg sync.WaitGroup
	for _, p := range c.Procs() {
		wg.Go(func() { _ = p.Stop(10 * time.Second) })
	}
	wg.Wait()
	c.API.Close()
	_ = c.api.Close()
	_ = c.db.Close()
}

// Eventually calls try every period until it returns nil or ctx ends (then
// it returns try's last error).
func Eventually(ctx context.Context, period time.Duration, try func() error) error {
	for {
		err := try()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up: %v)", err, ctx.Err())
		case <-time.After(period):
		}
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
