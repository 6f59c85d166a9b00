// Package metrics counts what wagate does — API requests, commands, sends,
// inbound messages, webhook attempts and failures, queue lag, connected
// sessions — in a small registry of counters and gauges, and exports them
// in the format of each runtime: Prometheus text on GET /metrics (local)
// and CloudWatch Embedded Metric Format log lines (aws).
//
// The counting is done by decorators around the ports (Queue, Bus,
// Deliveries) and an HTTP middleware, so the services and adapters stay
// unaware of it.
package metrics

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Metric names (Prometheus style; EMF uses them as they are).
const (
	Requests          = "wagate_http_requests_total"
	Commands          = "wagate_commands_total"
	Sends             = "wagate_sends_total"
	Inbound           = "wagate_inbound_messages_total"
	WebhookAttempts   = "wagate_webhook_attempts_total"
	WebhookFailures   = "wagate_webhook_failures_total"
	QueueLag          = "wagate_queue_lag_seconds"
	SessionsConnected = "wagate_sessions_connected"
	EventsPublished   = "wagate_events_published_total"
)

// help describes each metric.
var help = map[string]string{
	Requests:          "API requests by status class.",
	Commands:          "Commands received by the connector, by type and outcome (received, acked, nacked).",
	Sends:             "Outbound messages by result (sent, failed).",
	Inbound:           "Inbound WhatsApp messages.",
	WebhookAttempts:   "Webhook delivery attempts.",
	WebhookFailures:   "Webhook delivery attempts that did not deliver.",
	QueueLag:          "Age of the last command received, from enqueue to receive.",
	SessionsConnected: "Sessions connected to WhatsApp in this process.",
	EventsPublished:   "Events published on the bus, by type.",
}

// Label is one name=value pair of a series.
type Label struct{ Name, Value string }

// Counter only goes up.
type Counter struct{ v atomic.Uint64 }

// Add adds n.
func (c *Counter) Add(n uint64) { c.v.Add(n) }

// Inc adds one.
func (c *Counter) Inc() { c.v.Add(1) }

// Value returns the count.
func (c *Counter) Value() uint64 { return c.v.Load() }

// Gauge goes up and down.
type Gauge struct{ bits atomic.Uint64 }

// Set sets the value.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Add adds d (may be negative).
func (g *Gauge) Add(d float64) {
	for {
		old := g.bits.Load()
		if g.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+d)) {
			return
		}
	}
}

// Value returns the value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

// series is one metric with one label set.
type series struct {
	name    string
	labels  []Label
	counter *Counter
	gauge   *Gauge
}

// Registry holds series by name and labels.
type Registry struct {
	mu     sync.Mutex
	series map[string]*series
}

// Default is the process's registry.
var Default = New()

// New returns an empty registry.
func New() *Registry { return &Registry{series: map[string]*series{}} }

// Counter returns the counter of name with labels (name, value pairs),
// creating it.
func (r *Registry) Counter(name string, labels ...string) *Counter {
	return r.get(name, labels, false).counter
}

// Gauge returns the gauge of name with labels, creating it.
func (r *Registry) Gauge(name string, labels ...string) *Gauge {
	return r.get(name, labels, true).gauge
}

func (r *Registry) get(name string, kv []string, gauge bool) *series {
	ls := make([]Label, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		ls = append(ls, Label{kv[i], kv[i+1]})
	}
	slices.SortFunc(ls, func(a, b Label) int { return cmp.Compare(a.Name, b.Name) })
	var key strings.Builder
	key.WriteString(name)
	for _, l := range ls {
		key.WriteString("\x00" + l.Name + "\x00" + l.Value)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.series[key.String()]
	if s == nil {
		s = &series{name: name, labels: ls}
		if gauge {
			s.gauge = new(Gauge)
		} else {
			s.counter = new(Counter)
		}
		r.series[key.String()] = s
	}
	return s
}

// snapshot returns the series sorted by name, then labels.
func (r *Registry) snapshot() []*series {
	r.mu.Lock()
	out := make([]*series, 0, len(r.series))
	for _, s := range r.series {
		out = append(out, s)
	}
	r.mu.Unlock()
	slices.SortFunc(out, func(a, b *series) int {
		return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(labelKey(a.labels), labelKey(b.labels)))
	})
	return out
}

func labelKey(ls []Label) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.Name + "=" + l.Value + ",")
	}
	return b.String()
}

func (s *series) value() float64 {
	if s.gauge != nil {
		return s.gauge.Value()
	}
	return float64(s.counter.Value())
}
