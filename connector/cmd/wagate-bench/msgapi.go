package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Settings of the message groups.
const (
	benchRecipient = "34657032985" // who the sends go to
	totalsConc     = 16            // concurrent GETs when summing totals
)

// sendAnswer is the part of a send's answer the bench reads.
type sendAnswer struct {
	Data struct {
		Message struct {
			Status string `json:"status"`
		} `json:"message"`
	} `json:"data"`
}

// inboundAnswer is the part of a sim inbound's answer the bench reads.
type inboundAnswer struct {
	Data struct {
		WhatsAppMessageID string `json:"whatsappMessageId"`
	} `json:"data"`
}

// sendText sends a text through POST /api/messages/{session}/send and
// returns data.message.status ("sent", or "pending" when the send took
// longer than WAGATE_SEND_WAIT).
func (a *api) sendText(ctx context.Context, session, text string) (string, error) {
	body, err := json.Marshal(map[string]string{"to": benchRecipient, "message": text})
	if err != nil {
		return "", err
	}
	var ans sendAnswer
	if err := a.do(ctx, http.MethodPost, "/api/messages/"+session+"/send", body, http.StatusOK, &ans); err != nil {
		return "", err
	}
	if ans.Data.Message.Status == "" {
		return "", fmt.Errorf("send on %s: no data.message.status in the answer", session)
	}
	return ans.Data.Message.Status, nil
}

// inboundText delivers a text from phone to the session through the sim
// network and returns its WhatsApp message id.
func (a *api) inboundText(ctx context.Context, session, phone, text string) (string, error) {
	body, err := json.Marshal(map[string]string{"from": phone, "type": "text", "content": text})
	if err != nil {
		return "", err
	}
	var ans inboundAnswer
	if err := a.do(ctx, http.MethodPost, "/api/_sim/sessions/"+session+"/inbound", body, http.StatusOK, &ans); err != nil {
		return "", err
	}
	if ans.Data.WhatsAppMessageID == "" {
		return "", fmt.Errorf("inbound on %s: no data.whatsappMessageId in the answer", session)
	}
	return ans.Data.WhatsAppMessageID, nil
}

// setWebhook points the session's webhooks at url for events.
func (a *api) setWebhook(ctx context.Context, session, url string, events []string) error {
	_, err := a.call(ctx, http.MethodPut, "/api/sessions/"+session+"/webhook",
		map[string]any{"webhookUrl": url, "webhookEvents": events}, http.StatusOK)
	return err
}

// messageTotal returns pagination.total of GET /api/messages/{session}?query.
func (a *api) messageTotal(ctx context.Context, session, query string) (int, error) {
	env, err := a.call(ctx, http.MethodGet, "/api/messages/"+session+"?"+query, nil, http.StatusOK)
	return env.Data.Pagination.Total, err
}

// sumTotals sums messageTotal over sessions.
func (a *api) sumTotals(ctx context.Context, sessions []string, query string) (int, error) {
	var sum atomic.Int64
	err := forEach(ctx, len(sessions), totalsConc, func(ctx context.Context, i int) error {
		n, err := a.messageTotal(ctx, sessions[i], query)
		sum.Add(int64(n))
		return err
	})
	return int(sum.Load()), err
}

// connectSessions creates n sessions named prefix-NNN and scans them as
// phones phoneBase+NNNNN (createConcurrency at a time), then waits until
// all are connected. The process must hold no other connected session.
func connectSessions(ctx context.Context, a *api, prefix, phoneBase string, n int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	start := time.Now()
	err := forEach(ctx, n, createConcurrency, func(ctx context.Context, i int) error {
		if err := a.createSession(ctx, ids[i]); err != nil {
			return err
		}
		return a.scan(ctx, ids[i], phoneBase+fmt.Sprintf("%05d", i))
	})
	if err != nil {
		return nil, err
	}
	if err := waitConnected(ctx, a, n, start); err != nil {
		return nil, err
	}
	progress("%s: %d sessions connected after %v", prefix, n, time.Since(start).Round(time.Millisecond))
	return ids, nil
}

// phoneOf is the i-th of n contact phone numbers under base (6 digits).
func phoneOf(base string, i, n int) string {
	s := strconv.Itoa(1_000_000 + i%n)
	return base + s[1:]
}
