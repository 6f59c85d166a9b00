package awsrt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/wagate/wagate/shared/awsres"
)

// Outside Lambda (an emulator without a Lambda host, `make run-aws-local`)
// the functions run as plain processes: the api function as an HTTP
// server, the webhook function as a consumer of the queue the webhook rule
// targets there (awsres.Set.WebhookQueue), retrying like EventBridge would.
const (
	// WebhookRetryDelay is how long a failed event waits in the local
	// webhook queue before it is tried again (its redrive moves it to the
	// webhook DLQ after awsres.QueueMaxReceiveCount receives).
	WebhookRetryDelay = 10 * time.Second
	// webhookAttemptTimeout bounds the handling of one event locally.
	webhookAttemptTimeout = 60 * time.Second
	// serverShutdown bounds the local HTTP server's shutdown.
	serverShutdown = 10 * time.Second
)

// ServeHTTP serves h on Config.Port until ctx ends (the api function
// outside Lambda), flushing metrics as the Lambda wrapper would.
func (rt *Runtime) ServeHTTP(ctx context.Context, h http.Handler) error {
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(rt.Config.Port))
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", rt.Config.Port, err)
	}
	srv := &http.Server{Handler: rt.FlushAfter(h), ReadHeaderTimeout: 10 * time.Second}
	rt.Log.Info("api listening", "addr", ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err = <-done:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serverShutdown)
		defer cancel()
		err = srv.Shutdown(sctx)
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// FlushAfter writes the metrics (EMF) after each request: a Lambda
// instance may be frozen or reaped at any time after answering.
func (rt *Runtime) FlushAfter(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if err := rt.EMF.Flush(); err != nil {
			rt.Log.Warn("write metrics", "err", err)
		}
	})
}

// ConsumeWebhookQueue hands every event of the local webhook queue to h
// until ctx ends: handled events are deleted, failed ones come back after
// WebhookRetryDelay. Meanwhile it sweeps every awsres.WebhookSweepRate,
// as the schedule rule does in AWS.
func (rt *Runtime) ConsumeWebhookQueue(ctx context.Context, h *WebhookHandler) error {
	url, err := rt.queueURL(ctx, rt.Config.WebhookQueueURL, rt.Config.Names.WebhookQueue)
	if err != nil {
		return err
	}
	rt.Log.Info("webhook runner consuming", "queue", url)
	sweeping := make(chan struct{})
	go func() { defer close(sweeping); rt.sweepEvery(ctx, h, awsres.WebhookSweepRate) }()
	defer func() { <-sweeping }()
	for ctx.Err() == nil {
		out, err := rt.AWS.SQS.ReceiveMessage(ctx, &awssqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: int32(EmulatorLongPoll / time.Second),
		})
		if err != nil {
			if ctx.Err() == nil {
				rt.Log.Error("receive webhook events", "err", err)
				sleep(ctx, time.Second)
			}
			continue
		}
		for _, m := range out.Messages {
			rt.handleQueued(context.WithoutCancel(ctx), h, url, m.ReceiptHandle, aws.ToString(m.Body))
		}
	}
	return nil
}

// handleQueued handles one queued event and settles its message.
func (rt *Runtime) handleQueued(ctx context.Context, h *WebhookHandler, url string, receipt *string, body string) {
	var env Envelope
	err := json.Unmarshal([]byte(body), &env)
	if err == nil {
		hctx, cancel := context.WithTimeout(ctx, webhookAttemptTimeout)
		err = h.Handle(hctx, env)
		cancel()
	}
	if err == nil {
		_, err = rt.AWS.SQS.DeleteMessage(ctx, &awssqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: receipt})
	} else {
		rt.Log.Warn("webhook event will be retried", "eventbridge_id", env.ID, "err", err)
		_, err = rt.AWS.SQS.ChangeMessageVisibility(ctx, &awssqs.ChangeMessageVisibilityInput{
			QueueUrl: aws.String(url), ReceiptHandle: receipt, VisibilityTimeout: int32(WebhookRetryDelay / time.Second),
		})
	}
	if err != nil {
		rt.Log.Error("settle webhook event", "err", err)
	}
	if ferr := rt.EMF.Flush(); ferr != nil {
		rt.Log.Warn("write metrics", "err", ferr)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
