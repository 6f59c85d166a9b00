package sqs_test

import (
	"context"
	"testing"
	"time"

	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/shared/awstest"
	"github.com/wagate/wagate/shared/sqs"
)

// TestHeldCommands covers what the Queue adds to SQS: commands of one
// session received together are handed out one at a time, a nacked one
// comes back before its successors, and Close hands held ones back.
func TestHeldCommands(t *testing.T) {
	client := awssqs.NewFromConfig(awstest.Config(t))
	ctx := awstest.Context(t)
	enqueue := func(t *testing.T, q *sqs.Queue, ids ...string) {
		t.Helper()
		for _, id := range ids {
			c, err := events.NewCommand(id, events.CmdSessionConnect, "s1", time.Now(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Enqueue(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	receive := func(t *testing.T, q *sqs.Queue, wantID string, wantAttempt int) string {
		t.Helper()
		ds, err := q.Receive(ctx, 10, 5*time.Second)
		if err != nil || len(ds) != 1 || ds[0].Command.ID != wantID || ds[0].Attempt != wantAttempt {
			t.Fatalf("Receive = %+v, %v; want only %s attempt %d", ds, err, wantID, wantAttempt)
		}
		return ds[0].Receipt
	}

	t.Run("NackComesBackFirst", func(t *testing.T) {
		q := MustOpenQueue(t, client)
		enqueue(t, q, "a1", "a2", "a3")
		r := receive(t, q, "a1", 1)
		if err := q.Nack(ctx, r, 200*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r = receive(t, q, "a1", 2)
		if waited := time.Since(start); waited < 150*time.Millisecond {
			t.Fatalf("nacked command back after %v, before its delay", waited)
		}
		if err := q.Ack(ctx, r); err != nil {
			t.Fatal(err)
		}
		receive(t, q, "a2", 1)
	})

	t.Run("AckBatch", func(t *testing.T) {
		q := MustOpenQueue(t, client)
		var receipts []string
		for _, s := range []string{"s1", "s2", "s3"} {
			c, _ := events.NewCommand("c-"+s, events.CmdSessionConnect, s, time.Now(), nil)
			if err := q.Enqueue(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		for len(receipts) < 3 {
			ds, err := q.Receive(ctx, 3, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				receipts = append(receipts, d.Receipt)
			}
		}
		if err := q.AckBatch(ctx, receipts...); err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
		defer cancel()
		if ds, _ := q.Receive(short, 10, time.Second); len(ds) > 0 {
			t.Fatalf("acked commands came back: %+v", ds)
		}
	})

	t.Run("CloseHandsBack", func(t *testing.T) {
		q := MustOpenQueue(t, client)
		enqueue(t, q, "a1", "a2")
		if err := q.Ack(ctx, receive(t, q, "a1", 1)); err != nil {
			t.Fatal(err)
		}
		if err := q.Close(); err != nil {
			t.Fatal(err)
		}
		other := sqs.New(client, q.URL(), sqs.Options{WaitTime: emulatorWait})
		defer other.Close()
		if r := receive(t, other, "a2", 2); other.Ack(ctx, r) != nil {
			t.Fatal("ack")
		}
	})
}

func TestGroupID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"demo", "demo"},
		{"", "-"},
		{"sesión", "sha256-"},
		{string(make([]byte, 129)), "sha256-"},
	} {
		if got := sqs.GroupID(tc.in); got != tc.want && (tc.want != "sha256-" || len(got) != 7+64) {
			t.Errorf("GroupID(%q) = %q, want %q…", tc.in, got, tc.want)
		}
	}
}
