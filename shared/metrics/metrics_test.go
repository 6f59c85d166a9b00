package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/events"
	"github.com/wagate/wagate/shared/metrics"
)

type nopBus struct{}

func (nopBus) Publish(context.Context, ...events.Event) error { return nil }

func event(t *testing.T, typ, session string) events.Event {
	t.Helper()
	ev, err := events.NewEvent("e", typ, session, 1, time.Now(), map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestPrometheus(t *testing.T) {
	r := metrics.New()
	b := &metrics.Bus{EventBus: nopBus{}, R: r}
	err := b.Publish(t.Context(), event(t, events.EvMessageSent, "s1"), event(t, events.EvMessageReceived, "s1"),
		event(t, events.EvSessionConnected, "s1"), event(t, events.EvSessionConnected, "s2"), event(t, events.EvSessionDisconnected, "s2"))
	if err != nil {
		t.Fatal(err)
	}
	h := metrics.Middleware(r, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))

	var out bytes.Buffer
	if err := r.WritePrometheus(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# TYPE wagate_sends_total counter\nwagate_sends_total{result=\"sent\"} 1\n",
		"wagate_inbound_messages_total 1\n",
		"# TYPE wagate_sessions_connected gauge\nwagate_sessions_connected 1\n",
		"wagate_http_requests_total{status=\"4xx\"} 1\n",
		"wagate_events_published_total{type=\"session.connected\"} 2\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("exposition lacks %q:\n%s", want, out.String())
		}
	}
}

func TestEMF(t *testing.T) {
	r := metrics.New()
	var out bytes.Buffer
	e := &metrics.EMF{Registry: r, Namespace: "wagate", Dimensions: map[string]string{"Service": "api"}, Out: &out}
	r.Counter(metrics.WebhookAttempts).Add(3)
	must(t, e.Flush())
	r.Counter(metrics.WebhookAttempts).Add(2)
	must(t, e.Flush())
	must(t, e.Flush()) // nothing changed: no line

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), out.String())
	}
	var second map[string]any
	must(t, json.Unmarshal([]byte(lines[1]), &second))
	if second[metrics.WebhookAttempts] != 2.0 || second["Service"] != "api" {
		t.Fatalf("second line %v: want the increase (2) and the dimension", second)
	}
	aws := second["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
	if aws["Namespace"] != "wagate" {
		t.Fatalf("namespace %v", aws["Namespace"])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
