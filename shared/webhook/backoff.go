package webhook

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Jitter is the relative spread of each retry delay: ±20 %.
const Jitter = 0.2

// Schedule is the delay before each retry: Schedule[0] after the first
// failed attempt, and so on; once it runs out the delivery is dead.
type Schedule []time.Duration

// DefaultSchedule retries 12 times over about 30.5 hours, so an endpoint
// down for a day still gets everything.
var DefaultSchedule = Schedule{
	10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour, 8 * time.Hour, 8 * time.Hour,
}

// Next returns the delay before the next attempt after attempt failed
// attempts (1 after the first), jittered by ±Jitter with rnd (a uniform
// [0,1) source; nil uses math/rand/v2), and false when the schedule is
// exhausted: the delivery is dead.
func (s Schedule) Next(attempt int, rnd func() float64) (time.Duration, bool) {
	i := max(attempt, 1) - 1
	if i >= len(s) {
		return 0, false
	}
	if rnd == nil {
		rnd = rand.Float64
	}
	f := 1 - Jitter + 2*Jitter*rnd()
	return time.Duration(float64(s[i]) * f), true
}

// Total is the sum of the nominal delays: how long a delivery is retried.
func (s Schedule) Total() time.Duration {
	var t time.Duration
	for _, d := range s {
		t += d
	}
	return t
}

// String renders s the way ParseSchedule reads it.
func (s Schedule) String() string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = d.String()
	}
	return strings.Join(parts, ",")
}

// ParseSchedule reads a comma-separated list of positive Go durations
// ("10s,1m,5m"); an empty or blank text is DefaultSchedule.
func ParseSchedule(text string) (Schedule, error) {
	if strings.TrimSpace(text) == "" {
		return slices.Clone(DefaultSchedule), nil
	}
	var s Schedule
	for part := range strings.SplitSeq(text, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("parse webhook retry schedule %q: %w", text, err)
		}
		if d <= 0 {
			return nil, fmt.Errorf("parse webhook retry schedule %q: delay %v is not positive", text, d)
		}
		s = append(s, d)
	}
	return s, nil
}
