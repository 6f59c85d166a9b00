package metrics

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ContentType is the Prometheus text exposition format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// WritePrometheus writes every series in the Prometheus text format.
func (r *Registry) WritePrometheus(w io.Writer) error {
	bw := bufio.NewWriter(w)
	last := ""
	for _, s := range r.snapshot() {
		if s.name != last {
			last = s.name
			typ := "counter"
			if s.gauge != nil {
				typ = "gauge"
			}
			if h := help[s.name]; h != "" {
				fmt.Fprintf(bw, "# HELP %s %s\n", s.name, h)
			}
			fmt.Fprintf(bw, "# TYPE %s %s\n", s.name, typ)
		}
		bw.WriteString(s.name)
		if len(s.labels) > 0 {
			bw.WriteByte('{')
			for i, l := range s.labels {
				if i > 0 {
					bw.WriteByte(',')
				}
				fmt.Fprintf(bw, "%s=%q", l.Name, escape(l.Value))
			}
			bw.WriteByte('}')
		}
		bw.WriteByte(' ')
		bw.WriteString(strconv.FormatFloat(s.value(), 'g', -1, 64))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// escape keeps a label value on one line (%q does the quoting).
func escape(v string) string { return strings.ReplaceAll(v, "\n", " ") }

// Handler serves the registry as Prometheus text (mount it behind the API
// key).
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		_ = r.WritePrometheus(w)
	})
}

// EMF writes the registry as CloudWatch Embedded Metric Format lines: one
// JSON object per label set, counters as the increase since the last
// write (CloudWatch sums them), gauges as they are. Lambda and ECS (awslogs)
// ship stdout to CloudWatch Logs, which turns the lines into metrics.
type EMF struct {
	Registry   *Registry
	Namespace  string
	Dimensions map[string]string // added to every line (e.g. "Service": "api")
	Out        io.Writer
	Now        func() time.Time

	mu      sync.Mutex
	last    map[*series]uint64
	flushed time.Time
}

// Flush writes the lines of every series that changed since the last
// Flush (and every gauge).
func (e *EMF) Flush() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	if e.Now != nil {
		now = e.Now()
	}
	e.flushed = now
	if e.last == nil {
		e.last = map[*series]uint64{}
	}
	type doc struct {
		labels  []Label
		metrics map[string]float64
	}
	docs := map[string]*doc{}
	var order []string
	for _, s := range e.Registry.snapshot() {
		v := s.value()
		if s.counter != nil {
			cur := s.counter.Value()
			if cur == e.last[s] {
				continue
			}
			v = float64(cur - e.last[s])
			e.last[s] = cur
		}
		k := labelKey(s.labels)
		d := docs[k]
		if d == nil {
			d = &doc{labels: s.labels, metrics: map[string]float64{}}
			docs[k] = d
			order = append(order, k)
		}
		d.metrics[s.name] = v
	}
	for _, k := range order {
		if err := e.write(now, docs[k].labels, docs[k].metrics); err != nil {
			return err
		}
	}
	return nil
}

// FlushIfDue flushes when every has passed since the last flush (Lambda:
// call it after each invocation).
func (e *EMF) FlushIfDue(every time.Duration) error {
	e.mu.Lock()
	due := time.Since(e.flushed) >= every
	e.mu.Unlock()
	if !due {
		return nil
	}
	return e.Flush()
}

// write writes one EMF line.
func (e *EMF) write(now time.Time, labels []Label, values map[string]float64) error {
	line := map[string]any{}
	dims := slices.Sorted(maps.Keys(e.Dimensions))
	for _, k := range dims {
		line[k] = e.Dimensions[k]
	}
	for _, l := range labels {
		line[l.Name] = l.Value
		dims = append(dims, l.Name)
	}
	var defs []map[string]string
	for name, v := range values {
		unit := "Count"
		switch name {
		case QueueLag:
			unit = "Seconds"
		case SessionsConnected:
			unit = "None"
		}
		defs = append(defs, map[string]string{"Name": name, "Unit": unit})
		line[name] = v
	}
	line["_aws"] = map[string]any{
		"Timestamp": now.UnixMilli(),
		"CloudWatchMetrics": []map[string]any{{
			"Namespace": e.Namespace, "Dimensions": [][]string{dims}, "Metrics": defs,
		}},
	}
	b, err := json.Marshal(line)
	if err != nil {
		return fmt.Errorf("encode emf line: %w", err)
	}
	_, err = e.Out.Write(append(b, '\n'))
	return err
}
