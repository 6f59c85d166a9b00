package porttest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
)

const (
	// visibility is the visibility timeout the suite uses: one second, the
	// granularity of SQS.
	visibility = time.Second
	// quiet is how long the suite watches for something that must not come.
	quiet = 400 * time.Millisecond
	// wakeLatency bounds how long a waiting Receive or Claim may take to
	// return once something becomes available from another goroutine.
	wakeLatency = 250 * time.Millisecond
	// early tolerates timers firing a little before the nominal instant.
	early = 100 * time.Millisecond
)

// CommandQueue runs the conformance suite of wagate.CommandQueue.
func CommandQueue(t *testing.T, open func(t *testing.T) wagate.CommandQueue) {
	t.Run("OK", func(t *testing.T) {
		q := open(t)
		want := newCommand(t, "c1", "s1")
		must(t, q.Enqueue(t.Context(), want))
		d := receiveOne(t, q)
		compareCommand(t, d.Command, want)
		if d.Attempt != 1 || d.Receipt == "" {
			t.Fatalf("Attempt = %d, Receipt = %q; want 1 and a receipt", d.Attempt, d.Receipt)
		}
		must(t, q.Ack(t.Context(), d.Receipt))
		expectNoCommand(t, q, quiet)
	})

	t.Run("EnqueueIdempotent", func(t *testing.T) {
		q := open(t)
		c := newCommand(t, "c1", "s1")
		must(t, q.Enqueue(t.Context(), c))
		must(t, q.Enqueue(t.Context(), c))
		d := receiveOne(t, q)
		must(t, q.Enqueue(t.Context(), c)) // again while in flight
		must(t, q.Ack(t.Context(), d.Receipt))
		expectNoCommand(t, q, quiet)
	})

	t.Run("FIFOPerSession", func(t *testing.T) {
		q := open(t)
		for _, id := range []string{"a1", "a2", "a3"} {
			must(t, q.Enqueue(t.Context(), newCommand(t, id, "s1")))
		}
		for _, id := range []string{"a1", "a2", "a3"} {
			ds := receive(t, q, 10)
			if len(ds) != 1 || ds[0].Command.ID != id {
				t.Fatalf("Receive = %v, want only %s", deliveryIDs(ds), id)
			}
			must(t, q.Ack(t.Context(), ds[0].Receipt))
		}
	})

	t.Run("OneInFlightPerSession", func(t *testing.T) {
		q := open(t)
		must(t, q.Enqueue(t.Context(), newCommand(t, "a1", "s1")))
		must(t, q.Enqueue(t.Context(), newCommand(t, "a2", "s1")))
		d := receiveOne(t, q)
		expectNoCommand(t, q, quiet) // a2 waits while a1 is in flight
		must(t, q.Nack(t.Context(), d.Receipt, 0))
		again := receiveOne(t, q)
		if again.Command.ID != "a1" || again.Attempt != 2 {
			t.Fatalf("after Nack got %s attempt %d, want a1 attempt 2", again.Command.ID, again.Attempt)
		}
		must(t, q.Ack(t.Context(), again.Receipt))
		if next := receiveOne(t, q); next.Command.ID != "a2" || next.Attempt != 1 {
			t.Fatalf("after Ack got %s attempt %d, want a2 attempt 1", next.Command.ID, next.Attempt)
		}
	})

	t.Run("SessionsInParallel", func(t *testing.T) {
		q := open(t)
		for _, c := range [][2]string{{"a1", "s1"}, {"a2", "s1"}, {"b1", "s2"}, {"c1", "s3"}} {
			must(t, q.Enqueue(t.Context(), newCommand(t, c[0], c[1])))
		}
		ds := receiveN(t, q, 3)
		if got := deliveryIDs(ds); !sameStrings(sorted(got), []string{"a1", "b1", "c1"}) {
			t.Fatalf("in flight together: %v, want a1, b1, c1", got)
		}
		expectNoCommand(t, q, quiet)
		for _, d := range ds {
			must(t, q.Ack(t.Context(), d.Receipt))
		}
		if d := receiveOne(t, q); d.Command.ID != "a2" {
			t.Fatalf("got %s, want a2", d.Command.ID)
		}
	})

	t.Run("MaxBatch", func(t *testing.T) {
		q := open(t)
		for i := range 5 {
			must(t, q.Enqueue(t.Context(), newCommand(t, fmt.Sprintf("c%d", i), fmt.Sprintf("s%d", i))))
		}
		if ds := receive(t, q, 2); len(ds) < 1 || len(ds) > 2 {
			t.Fatalf("Receive(max 2) returned %d commands", len(ds))
		}
	})

	t.Run("ErrUnknownReceipt", func(t *testing.T) {
		q := open(t)
		must(t, q.Enqueue(t.Context(), newCommand(t, "c1", "s1")))
		receiveOne(t, q)
		if err := q.Ack(t.Context(), "not-a-receipt"); err == nil {
			t.Fatal("Ack of an unknown receipt returned no error")
		}
	})

	t.Run("ConcurrentConsumers", func(t *testing.T) { queueConcurrent(t, open(t)) })

	queueTiming(t, open)
}

// queueConcurrent drains 3 sessions × 6 commands with 4 consumers and checks
// every command is handled once, in order, never two of a session at once.
func queueConcurrent(t *testing.T, q wagate.CommandQueue) {
	const sessions, perSession, consumers = 3, 6, 4
	for i := range perSession {
		for s := range sessions {
			must(t, q.Enqueue(t.Context(), newCommand(t, fmt.Sprintf("s%d-%d", s, i), fmt.Sprintf("s%d", s))))
		}
	}
	var (
		mu       sync.Mutex
		inFlight = map[string]bool{}
		handled  = map[string][]string{}
		count    int
	)
	ctx, cancel := context.WithTimeout(t.Context(), 4*waitTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for range consumers {
		wg.Go(func() {
			for ctx.Err() == nil {
				ds, err := q.Receive(ctx, 2, 10*visibility)
				if err != nil && ctx.Err() == nil {
					t.Errorf("Receive: %v", err)
					return
				}
				for _, d := range ds {
					sid := d.Command.SessionID
					mu.Lock()
					if inFlight[sid] {
						t.Errorf("two commands of session %s in flight at once", sid)
					}
					inFlight[sid] = true
					mu.Unlock()
					time.Sleep(time.Millisecond)
					mu.Lock()
					inFlight[sid] = false
					handled[sid] = append(handled[sid], d.Command.ID)
					if count++; count == sessions*perSession {
						cancel()
					}
					mu.Unlock()
					if err := q.Ack(context.WithoutCancel(ctx), d.Receipt); err != nil {
						t.Errorf("Ack: %v", err)
					}
				}
			}
		})
	}
	wg.Wait()
	for s := range sessions {
		sid := fmt.Sprintf("s%d", s)
		var want []string
		for i := range perSession {
			want = append(want, fmt.Sprintf("%s-%d", sid, i))
		}
		if !slices.Equal(handled[sid], want) {
			t.Errorf("session %s handled %v, want %v", sid, handled[sid], want)
		}
	}
}

// newCommand returns a command with a payload.
func newCommand(t *testing.T, id, sessionID string) events.Command {
	t.Helper()
	c, err := events.NewCommand(id, events.CmdSessionPairPhone, sessionID, time.Now(),
		events.PairPhonePayload{PhoneNumber: "34600000000"})
	must(t, err)
	return c
}

// receive waits for deliveries (at most max).
func receive(t *testing.T, q wagate.CommandQueue, max int) []wagate.Delivery {
	t.Helper()
	ds, err := q.Receive(ctxTimeout(t, waitTimeout), max, visibility)
	must(t, err)
	if len(ds) == 0 || len(ds) > max {
		t.Fatalf("Receive(max %d) returned %d deliveries", max, len(ds))
	}
	return ds
}

// receiveOne waits for one delivery.
func receiveOne(t *testing.T, q wagate.CommandQueue) wagate.Delivery {
	t.Helper()
	return receive(t, q, 1)[0]
}

// receiveN collects n deliveries over as many Receive calls as it takes.
func receiveN(t *testing.T, q wagate.CommandQueue, n int) []wagate.Delivery {
	t.Helper()
	var all []wagate.Delivery
	for len(all) < n {
		all = append(all, receive(t, q, n-len(all))...)
	}
	return all
}

// expectNoCommand fails t if a command is delivered within d.
func expectNoCommand(t *testing.T, q wagate.CommandQueue, d time.Duration) {
	t.Helper()
	ctx := ctxTimeout(t, d)
	ds, err := q.Receive(ctx, 10, visibility)
	if len(ds) > 0 {
		t.Fatalf("unexpected delivery of %v", deliveryIDs(ds))
	}
	if err != nil && !errors.Is(err, ctx.Err()) {
		t.Fatalf("Receive on an empty queue: %v", err)
	}
}

func deliveryIDs(ds []wagate.Delivery) []string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.Command.ID)
	}
	return ids
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// compareCommand fails t unless got equals want (CreatedAt within
// timeTolerance, Payload as JSON).
func compareCommand(t *testing.T, got, want events.Command) {
	t.Helper()
	if got.ID != want.ID || got.Type != want.Type || got.SessionID != want.SessionID ||
		!sameTime(got.CreatedAt, want.CreatedAt) || !sameJSON(got.Payload, want.Payload) {
		t.Fatalf("command:\n got  %+v (payload %s)\n want %+v (payload %s)", got, got.Payload, want, want.Payload)
	}
}
