package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/sqlite"
)

func TestCommandQueueReceipts(t *testing.T) {
	t.Run("ErrStaleReceipt", func(t *testing.T) {
		q := sqlite.NewCommandQueue(MustOpenDB(t))
		must(t, q.Enqueue(t.Context(), benchCommand(t, 1, "s1")))
		first, err := q.Receive(t.Context(), 1, 50*time.Millisecond)
		must(t, err)
		again, err := q.Receive(t.Context(), 1, time.Minute) // after the 50 ms visibility
		must(t, err)
		if again[0].Attempt != 2 {
			t.Fatalf("Attempt = %d, want 2", again[0].Attempt)
		}
		old := first[0].Receipt
		for name, err := range map[string]error{
			"Ack":    q.Ack(t.Context(), old),
			"Nack":   q.Nack(t.Context(), old, 0),
			"Extend": q.Extend(t.Context(), old, time.Minute),
		} {
			if wagate.ErrorCode(err) != wagate.ENOTFOUND {
				t.Errorf("%s with the receipt of an earlier delivery: %v, want ENOTFOUND", name, err)
			}
		}
		must(t, q.Ack(t.Context(), again[0].Receipt))
		if err := q.Ack(t.Context(), again[0].Receipt); wagate.ErrorCode(err) != wagate.ENOTFOUND {
			t.Fatalf("second Ack: %v, want ENOTFOUND", err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		q := sqlite.NewCommandQueue(MustOpenDB(t))
		if err := q.Enqueue(t.Context(), events.Command{ID: "x", Type: events.CmdSessionConnect}); wagate.ErrorCode(err) != wagate.EINVALID {
			t.Errorf("Enqueue without sessionId: %v, want EINVALID", err)
		}
		if _, err := q.Receive(t.Context(), 1, 0); wagate.ErrorCode(err) != wagate.EINVALID {
			t.Errorf("Receive with no visibility: %v, want EINVALID", err)
		}
	})

	t.Run("CloseWakesReceive", func(t *testing.T) {
		db := MustOpenDB(t)
		q := sqlite.NewCommandQueue(db)
		done := make(chan error, 1)
		go func() {
			_, err := q.Receive(context.Background(), 1, time.Minute)
			done <- err
		}()
		time.Sleep(50 * time.Millisecond)
		must(t, db.Close())
		select {
		case err := <-done:
			if !errors.Is(err, sqlite.ErrClosed) {
				t.Fatalf("Receive after Close: %v, want ErrClosed", err)
			}
		case <-time.After(time.Second):
			t.Fatal("Receive still waiting after Close")
		}
	})
}
