// Command wagate-bench starts bin/wagate (sim engine) as a child process and
// prints its performance figures on stdout, one "name value unit" line each;
// progress goes to stderr. See docs/benchmarks.md. Run it with make bench.
package main

import (
	"context"
	"flag"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	b := bench{out: newPrinter(os.Stdout), warmup: loadWarmup}
	flag.StringVar(&b.bin, "bin", "./bin/wagate", "the wagate binary to measure")
	flag.StringVar(&b.floorBin, "floor-bin", "./bin/wagate-floor", "the idle group's baseline, the smallest whatsmeow host (built from ./connector/cmd/wagate-bench/floorwa); its figures are skipped if it is missing")
	flag.DurationVar(&b.dur, "dur", 5*time.Second, "measured duration of each load run (after a 1s warm-up)")
	flag.IntVar(&b.sessions, "sessions", 1000, "sessions to create for the memory figures")
	flag.StringVar(&b.cpuprof, "cpuprofile", "", "write CPU profiles of the wagate children to PREFIX-<group>-<n>.pprof (needs -bin built from ./connector/cmd/wagate-bench/profwagate)")
	flag.BoolVar(&b.hookLostWait, "webhook-lost-wait", true, "webhooks: after the backlog drain, wait out the 1m attempt lease (+10s) and report webhook_backlog_lost")
	only := flag.String("only", "", "comma list of figure groups to run: "+groupList+" (default all)")
	bareAddr := flag.String(bareServerFlag, "", "internal: serve the bare baseline handler on this address")
	flag.Usage = usage
	flag.Parse()
	if *bareAddr != "" {
		exitOn(serveBare(*bareAddr))
		return
	}
	groups, err := parseOnly(*only)
	exitOn(err)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = b.run(ctx, groups)
	stop()
	killAll()
	exitOn(err)
}
