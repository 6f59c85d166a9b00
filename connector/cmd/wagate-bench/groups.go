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
	groupList    = "startup,idle,status,sessions"
	wagateEngine = "sim"
)

// bench holds the flags and runs the figure groups.
type bench struct {
	bin      string
	dur      time.Duration
	warmup   time.Duration
	sessions int
	out      printer
}

// groups are run in this order; -only picks some of them.
var groups = []struct {
	name string
	run  func(*bench, context.Context) error
}{
	{"startup", (*bench).startup},
	{"idle", (*bench).idle},
	{"status", (*bench).status},
	{"sessions", (*bench).sessionsGroup},
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

// startWagate starts a fresh wagate (empty data dir, sim engine) and waits
// for its first 200 on /health, which it returns as the startup time.
func (b *bench) startWagate(ctx context.Context) (*child, *api, time.Duration, error) {
	c, err := startChild(procSpec{name: "wagate", path: b.bin, build: func(dir string, port int) ([]string, []string) {
		return nil, []string{
			"PORT=" + strconv.Itoa(port),
			"WAGATE_DATA_DIR=" + filepath.Join(dir, "data"),
			"WAGATE_API_KEY=" + benchAPIKey,
			"WAGATE_ENGINE=" + wagateEngine,
		}
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

// idle: RSS settleDelay after startup, no sessions.
func (b *bench) idle(ctx context.Context) error {
	c, a, _, err := b.startWagate(ctx)
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	if err := sleep(ctx, settleDelay); err != nil {
		return err
	}
	kib, err := c.rssKiB()
	if err != nil {
		return err
	}
	b.out.figure("idle_rss_mb", kibToMiB(kib), unitMiB)
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
