package topology_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wagate/wagate/connector/topology"
	"github.com/wagate/wagate/shared/awstest"
)

// TestTopology drives the aws runtime's real binaries under the emulator:
// every request goes through the HTTP API (Host: <apiId>.execute-api.
// localhost) to the api function's bootstrap polling kumo's Lambda Runtime
// API; commands travel over SQS to the connector (sim engine), which
// stores in DynamoDB and S3 and publishes to EventBridge, whose rule
// invokes the webhook function's bootstrap, which posts signed webhooks to
// a local receiver.
func TestTopology(t *testing.T) {
	awscfg := awstest.Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Second)
	defer cancel()
	began := time.Now()
	dir := t.TempDir()
	bin, err := topology.BuildHost(ctx, filepath.Join(dir, "bin"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built the binaries in %v", time.Since(began).Round(time.Millisecond))
	top, err := topology.Start(ctx, topology.Options{AWS: awscfg, Bin: bin, Dir: dir, Log: testWriter{t},
		WebhookEnv: []string{"WAGATE_WEBHOOK_SCHEDULE=" + sweepSchedule}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(top.LogTails())
		}
		if err := top.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	rcv := top.Receiver
	step := func(name string, do func(ctx context.Context) error) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		s := time.Now()
		if err := do(sctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %v", name, time.Since(s).Round(time.Millisecond))
	}

	step("create session", func(ctx context.Context) error {
		body := map[string]string{"sessionId": "demo", "webhookUrl": rcv.URL, "webhookSecret": rcv.Secret}
		return top.CallJSON(ctx, "POST", "/api/sessions", body, http.StatusCreated, nil)
	})
	step("sim scan through the HTTP API", func(ctx context.Context) error {
		return topology.Eventually(ctx, func(ctx context.Context) error {
			return top.CallJSON(ctx, "POST", "/api/_sim/sessions/demo/scan", "{}", http.StatusOK, nil)
		})
	})
	step("connected", func(ctx context.Context) error {
		return topology.Eventually(ctx, func(ctx context.Context) error {
			var st struct{ Status string }
			if err := top.CallJSON(ctx, "GET", "/api/sessions/demo/status", nil, http.StatusOK, &st); err != nil {
				return err
			}
			if st.Status != "connected" {
				return fmt.Errorf("status %q", st.Status)
			}
			return nil
		})
	})

	var sentID string
	step("send a text: sent", func(ctx context.Context) error {
		var out struct {
			Message struct{ WhatsAppMessageID, Status string }
		}
		err := top.CallJSON(ctx, "POST", "/api/messages/demo/send", `{"to":"34600000001","message":"hola"}`, http.StatusOK, &out)
		if err == nil && out.Message.Status != "sent" {
			err = fmt.Errorf("message %+v, want sent", out.Message)
		}
		sentID = out.Message.WhatsAppMessageID
		return err
	})

	pic := bytes.Repeat([]byte("\x89PNG topology media "), 500)
	var inID string
	step("inbound message with media", func(ctx context.Context) error {
		body := map[string]any{"from": "34600000002", "pushName": "Ana", "type": "image", "content": "look",
			"media": map[string]string{"base64": base64.StdEncoding.EncodeToString(pic), "mimetype": "image/png", "filename": "pic.png"}}
		var out struct{ WhatsAppMessageID string }
		err := top.CallJSON(ctx, "POST", "/api/_sim/sessions/demo/inbound", body, http.StatusOK, &out)
		inID = out.WhatsAppMessageID
		return err
	})
	var received topology.Hook
	step("message.received webhook with a presigned media link", func(ctx context.Context) (err error) {
		if received, err = rcv.WaitFor(ctx, "message.received", inID); err != nil {
			return err
		}
		if received.MediaURL == "" || strings.Contains(received.MediaURL, "X-API-Key") {
			return fmt.Errorf("media.url %q: want a presigned link", received.MediaURL)
		}
		got, err := download(ctx, received.MediaURL)
		if err == nil && !bytes.Equal(got, pic) {
			err = fmt.Errorf("the link gave %d bytes, want the %d sent", len(got), len(pic))
		}
		return err
	})
	step("stored with its media in S3", func(ctx context.Context) error {
		var list struct {
			Messages []struct {
				WhatsAppMessageID, Type string
				HasMedia                bool
				Media                   *struct {
					Mimetype string
					Size     int
				}
			}
		}
		if err := top.CallJSON(ctx, "GET", "/api/messages/demo", nil, http.StatusOK, &list); err != nil {
			return err
		}
		found := false
		for _, m := range list.Messages {
			if m.WhatsAppMessageID == inID && m.Type == "image" && m.HasMedia && m.Media != nil {
				found = m.Media.Mimetype == "image/png" && m.Media.Size == len(pic)
			}
		}
		if !found {
			return fmt.Errorf("message %s not listed with its media (image/png, %d bytes): %+v", inID, len(pic), list.Messages)
		}
		return checkS3(ctx, top, received, pic)
	})
	step("read receipt", func(ctx context.Context) error {
		body := map[string]string{"whatsappMessageId": sentID, "status": "read"}
		return top.CallJSON(ctx, "POST", "/api/_sim/sessions/demo/receipt", body, http.StatusOK, nil)
	})
	step("message.sent, message.read and session.connected webhooks", func(ctx context.Context) error {
		for _, w := range [][2]string{{"message.sent", sentID}, {"message.read", sentID}, {"session.connected", ""}} {
			if _, err := rcv.WaitFor(ctx, w[0], w[1]); err != nil {
				return err
			}
		}
		return nil
	})
	step("the sent message is read, the network carried it once", func(ctx context.Context) error {
		var list struct {
			Messages []struct{ WhatsAppMessageID, Status string }
		}
		if err := top.CallJSON(ctx, "GET", "/api/messages/demo", nil, http.StatusOK, &list); err != nil {
			return err
		}
		var sent struct {
			Messages []struct{ WhatsAppMessageID, Body string }
		}
		if err := top.CallJSON(ctx, "GET", "/api/_sim/sessions/demo/sent", nil, http.StatusOK, &sent); err != nil {
			return err
		}
		if len(sent.Messages) != 1 || sent.Messages[0].WhatsAppMessageID != sentID || sent.Messages[0].Body != "hola" {
			return fmt.Errorf("the network carried %+v, want %s once", sent.Messages, sentID)
		}
		for _, m := range list.Messages {
			if m.WhatsAppMessageID == sentID && m.Status == "read" {
				return nil
			}
		}
		return fmt.Errorf("message %s not read: %+v", sentID, list.Messages)
	})
	hooks := rcv.Hooks()
	for _, h := range hooks {
		if !h.Signed || h.Event != h.Type {
			t.Errorf("webhook %s (header %q) signature %q: not signed with the session's secret", h.Type, h.Event, h.Signature)
		}
	}
	t.Logf("%d webhooks, all checked; whole test %v", len(hooks), time.Since(began).Round(time.Millisecond))

	t.Run("SweepRetriesAndReplays", func(t *testing.T) { testSweep(t, ctx, top) })
}

// checkS3 finds the media object the webhook names and compares it with
// want; it must be encrypted (SSE-S3).
func checkS3(ctx context.Context, top *topology.Topology, h topology.Hook, want []byte) error {
	var mediaID string
	if _, rest, ok := strings.Cut(h.MediaURL, "/media/demo/"); ok {
		mediaID, _, _ = strings.Cut(rest, "?")
	}
	if mediaID == "" {
		return fmt.Errorf("no media id in %s", h.MediaURL)
	}
	out, err := top.Clients.S3.GetObject(ctx, &awss3.GetObjectInput{Bucket: aws.String(top.Res.Bucket), Key: aws.String("media/demo/" + mediaID)})
	if err != nil {
		return err
	}
	defer out.Body.Close()
	got, err := io.ReadAll(out.Body)
	if err == nil && !bytes.Equal(got, want) {
		err = fmt.Errorf("S3 object has %d bytes, want %d", len(got), len(want))
	}
	return err
}

// download fetches url with no credentials at all.
func download(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b, err
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
