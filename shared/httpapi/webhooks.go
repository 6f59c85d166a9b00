package httpapi

import (
	"encoding/json"
	"net/http"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

type deliveryDTO struct {
	ID             string          `json:"id"`
	EventID        string          `json:"eventId"`
	Event          string          `json:"event"`
	SessionID      string          `json:"sessionId"`
	Target         string          `json:"target"`
	Status         string          `json:"status"`
	Attempts       int             `json:"attempts"`
	NextAttemptAt  *string         `json:"nextAttemptAt"`
	LastURL        string          `json:"lastUrl,omitempty"`
	LastStatusCode int             `json:"lastStatusCode"`
	LastError      string          `json:"lastError,omitempty"`
	CreatedAt      string          `json:"createdAt"`
	UpdatedAt      string          `json:"updatedAt"`
	DeliveredAt    *string         `json:"deliveredAt"`
	Payload        json.RawMessage `json:"payload,omitempty"`
	AttemptLog     []attemptDTO    `json:"attemptLog,omitempty"`
}

type attemptDTO struct {
	N          int     `json:"n"`
	At         string  `json:"at"`
	URL        string  `json:"url"`
	StatusCode int     `json:"statusCode"`
	LatencyMs  float64 `json:"latencyMs"`
	Error      string  `json:"error,omitempty"`
}

func deliveryOf(d *wagate.WebhookDelivery) deliveryDTO {
	out := deliveryDTO{ID: d.ID, EventID: d.EventID, Event: d.EventType, SessionID: d.SessionID, Target: d.Target,
		Status: string(d.Status), Attempts: d.Attempts, LastURL: d.LastURL, LastStatusCode: d.LastCode, LastError: d.LastError,
		CreatedAt: isoTime(d.CreatedAt), UpdatedAt: isoTime(d.UpdatedAt), DeliveredAt: isoOrNil(d.DeliveredAt)}
	if d.Status == wagate.DeliveryPending {
		out.NextAttemptAt = isoOrNil(d.NextAttemptAt)
	}
	return out
}

func attemptOf(a wagate.WebhookAttempt) attemptDTO {
	return attemptDTO{N: a.N, At: isoTime(a.At), URL: a.URL, StatusCode: a.StatusCode,
		LatencyMs: float64(a.Latency.Microseconds()) / 1000, Error: a.Error}
}

func (s *Server) handleListDeliveries(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, service.DefaultPageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	dq := service.DeliveryQuery{SessionKey: q.Get("sessionId"), Status: q.Get("status"), Event: q.Get("event"), Page: page, Limit: limit}
	if dq.Since, dq.Until, err = dateRange(q.Get("startDate"), q.Get("endDate")); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.Webhooks.List(r.Context(), dq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Deliveries []deliveryDTO `json:"deliveries"`
		Total      int           `json:"total"`
		Pagination pagination    `json:"pagination"`
	}{make([]deliveryDTO, 0, len(list)), total, newPagination(total, page, limit)}
	for _, d := range list {
		out.Deliveries = append(out.Deliveries, deliveryOf(d))
	}
	writeOK(w, http.StatusOK, "", out)
}

func (s *Server) handleGetDelivery(w http.ResponseWriter, r *http.Request) {
	d, attempts, err := s.Webhooks.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := deliveryOf(d)
	out.Payload = d.Event
	out.AttemptLog = make([]attemptDTO, 0, len(attempts))
	for _, a := range attempts {
		out.AttemptLog = append(out.AttemptLog, attemptOf(a))
	}
	writeOK(w, http.StatusOK, "", struct {
		Delivery deliveryDTO `json:"delivery"`
	}{out})
}

func (s *Server) handleReplayDelivery(w http.ResponseWriter, r *http.Request) {
	if err := decodeJSON(r, &struct{}{}); err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := s.Webhooks.Replay(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "Delivery queued again.", struct {
		Delivery deliveryDTO `json:"delivery"`
	}{deliveryOf(d)})
}

func (s *Server) handleReplayDead(w http.ResponseWriter, r *http.Request) {
	var b struct {
		SessionID string `json:"sessionId"`
		StartDate string `json:"startDate"`
		EndDate   string `json:"endDate"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	since, until, err := dateRange(b.StartDate, b.EndDate)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := s.Webhooks.ReplayDead(r.Context(), service.DeliveryQuery{SessionKey: b.SessionID, Since: since, Until: until})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "Dead-lettered deliveries queued again.", struct {
		Replayed int `json:"replayed"`
	}{n})
}

func (s *Server) handleWebhookTest(w http.ResponseWriter, r *http.Request) {
	if err := decodeJSON(r, &struct{}{}); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, a, err := s.Webhooks.Test(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ok := a.StatusCode >= 200 && a.StatusCode < 300
	msg := "Test webhook delivered."
	if !ok {
		msg = "Test webhook was not accepted by the endpoint."
	}
	writeOK(w, http.StatusOK, msg, struct {
		SessionID string     `json:"sessionId"`
		Delivered bool       `json:"delivered"`
		Attempt   attemptDTO `json:"attempt"`
	}{sess.SessionID, ok, attemptOf(a)})
}
