package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Settings of the list1m group.
const (
	listSession  = "list-1m"
	listPhone    = "34640000001"
	listMessages = 1_000_000
	listChats    = 100
	listWorkers  = 4 // concurrent clients: latency, not a saturation test (the 2 cores are shared with the load driver)
	listPageSize = 50
	listFarPage  = 100
)

// listPage is the part of a message list's answer the bench checks.
type listPage struct {
	Data struct {
		Messages   []struct{} `json:"messages"`
		Pagination struct {
			Total int `json:"total"`
		} `json:"pagination"`
	} `json:"data"`
}

// list1m: GET /api/messages/{session} pages 1 and listFarPage of a session
// with listMessages stored messages. wagate makes the schema and the
// session, the bench bulk-inserts the messages into its stopped database,
// then listWorkers workers alternate the two pages on a restarted wagate.
func (b *bench) list1m(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "wagate-bench-list1m-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := b.listPrepare(ctx, dir); err != nil {
		return err
	}
	c, a, startup, err := b.startWagateWith(ctx, wagateOpts{dataDir: dir})
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	progress("list1m: wagate up on %d messages after %v", listMessages, startup.Round(time.Millisecond))
	p1 := fmt.Sprintf("/api/messages/%s?page=1&limit=%d", listSession, listPageSize)
	far := fmt.Sprintf("/api/messages/%s?page=%d&limit=%d", listSession, listFarPage, listPageSize)
	total, err := checkPage(ctx, a, far)
	if err != nil {
		return err
	}
	if total != listMessages {
		return fmt.Errorf("the API reports total %d, want %d", total, listMessages)
	}
	progress("list1m: %d workers alternating page 1 and %d, %v warm-up + %v", listWorkers, listFarPage, b.warmup, b.dur)
	t, err := closedLoop(ctx, listWorkers, b.warmup, b.dur, func(ctx context.Context, seq int) (string, error) {
		if seq%2 == 0 {
			return "p1", a.do(ctx, http.MethodGet, p1, nil, http.StatusOK, nil)
		}
		return "p100", a.do(ctx, http.MethodGet, far, nil, http.StatusOK, nil)
	})
	if err != nil {
		return err
	}
	if err := b.checkAlive(c, t, "list1m"); err != nil {
		return err
	}
	progress("list1m: %.0f lists/s", float64(t.count())/t.window.Seconds())
	b.out.figure("list_p1_p50_ms", t.pctMs(50, "p1"), unitMs)
	b.out.figure("list_p1_p99_ms", t.pctMs(99, "p1"), unitMs)
	b.out.figure("list_p100_p50_ms", t.pctMs(50, "p100"), unitMs)
	b.out.figure("list_p100_p99_ms", t.pctMs(99, "p100"), unitMs)
	b.out.figure("list_total", float64(total), unitCount)
	return nil
}

// listPrepare makes wagate create the database and a connected session in
// dir, stops it, and fills the session with listMessages messages.
func (b *bench) listPrepare(ctx context.Context, dir string) error {
	c, a, _, err := b.startWagateWith(ctx, wagateOpts{dataDir: dir})
	if err != nil {
		return err
	}
	defer c.stop()
	defer a.close()
	if err := a.createSession(ctx, listSession); err != nil {
		return err
	}
	if err := a.scan(ctx, listSession, listPhone); err != nil {
		return err
	}
	if err := a.waitStatus(ctx, listSession, "connected", connectTimeout, connectPoll); err != nil {
		return err
	}
	a.close()
	c.stop()
	if c.waitErr != nil {
		return fmt.Errorf("wagate did not stop cleanly: %w", c.waitErr)
	}
	progress("list1m: filling %d messages over %d chats", listMessages, listChats)
	start := time.Now()
	if err := fillMessages(ctx, filepath.Join(dir, "wagate.db"), listSession, listMessages, listChats); err != nil {
		return err
	}
	progress("list1m: fill took %v", time.Since(start).Round(time.Millisecond))
	return nil
}

// checkPage reads one page, checks it is full and returns the total.
func checkPage(ctx context.Context, a *api, path string) (int, error) {
	var page listPage
	if err := a.do(ctx, http.MethodGet, path, nil, http.StatusOK, &page); err != nil {
		return 0, err
	}
	if n := len(page.Data.Messages); n != listPageSize {
		return 0, fmt.Errorf("%s returned %d messages, want %d", path, n, listPageSize)
	}
	return page.Data.Pagination.Total, nil
}
