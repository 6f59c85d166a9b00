package failover

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

var client = &http.Client{Timeout: 30 * time.Second}

// call makes an API request (key set) and returns the status and body.
func call(ctx context.Context, method, url string, body any, header map[string]string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-API-Key", APIKey)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// SessionID is the id of the i-th session of a run.
func SessionID(i int) string { return fmt.Sprintf("fo-%05d", i) }

// CreateSessions creates n sessions through the API, workers at a time.
func (c *Cluster) CreateSessions(ctx context.Context, n, workers int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = SessionID(i)
	}
	err := each(ctx, ids, workers, func(id string) error {
		code, b, err := call(ctx, "POST", c.API.URL+"/api/sessions", map[string]string{"sessionId": id}, nil)
		if err == nil && code != http.StatusCreated {
			err = fmt.Errorf("create %s = %d %s", id, code, b)
		}
		return err
	})
	return ids, err
}

// Pair scans each session's QR code through the sim control of whichever
// process hosts it (each session gets its own phone number).
func (c *Cluster) Pair(ctx context.Context, ids []string, workers int) error {
	return each(ctx, ids, workers, func(id string) error {
		n, _ := strconv.Atoi(id[len(id)-min(len(id), 5):])
		phone := fmt.Sprintf("3465%07d", n)
		return Eventually(ctx, 100*time.Millisecond, func() error {
			for _, p := range c.Procs() {
				url := "http://127.0.0.1:" + strconv.Itoa(p.SimPort) + "/api/_sim/sessions/" + id + "/scan"
				code, _, err := call(ctx, "POST", url, map[string]string{"phoneNumber": phone}, nil)
				if err == nil && code == http.StatusOK {
					return nil
				}
			}
			return fmt.Errorf("no process paired %s", id)
		})
	})
}

// Status returns a session's status as the status route reports it.
func (c *Cluster) Status(ctx context.Context, id string) (string, error) {
	code, b, err := call(ctx, "GET", c.API.URL+"/api/sessions/"+id+"/status", nil, nil)
	if err != nil {
		return "", err
	}
	var out struct {
		Data struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	if code != http.StatusOK || json.Unmarshal(b, &out) != nil {
		return "", fmt.Errorf("status of %s = %d %s", id, code, b)
	}
	return out.Data.Status, nil
}

// Accepted is a send the API accepted.
type Accepted struct {
	SessionID, WhatsAppID, Key string
}

// LoadResult is what a send load did.
type LoadResult struct {
	Start    time.Time // when the load began
	Accepted []Accepted
	Refused  int // answered 4xx (e.g. the session not connected)
	Failed   int // no answer after retries
}

// Load sends rate messages per second, round-robin over ids, for dur; each
// send carries an Idempotency-Key and is retried with it on a transport
// error or a 5xx.
func (c *Cluster) Load(ctx context.Context, ids []string, rate float64, dur time.Duration) LoadResult {
	var (
		mu  sync.Mutex
		res = LoadResult{Start: time.Now()}
		wg  sync.WaitGroup
		seq atomic.Int64
	)
	run := strconv.FormatInt(res.Start.UnixNano(), 36) // idempotency keys are unique per load
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	end := time.After(dur)
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-end:
			break loop
		case <-tick.C:
		}
		n := int(seq.Add(1))
		wg.Go(func() {
			// A send in flight when the load stops is answered all the same:
			// the API may have accepted it already.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			a, code := c.send(sctx, ids[n%len(ids)], run, n)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case a != nil:
				res.Accepted = append(res.Accepted, *a)
			case code >= 400 && code < 500:
				res.Refused++
			default:
				res.Failed++
			}
		})
	}
	wg.Wait()
	return res
}

// send makes one send with its idempotency key, retrying 5xx and transport
// errors.
func (c *Cluster) send(ctx context.Context, sid, run string, n int) (*Accepted, int) {
	key := "fo-" + run + "-" + strconv.Itoa(n)
	body := map[string]string{"to": fmt.Sprintf("3469%07d", n%1000), "message": "load message " + strconv.Itoa(n)}
	code := 0
	for attempt := 0; attempt < 5; attempt++ {
		var b []byte
		var err error
		code, b, err = call(ctx, "POST", c.API.URL+"/api/messages/"+sid+"/send", body, map[string]string{"Idempotency-Key": key})
		if err == nil && code == http.StatusOK {
			var out struct {
				Data struct {
					Message struct {
						WhatsAppMessageID string `json:"whatsappMessageId"`
					} `json:"message"`
				} `json:"data"`
			}
			if json.Unmarshal(b, &out) == nil && out.Data.Message.WhatsAppMessageID != "" {
				return &Accepted{SessionID: sid, WhatsAppID: out.Data.Message.WhatsAppMessageID, Key: key}, code
			}
		}
		if err == nil && code >= 400 && code < 500 {
			return nil, code
		}
		time.Sleep(200 * time.Millisecond)
	}
	return nil, code
}

// each runs fn for every id, workers at a time, and returns the first error.
func each(ctx context.Context, ids []string, workers int, fn func(string) error) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	sem := make(chan struct{}, max(workers, 1))
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(id); err != nil {
				once.Do(func() { first = err })
			}
		})
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
