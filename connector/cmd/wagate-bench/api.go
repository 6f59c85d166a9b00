package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Timings for talking to wagate outside the load runs.
const (
	apiTimeout    = 10 * time.Second       // one API call
	healthTimeout = 30 * time.Second       // exec → first 200 on /health
	healthPoll    = 200 * time.Microsecond // pause between /health attempts
	healthCallMax = time.Second            // one /health attempt
	errBodyMax    = 300                    // bytes of an error body quoted
	apiConns      = 512                    // idle connections kept (open-loop runs go past loadConns)
)

// api is a small client for the wagate routes the bench drives.
type api struct {
	base string
	key  string
	hc   *http.Client
}

func newAPI(base, key string) *api {
	tr := &http.Transport{Proxy: nil, MaxIdleConns: apiConns, MaxIdleConnsPerHost: apiConns, DisableCompression: true}
	return &api{base: base, key: key, hc: &http.Client{Transport: tr, Timeout: apiTimeout}}
}

// close drops the client's idle connections.
func (a *api) close() { a.hc.CloseIdleConnections() }

// envelope is the part of wagate's response envelope the bench reads.
type envelope struct {
	Success bool `json:"success"`
	Data    struct {
		Status     string `json:"status"`
		Pagination struct {
			Total int `json:"total"`
		} `json:"pagination"`
	} `json:"data"`
}

// call sends one request and decodes the envelope; a status other than
// want is an error quoting the response body.
func (a *api) call(ctx context.Context, method, path string, body any, want int) (envelope, error) {
	var env envelope
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return env, err
		}
		raw = b
	}
	err := a.do(ctx, method, path, raw, want, &env)
	return env, err
}

// do sends one request with a JSON body (nil for none) and decodes the
// answer into out (nil to discard it); a status other than want is an
// error quoting the response body.
func (a *api) do(ctx context.Context, method, path string, body []byte, want int, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("X-API-Key", a.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, clip(raw))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: decode body: %w: %s", method, path, err, clip(raw))
	}
	return nil
}

// createSession creates a session; wagate answers 201 with status qr_code.
func (a *api) createSession(ctx context.Context, id string) error {
	env, err := a.call(ctx, http.MethodPost, "/api/sessions", map[string]string{"sessionId": id, "sessionName": id}, http.StatusCreated)
	if err == nil && env.Data.Status != "qr_code" {
		err = fmt.Errorf("create session %q: status %q, want qr_code", id, env.Data.Status)
	}
	return err
}

// scan acts as the phone (given, so that numbers never collide) scanning
// the session's QR code.
func (a *api) scan(ctx context.Context, id, phone string) error {
	_, err := a.call(ctx, http.MethodPost, "/api/_sim/sessions/"+id+"/scan", map[string]string{"phoneNumber": phone}, http.StatusOK)
	return err
}

// status returns data.status of GET /api/sessions/{id}/status.
func (a *api) status(ctx context.Context, id string) (string, error) {
	env, err := a.call(ctx, http.MethodGet, "/api/sessions/"+id+"/status", nil, http.StatusOK)
	return env.Data.Status, err
}

// countConnected returns how many sessions are connected.
func (a *api) countConnected(ctx context.Context) (int, error) {
	env, err := a.call(ctx, http.MethodGet, "/api/sessions?status=connected&limit=1", nil, http.StatusOK)
	return env.Data.Pagination.Total, err
}

// waitStatus polls the session's status until it is want.
func (a *api) waitStatus(ctx context.Context, id, want string, timeout time.Duration, every time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		got, err := a.status(ctx, id)
		if err != nil {
			return err
		}
		if got == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("session %q: status still %q after %v, want %q", id, got, timeout, want)
		}
		if err := sleep(ctx, every); err != nil {
			return err
		}
	}
}

// waitHealthy polls GET /health in a tight loop (a refused connection is
// retried after healthPoll) and returns when the first 200 arrived.
func waitHealthy(ctx context.Context, c *child) (time.Time, error) {
	tr := &http.Transport{Proxy: nil, DisableKeepAlives: true, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: healthCallMax}
	url := c.baseURL() + "/health"
	deadline := c.started.Add(healthTimeout)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return time.Time{}, err
		}
		resp, err := hc.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Now(), nil
			}
		}
		switch {
		case ctx.Err() != nil:
			return time.Time{}, ctx.Err()
		case c.exited():
			return time.Time{}, c.exitError()
		case time.Now().After(deadline):
			return time.Time{}, fmt.Errorf("%s: no 200 on /health within %v (last error: %v); log tail:\n%s", c.name, healthTimeout, err, c.logTail())
		}
		time.Sleep(healthPoll)
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func clip(b []byte) string {
	if len(b) > errBodyMax {
		return string(b[:errBodyMax]) + "…"
	}
	return string(b)
}
