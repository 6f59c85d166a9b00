package porttest

import (
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// queueTiming checks the time-driven behaviour: visibility timeouts, Nack
// delays, Extend, blocking and waking up.
func queueTiming(t *testing.T, open func(t *testing.T) wagate.CommandQueue) {
	t.Run("VisibilityTimeout", func(t *testing.T) {
		q := open(t)
		must(t, q.Enqueue(t.Context(), newCommand(t, "a1", "s1")))
		start := time.Now()
		receiveOne(t, q)
		expectNoCommand(t, q, visibility/2)
		again := receiveOne(t, q)
		if again.Command.ID != "a1" || again.Attempt != 2 {
			t.Fatalf("redelivered %s attempt %d, want a1 attempt 2", again.Command.ID, again.Attempt)
		}
		if waited := time.Since(start); waited < visibility-early {
			t.Fatalf("redelivered after %v, before the visibility timeout %v", waited, visibility)
		}
		must(t, q.Ack(t.Context(), again.Receipt))
		expectNoCommand(t, q, quiet)
	})

	t.Run("Nack", func(t *testing.T) {
		q := open(t)
		must(t, q.Enqueue(t.Context(), newCommand(t, "a1", "s1")))
		d := receiveOne(t, q)
		must(t, q.Nack(t.Context(), d.Receipt, 0))
		ds, err := q.Receive(ctxTimeout(t, visibility/2), 1, visibility)
		if err != nil || len(ds) != 1 || ds[0].Attempt != 2 {
			t.Fatalf("Receive after Nack(0) = %v attempt %v, %v; want a1 at once, attempt 2", deliveryIDs(ds), attempts(ds), err)
		}
	})

	t.Run("NackDelay", func(t *testing.T) {
		q := open(t)
		must(t, q.Enqueue(t.Context(), newCommand(t, "a1", "s1")))
		must(t, q.Enqueue(t.Context(), newCommand(t, "b1", "s2")))
		d := receiveOne(t, q)
		other := receiveOne(t, q)
		nacked := time.Now()
		must(t, q.Nack(t.Context(), d.Receipt, visibility))
		must(t, q.Nack(t.Context(), other.Receipt, 0)) // the other session is not delayed
		if o := receiveOne(t, q); o.Command.ID != other.Command.ID {
			t.Fatalf("got %s, want %s", o.Command.ID, other.Command.ID)
		}
		expectNoCommand(t, q, visibility/2)
		again := receiveOne(t, q)
		if again.Command.ID != d.Command.ID || again.Attempt != 2 {
			t.Fatalf("redelivered %s attempt %d, want %s attempt 2", again.Command.ID, again.Attempt, d.Command.ID)
		}
		if waited := time.Since(nacked); waited < visibility-early {
			t.Fatalf("redelivered %v after Nack, before its delay %v", waited, visibility)
		}
	})

	t.Run("Extend", func(t *testing.T) {
		q := open(t)
		must(t, q.Enqueue(t.Context(), newCommand(t, "a1", "s1")))
		d := receiveOne(t, q)
		time.Sleep(visibility / 2)
		extended := time.Now()
		must(t, q.Extend(t.Context(), d.Receipt, visibility))
		expectNoCommand(t, q, visibility*3/4) // past the first timeout
		again := receiveOne(t, q)
		if again.Attempt != 2 {
			t.Fatalf("redelivered with attempt %d, want 2", again.Attempt)
		}
		if waited := time.Since(extended); waited < visibility-early {
			t.Fatalf("redelivered %v after Extend, before the extension %v ended", waited, visibility)
		}
	})

	t.Run("ReceiveBlocks", func(t *testing.T) {
		q := open(t)
		start := time.Now()
		expectNoCommand(t, q, quiet)
		if waited := time.Since(start); waited < quiet-early {
			t.Fatalf("Receive on an empty queue returned after %v, want it to wait for ctx (%v)", waited, quiet)
		}
	})

	t.Run("WakesOnEnqueue", func(t *testing.T) {
		q := open(t)
		woke := wakeLatencyOf(t, q, func() {
			must(t, q.Enqueue(t.Context(), newCommand(t, "a1", "s1")))
		})
		if woke > wakeLatency {
			t.Fatalf("Receive returned %v after Enqueue, want within %v", woke, wakeLatency)
		}
	})

	t.Run("WakesOnAck", func(t *testing.T) {
		q := open(t)
		must(t, q.Enqueue(t.Context(), newCommand(t, "a1", "s1")))
		must(t, q.Enqueue(t.Context(), newCommand(t, "a2", "s1")))
		d := receiveOne(t, q)
		woke := wakeLatencyOf(t, q, func() { must(t, q.Ack(t.Context(), d.Receipt)) })
		if woke > wakeLatency {
			t.Fatalf("Receive returned %v after the Ack that freed a2, want within %v", woke, wakeLatency)
		}
	})
}

// wakeLatencyOf starts a Receive, lets it wait, runs act and returns how
// long after act the Receive returned a command.
func wakeLatencyOf(t *testing.T, q wagate.CommandQueue, act func()) time.Duration {
	t.Helper()
	type result struct {
		ds  []wagate.Delivery
		err error
		at  time.Time
	}
	done := make(chan result, 1)
	ctx := ctxTimeout(t, waitTimeout)
	go func() {
		ds, err := q.Receive(ctx, 1, visibility)
		done <- result{ds, err, time.Now()}
	}()
	time.Sleep(quiet) // let Receive settle into waiting
	acted := time.Now()
	act()
	r := <-done
	if r.err != nil || len(r.ds) != 1 {
		t.Fatalf("waiting Receive = %v, %v; want one command", deliveryIDs(r.ds), r.err)
	}
	return r.at.Sub(acted)
}

func attempts(ds []wagate.Delivery) []int {
	var n []int
	for _, d := range ds {
		n = append(n, d.Attempt)
	}
	return n
}
