package topology

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/wagate/wagate/shared/webhook"
)

// APIHost is the Host header that makes the emulator route a request to
// the HTTP API ({apiId}.execute-api.localhost).
func (t *Topology) APIHost() string { return t.APIID + ".execute-api.localhost" }

// Call sends a request through the HTTP API (API Gateway v2 → the api
// function) with the API key and returns the status and body.
func (t *Topology) Call(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.Endpoint+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Host = t.APIHost()
	req.Header.Set("X-API-Key", t.APIKey)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := t.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// CallJSON is Call that wants status want and decodes the envelope's
// data into out (nil = ignore it).
func (t *Topology) CallJSON(ctx context.Context, method, path string, body any, want int, out any) error {
	status, raw, err := t.Call(ctx, method, path, body)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("%s %s = %d %s, want %d", method, path, status, bytes.TrimSpace(raw), want)
	}
	if out == nil {
		return nil
	}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s %s: decode %s: %w", method, path, raw, err)
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("%s %s: decode data %s: %w", method, path, env.Data, err)
	}
	return nil
}

// Eventually calls try every 25 ms until it returns nil or ctx ends (then
// it returns try's last error). An error wrapping ErrGiveUp ends it at once.
func Eventually(ctx context.Context, try func(context.Context) error) error {
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		err := try(ctx)
		if err == nil || errors.Is(err, ErrGiveUp) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up: %v)", err, ctx.Err())
		case <-tick.C:
		}
	}
}

// ErrGiveUp marks an error Eventually does not retry.
var ErrGiveUp = errors.New("giving up")

// webhookProbe is an EventBridge event about a session that does not
// exist: the webhook function reads the table and drops it.
const webhookProbe = `{"id":"topology-probe","source":"wagate","detail-type":"session.connected",` +
	`"detail":{"id":"topology-probe","type":"session.connected","sessionId":"topology-probe","data":{}}}`

// sweepTick is the schedule rule's event (awsrt.Envelope.Scheduled): kumo
// stores schedule rules but never fires them, so the test invokes the
// webhook function with it as EventBridge would every minute.
const sweepTick = `{"version":"0","id":"topology-sweep","detail-type":"Scheduled Event","source":"aws.events",` +
	`"account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{}}`

// Sweep invokes the webhook function (synchronously, through the
// emulator) with the schedule rule's event and returns what the sweep did.
func (t *Topology) Sweep(ctx context.Context) (webhook.SweepResult, error) {
	var res webhook.SweepResult
	status, fnErr, body, err := t.ctl.invoke(ctx, t.Names.WebhookFunc, []byte(sweepTick))
	switch {
	case err != nil:
		return res, fmt.Errorf("invoke the sweep: %w", err)
	case status != http.StatusOK || fnErr != "":
		return res, fmt.Errorf("invoke the sweep: %d %s %s", status, fnErr, body)
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return res, fmt.Errorf("sweep result %s: %w", body, err)
	}
	return res, nil
}

// waitReady waits until the connector's sim control answers, the webhook
// function takes an invocation (kumo drops an asynchronous invocation of a
// function nobody has polled for yet, so events must not flow before
// this) and GET /ready answers 200 through the HTTP API.
func (t *Topology) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	checks := []struct {
		name string
		try  func(context.Context) error
	}{
		{"connector sim control", func(ctx context.Context) error {
			return t.alive(ProcConnector, func() error { return get(ctx, t.SimURL+"/health") })
		}},
		{"webhook function", func(ctx context.Context) error {
			return t.alive(ProcWebhook, func() error {
				status, fnErr, body, err := t.ctl.invoke(ctx, t.Names.WebhookFunc, []byte(webhookProbe))
				if err == nil && (status != http.StatusOK || fnErr != "") {
					err = fmt.Errorf("invoke: %d %s %s", status, fnErr, body)
				}
				return err
			})
		}},
		{"api function", func(ctx context.Context) error {
			return t.alive(ProcAPI, func() error { return t.CallJSON(ctx, http.MethodGet, "/ready", nil, http.StatusOK, nil) })
		}},
	}
	for _, c := range checks {
		if err := Eventually(ctx, c.try); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return nil
}

// alive runs try unless the process name has exited (then waiting is
// pointless: it says so, with the end of its log).
func (t *Topology) alive(name string, try func() error) error {
	var p *Proc
	t.procs.mu.Lock()
	for _, q := range t.procs.list {
		if q.Name == name {
			p = q
		}
	}
	t.procs.mu.Unlock()
	if p != nil {
		if exited, err := p.Exited(); exited {
			return fmt.Errorf("%w: %s exited (%v):\n%s", ErrGiveUp, name, err, tail(t.LogPath(name), 2000))
		}
	}
	return try()
}

func get(ctx context.Context, url string) error {
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

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
