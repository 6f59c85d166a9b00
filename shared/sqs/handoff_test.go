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

// A delivery received by one Queue is forgotten there and adopted by a
// second one (another task), which hands it out and acks it; the
// session's next command follows, in order, without a second receive of
// the first.
func TestHandoff(t *testing.T) {
	client := awssqs.NewFromConfig(awstest.Config(t))
	a := MustOpenQueue(t, client)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, id := range []string{"c1", "c2"} {
		cmd, _ := events.NewCommand(id, events.CmdSessionConnect, "s1", time.Now(), nil)
		if err := a.Enqueue(ctx, cmd); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := a.Receive(ctx, 1, 10*time.Second)
	if err != nil || len(ds) != 1 || ds[0].Command.ID != "c1" {
		t.Fatalf("receive = %+v, %v", ds, err)
	}
	d := ds[0]
	if err := a.Hide(ctx, d.Receipt, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	a.Forget(d.Receipt)

	// The second Queue shares the SQS queue's URL: it plays the owner.
	b := sqsQueueOn(client, a.URL())
	defer b.Close()
	if !b.Adopt(d, time.Now().Add(5*time.Second)) {
		t.Fatal("Adopt refused a fresh delivery")
	}
	got, err := b.Receive(ctx, 1, 10*time.Second)
	if err != nil || len(got) != 1 || got[0].Command.ID != "c1" || got[0].Attempt != 1 {
		t.Fatalf("owner's receive = %+v, %v; want c1, attempt 1", got, err)
	}
	if err := b.Ack(ctx, got[0].Receipt); err != nil {
		t.Fatalf("owner acks a forwarded receipt: %v", err)
	}
	next, err := a.Receive(ctx, 1, 10*time.Second)
	if err != nil || len(next) != 1 || next[0].Command.ID != "c2" {
		t.Fatalf("next receive = %+v, %v; want c2", next, err)
	}
	if b.Adopt(d, time.Now()) {
		t.Fatal("Adopt took a delivery whose visibility ended")
	}
}

func sqsQueueOn(client *awssqs.Client, url string) *sqs.Queue {
	return sqs.New(client, url, sqs.Options{WaitTime: emulatorWait})
}
