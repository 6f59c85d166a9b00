package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/wagate/wagate/connector/topology"
)

// Settings of the aws group (the aws runtime under the emulator, through
// the topology package: HTTP API → api Lambda → SQS → connector(sim) →
// EventBridge → webhook Lambda → receiver).
const (
	awsDefaultEndpoint = "http://127.0.0.1:4566" // as shared/awstest
	awsWarmRequests    = 300                     // sequential status requests per warm figure
	awsWarmup          = 30                      // requests before measuring
	awsColdRuns        = 5                       // cold starts; the figure is their median
	awsLatencyRuns     = 30                      // sends and inbound messages, one at a time
	awsSession         = "bench"
	awsStepTimeout     = 60 * time.Second
)

// awsGroup prints the aws runtime's figures; with no emulator answering it
// notes that on stderr and prints nothing.
func (b *bench) awsGroup(ctx context.Context) error {
	endpoint := strings.TrimRight(os.Getenv("WAGATE_AWS_TEST_ENDPOINT"), "/")
	if endpoint == "" {
		endpoint = awsDefaultEndpoint
	}
	if err := getOK(ctx, endpoint+"/health"); err != nil {
		progress("aws: SKIPPED, no AWS emulator answers at %s (start it with `make emulator`): %v", endpoint, err)
		return nil
	}
	dir, err := os.MkdirTemp("", "wagate-bench-aws-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := b.awsSizes(ctx, filepath.Join(dir, "lambda-arm64")); err != nil {
		return err
	}
	progress("aws: building the host binaries")
	bin, err := topology.BuildHost(ctx, filepath.Join(dir, "bin"))
	if err != nil {
		return err
	}
	top, err := topology.Start(ctx, topology.Options{
		AWS: aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), BaseEndpoint: aws.String(endpoint)},
		Bin: bin, Dir: dir, Log: os.Stderr,
		// The send pacing (anti-ban, 1/s by default) would dominate the
		// send figures; they measure the pipeline.
		ConnectorEnv: []string{"WAGATE_SEND_RATE=1000", "WAGATE_SEND_BURST=1000"},
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := top.Close(); err != nil {
			progress("aws: close: %v", err)
		}
	}()
	steps := []func(context.Context, *topology.Topology) error{
		awsConnect, b.awsWarm, b.awsSends, b.awsInbound, b.awsColdStart,
	}
	for _, step := range steps {
		sctx, cancel := context.WithTimeout(ctx, awsStepTimeout)
		err := step(sctx, top)
		cancel()
		if err != nil {
			progress("aws: process logs:\n%s", top.LogTails())
			return err
		}
	}
	return nil
}

// awsSizes builds the functions as the Lambda assets are built
// (linux/arm64, stripped, -tags lambda.norpc) and prints their sizes.
func (b *bench) awsSizes(ctx context.Context, dir string) error {
	progress("aws: building the Lambda binaries for linux/arm64")
	if err := topology.Build(ctx, dir, topology.Target{GOOS: "linux", GOARCH: "arm64", Strip: true}, topology.PkgAPI, topology.PkgWebhook); err != nil {
		return err
	}
	for _, f := range []struct{ figure, file string }{{"aws_api_lambda_mb", "api"}, {"aws_webhook_lambda_mb", "webhook"}} {
		st, err := os.Stat(filepath.Join(dir, f.file))
		if err != nil {
			return err
		}
		b.out.figure(f.figure, float64(st.Size())/(1<<20), unitMiB)
	}
	return nil
}

// awsConnect creates the bench session (webhooks to the receiver) and
// connects it through the sim.
func awsConnect(ctx context.Context, top *topology.Topology) error {
	body := map[string]string{"sessionId": awsSession, "webhookUrl": top.Receiver.URL, "webhookSecret": top.Receiver.Secret}
	if err := top.CallJSON(ctx, http.MethodPost, "/api/sessions", body, http.StatusCreated, nil); err != nil {
		return err
	}
	if err := topology.Eventually(ctx, func(ctx context.Context) error {
		return top.CallJSON(ctx, http.MethodPost, "/api/_sim/sessions/"+awsSession+"/scan", "{}", http.StatusOK, nil)
	}); err != nil {
		return err
	}
	return topology.Eventually(ctx, func(ctx context.Context) error {
		var st struct{ Status string }
		err := top.CallJSON(ctx, http.MethodGet, "/api/sessions/"+awsSession+"/status", nil, http.StatusOK, &st)
		if err == nil && st.Status != "connected" {
			err = fmt.Errorf("session %s is %s", awsSession, st.Status)
		}
		return err
	})
}

// awsWarm: the status route through the HTTP API on a warm api function,
// and the emulator's own /health as the baseline of its HTTP handling.
func (b *bench) awsWarm(ctx context.Context, top *topology.Topology) error {
	path := "/api/sessions/" + awsSession + "/status"
	status, err := timeCalls(ctx, awsWarmup, awsWarmRequests, func(ctx context.Context) error {
		return top.CallJSON(ctx, http.MethodGet, path, nil, http.StatusOK, nil)
	})
	if err != nil {
		return fmt.Errorf("warm status: %w", err)
	}
	health, err := timeCalls(ctx, awsWarmup, awsWarmRequests, func(ctx context.Context) error {
		return getOK(ctx, top.Endpoint+"/health")
	})
	if err != nil {
		return fmt.Errorf("emulator /health: %w", err)
	}
	sp50, sp99, hp50, hp99 := percentile(status, 50), percentile(status, 99), percentile(health, 50), percentile(health, 99)
	b.out.figure("aws_status_warm_p50_ms", ms(sp50), unitMs)
	b.out.figure("aws_status_warm_p99_ms", ms(sp99), unitMs)
	b.out.figure("aws_emulator_overhead_p50_ms", ms(hp50), unitMs)
	b.out.figure("aws_emulator_overhead_p99_ms", ms(hp99), unitMs)
	b.out.figure("aws_status_warm_excl_emulator_p50_ms", ms(sp50-hp50), unitMs)
	b.out.figure("aws_status_warm_excl_emulator_p99_ms", ms(sp99-hp99), unitMs)
	return nil
}

// awsSends: POST send (the api function waits for the outcome) → answered
// `sent`, one at a time.
func (b *bench) awsSends(ctx context.Context, top *topology.Topology) error {
	n := 0
	lat, err := timeCalls(ctx, 3, awsLatencyRuns, func(ctx context.Context) error {
		n++
		var out struct{ Message struct{ Status string } }
		body := map[string]string{"to": benchRecipient, "message": fmt.Sprintf("aws bench %d", n)}
		err := top.CallJSON(ctx, http.MethodPost, "/api/messages/"+awsSession+"/send", body, http.StatusOK, &out)
		if err == nil && out.Message.Status != "sent" {
			err = fmt.Errorf("send answered %q, want sent", out.Message.Status)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("sends: %w", err)
	}
	b.out.figure("aws_send_sent_p50_ms", ms(percentile(lat, 50)), unitMs)
	b.out.figure("aws_send_sent_p99_ms", ms(percentile(lat, 99)), unitMs)
	return nil
}

// awsInbound: a sim inbound text (through the HTTP API) → its
// message.received webhook at the receiver, one at a time.
func (b *bench) awsInbound(ctx context.Context, top *topology.Topology) error {
	n := 0
	lat, err := timeCalls(ctx, 3, awsLatencyRuns, func(ctx context.Context) error {
		n++
		var out struct{ WhatsAppMessageID string }
		body := map[string]string{"from": "34600000077", "type": "text", "content": fmt.Sprintf("aws bench in %d", n)}
		if err := top.CallJSON(ctx, http.MethodPost, "/api/_sim/sessions/"+awsSession+"/inbound", body, http.StatusOK, &out); err != nil {
			return err
		}
		h, err := top.Receiver.WaitFor(ctx, "message.received", out.WhatsAppMessageID)
		if err == nil && !h.Signed {
			err = fmt.Errorf("webhook %s not signed", h.MessageID)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("inbound: %w", err)
	}
	b.out.figure("aws_inbound_webhook_p50_ms", ms(percentile(lat, 50)), unitMs)
	b.out.figure("aws_inbound_webhook_p99_ms", ms(percentile(lat, 99)), unitMs)
	return nil
}

// timeCalls runs call warmup times, then n times, one after the other,
// and returns the measured durations sorted.
func timeCalls(ctx context.Context, warmup, n int, call func(context.Context) error) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, n)
	for i := range warmup + n {
		t0 := time.Now()
		if err := call(ctx); err != nil {
			return nil, err
		}
		if i >= warmup {
			lat = append(lat, time.Since(t0))
		}
	}
	slices.Sort(lat)
	return lat, nil
}

func getOK(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	return nil
}
