package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/shared/sqlite"
)

// BenchmarkCommandQueue measures commands per second through
// Enqueue → Receive → Ack: one at a time, and with a producer feeding 16
// sessions while 4 consumers drain them.
func BenchmarkCommandQueue(b *testing.B) {
	b.Run("Sequential", func(b *testing.B) {
		q := sqlite.NewCommandQueue(MustOpenDB(b))
		ctx := b.Context()
		i := 0
		for b.Loop() {
			i++
			must(b, q.Enqueue(ctx, benchCommand(b, i, "s1")))
			ds, err := q.Receive(ctx, 1, time.Minute)
			must(b, err)
			must(b, q.Ack(ctx, ds[0].Receipt))
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
	})

	b.Run("Concurrent", func(b *testing.B) {
		const sessions, consumers = 16, 4
		q := sqlite.NewCommandQueue(MustOpenDB(b))
		ctx, cancel := context.WithCancel(b.Context())
		defer cancel()
		var acked atomic.Int64
		n := int64(b.N)
		b.ResetTimer()
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := range b.N {
				must(b, q.Enqueue(ctx, benchCommand(b, i, fmt.Sprintf("s%d", i%sessions))))
			}
		})
		for range consumers {
			wg.Go(func() {
				for ctx.Err() == nil {
					ds, err := q.Receive(ctx, 10, time.Minute)
					if err != nil {
						return
					}
					for _, d := range ds {
						if err := q.Ack(context.WithoutCancel(ctx), d.Receipt); err != nil {
							b.Error(err)
						}
						if acked.Add(1) == n {
							cancel()
						}
					}
				}
			})
		}
		wg.Wait()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
	})
}

func benchCommand(tb testing.TB, i int, sessionID string) events.Command {
	c, err := events.NewCommand(fmt.Sprintf("cmd-%d", i), events.CmdSessionConnect, sessionID, time.Now(), nil)
	must(tb, err)
	return c
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
