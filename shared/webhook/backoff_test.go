package webhook_test

import (
	"testing"
	"time"

	"github.com/wagate/wagate/shared/webhook"
)

func TestSchedule(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		s := webhook.DefaultSchedule
		if len(s) != 12 || s.Total() <= 24*time.Hour {
			t.Fatalf("default schedule %v: %d retries over %v; want 12 over more than a day", s, len(s), s.Total())
		}
	})

	t.Run("Next", func(t *testing.T) {
		s := webhook.Schedule{10 * time.Second, time.Minute}
		for _, tc := range []struct {
			name    string
			attempt int
			rnd     float64
			want    time.Duration
			ok      bool
		}{
			{"FirstLow", 1, 0, 8 * time.Second, true},
			{"FirstMid", 1, 0.5, 10 * time.Second, true},
			{"FirstHigh", 1, 0.999999, 12 * time.Second, true},
			{"Second", 2, 0.5, time.Minute, true},
			{"ZeroIsFirst", 0, 0.5, 10 * time.Second, true},
			{"Exhausted", 3, 0.5, 0, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, ok := s.Next(tc.attempt, func() float64 { return tc.rnd })
				if ok != tc.ok || (got-tc.want).Abs() > time.Millisecond {
					t.Fatalf("Next(%d) = %v, %v; want %v, %v", tc.attempt, got, ok, tc.want, tc.ok)
				}
			})
		}
	})

	t.Run("JitterBounds", func(t *testing.T) {
		for range 1000 {
			d, ok := webhook.DefaultSchedule.Next(4, nil)
			if !ok || d < 4*time.Minute || d > 6*time.Minute {
				t.Fatalf("Next(4) = %v, %v; want within ±20%% of 5m", d, ok)
			}
		}
	})

	t.Run("Parse", func(t *testing.T) {
		for _, tc := range []struct {
			name, text string
			want       webhook.Schedule
			wantErr    bool
		}{
			{"OK", "10s, 1m,5m", webhook.Schedule{10 * time.Second, time.Minute, 5 * time.Minute}, false},
			{"EmptyIsDefault", " ", webhook.DefaultSchedule, false},
			{"RoundTrip", webhook.DefaultSchedule.String(), webhook.DefaultSchedule, false},
			{"ErrSyntax", "10s,soon", nil, true},
			{"ErrZero", "10s,0s", nil, true},
			{"ErrEmptyItem", "10s,,1m", nil, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := webhook.ParseSchedule(tc.text)
				if (err != nil) != tc.wantErr || got.String() != tc.want.String() {
					t.Fatalf("ParseSchedule(%q) = %v, %v; want %v (error %v)", tc.text, got, err, tc.want, tc.wantErr)
				}
			})
		}
	})
}
