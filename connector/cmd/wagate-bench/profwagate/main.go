// Command profwagate is bin/wagate with a CPU profile: the same local
// runtime, profiled from start to exit into the file named by
// WAGATE_BENCH_CPUPROFILE (wagate-bench -cpuprofile sets it). Build it with
//
//	go build -o bin/wagate-prof ./connector/cmd/wagate-bench/profwagate
//
// and run the bench with -bin ./bin/wagate-prof -cpuprofile PREFIX.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/wagate/wagate/connector/localrt"
)

func main() {
	os.Exit(run())
}

func run() int {
	cfg, err := localrt.LoadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wagate:", err)
		return 2
	}
	if path := os.Getenv("WAGATE_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wagate: cpu profile:", err)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "wagate: cpu profile:", err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := localrt.Run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wagate:", err)
		return 1
	}
	return 0
}
