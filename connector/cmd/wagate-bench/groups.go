package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Settings shared by the figure groups.
const (
	benchAPIKey  = "wagate-bench-key"
	startupRuns  = 5               // startup_first_health_ms is their median
	settleDelay  = 2 * time.Second // wait before reading an RSS
	groupList    = "startup,idle,status,sessions,sends,inbound,list1m,webhooks,aws,failover"
	wagateEngine = "sim"
)

// bench holds the flags and runs the figure groups.
type bench struct {
	bin      string
	floorBin string // the idle group's baseline (floorwa); skipped if missing
	dur      time.Duration
	warmup   time.Duration
	sessions int
	cpuprof  string // prefix of the children's CPU profiles; "" = none
	// hookLostWait waits out the attempt lease after the webhook backlog
	// drain to count the deliveries lost across the crash.
	hookLostWait bool
	out          printer

	group  string // the group running
	starts int    // wagate children started, to name their profiles
}

// groups are run in this order; -only picks some of them.
var groups = []struct {
	name string
	run  func(*bench, context.Context) error
}{
	{"startup", (*bench).startup},
	{"idle", (*bench).idle}, // idle.go
	{"status", (*bench).status},
	{"sessions", (*bench).sessionsGroup},
	{"sends", (*bench).sends},
	{"inbound", (*bench).inbound},
	{"list1m", (*bench).list1m},
	{"webhooks", (*bench).webhooks},
	{"aws", (*bench).awsGroup},
	{"failover", (*bench).failoverGroup}, // failover.go
}

// run runs the selected groups one after the other.
func (b *bench) run(ctx context.Context, selected map[string]bool) error {
	if _, err := os.Stat(b.bin); err != nil {
		return fmt.Errorf("wagate binary: %w (run make build)", err)
	}
	if b.sessions < 1 {
		return fmt.Errorf("-sessions must be at least 1")
	}
	for _, g := range groups {
		if len(selected) > 0 && !selected[g.name] {
			continue
		}
		progress("group %s", g.name)
		b.group = g.name
		if err := g.run(b, ctx); err != nil {
			return fmt.Errorf("%s: %w", g.name, err)
		}
	}
	return nil
}

// parseOnly parses -only; an empty value selects every group.
func parseOnly(s string) (map[string]bool, error) {
	sel := map[string]bool{}
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(strings.Split(groupList, ","), name) {
			return nil, fmt.Errorf("-only: unknown group %q (groups: %s)", name, groupList)
		}
		sel[name] = true
	}
	return sel, nil
}

// wagateOpts changes how startWagateWith starts wagate.
type wagateOpts struct {
	dataDir string   // "" = a fresh one inside the child's temp dir
	env     []string // more variables, e.g. WAGATE_SEND_RATE=0
}

// startWagate starts a fresh wagate (empty data dir, sim engine) and waits
// for its first 200 on /health, which it returns as the startup time.
func (b *bench) startWagate(ctx context.Context) (*child, *api, time.Duration, error) {
	return b.startWagateWith(ctx, wagateOpts{})
}

// startWagateWith is startWagate with a data dir of the caller's (kept when
// the child stops) or more environment.
func (b *bench) startWagateWith(ctx context.Context, o wagateOpts) (*child, *api, time.Duration, error) {
	env := o.env
	if b.cpuprof != "" {
		b.starts++
		prof := fmt.Sprintf("%s-%s-%d.pprof", b.cpuprof, b.group, b.starts)
		if err := os.MkdirAll(filepath.Dir(prof), 0o755); err != nil {
			return nil, nil, 0, err
		}
		env = append(slices.Clip(env), "WAGATE_BENCH_CPUPROFILE="+prof)
		progress("cpu profile of this wagate: %s (with -bin built from ./connector/cmd/wagate-bench/profwagate)", prof)
	}
	c, err := startChild(procSpec{name: "wagate", path: b.bin, build: func(dir string, port int) ([]string, []string) {
		data := o.dataDir
		if data == "" {
			data = filepath.Join(dir, "data")
		}
		return nil, append([]string{
			"PORT=" + strconv.Itoa(port),
			"WAGATE_DATA_DIR=" + data,
			"WAGATE_API_KEY=" + benchAPIKey,
			"WAGATE_ENGINE=" + wagateEngine,
		}, env...)
	}})
	if err != nil {
		return nil, nil, 0, err
	}
	healthy, err := waitHealthy(ctx, c)
	if err != nil {
		c.stop()
		return nil, nil, 0, err
	}
	return c, newAPI(c.baseURL(), benchAPIKey), healthy.Sub(c.started), nil
}

// startup: exec → first 200 on /health, median and maximum of startupRuns.
func (b *bench) startup(ctx context.Context) error {
	runs := make([]time.Duration, 0, startupRuns)
	for i := range startupRuns {
		c, a, d, err := b.startWagate(ctx)
		if err != nil {
			return err
		}
		a.close()
		c.stop()
		progress("startup run %d: %v", i+1, d)
		runs = append(runs, d)
	}
	b.out.figure("startup_first_health_ms", ms(median(runs)), unitMs)
	b.out.figure("startup_first_health_ms_p_max", ms(slices.Max(runs)), unitMs)
	return nil
}

// usage prints the flags, without the hidden -bare-server.
func usage() {
	w := flag.CommandLine.Output()
	fmt.Fprintf(w, "usage: wagate-bench [flags]\n\nPrints one \"name value unit\" line per figure on stdout.\n\n")
	flag.VisitAll(func(f *flag.Flag) {
		switch {
		case f.Name == bareServerFlag:
		case f.DefValue == "":
			fmt.Fprintf(w, "  -%s\t%s\n", f.Name, f.Usage)
		default:
			fmt.Fprintf(w, "  -%s\t%s (default %s)\n", f.Name, f.Usage, f.DefValue)
		}
	})
}

// exitOn reports err, stops every child and exits 1; nil does nothing.
func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "wagate-bench:", err)
		killAll()
		os.Exit(1)
	}
}
