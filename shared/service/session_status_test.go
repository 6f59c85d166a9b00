package service_test

import (
	"context"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

// leases is a LeaseStore with one lease per session and a task list.
type leases struct {
	wagate.LeaseStore
	by    map[string]*wagate.Lease
	tasks []wagate.Task
}

func (l *leases) Lease(_ context.Context, id string) (*wagate.Lease, error) { return l.by[id], nil }
func (l *leases) Tasks(context.Context) ([]wagate.Task, error)              { return l.tasks, nil }

// The status route trusts the record only while its lease is live.
func TestSessionStatusLease(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	ls := &leases{by: map[string]*wagate.Lease{}, tasks: []wagate.Task{
		{ID: "live", ExpiresAt: now.Add(time.Minute)}, {ID: "dead", ExpiresAt: now.Add(-time.Second)},
	}}
	svc := &service.Sessions{Store: w.sessions, Queue: w.queue, Leases: ls, Now: func() time.Time { return now }}
	for _, tc := range []struct {
		name   string
		status wagate.Status
		lease  *wagate.Lease
		want   wagate.Status
	}{
		{"owner live", wagate.StatusConnected, &wagate.Lease{Owner: "live", Token: 3}, wagate.StatusConnected},
		{"owner expired", wagate.StatusConnected, &wagate.Lease{Owner: "dead", Token: 3}, wagate.StatusDisconnected},
		{"owner unknown", wagate.StatusQRCode, &wagate.Lease{Owner: "gone", Token: 1}, wagate.StatusDisconnected},
		{"released", wagate.StatusConnected, &wagate.Lease{Token: 4, Wanted: true}, wagate.StatusDisconnected},
		{"never leased", wagate.StatusConnected, nil, wagate.StatusDisconnected},
		{"connecting, not taken yet", wagate.StatusConnecting, nil, wagate.StatusConnecting},
		{"connecting, owner expired", wagate.StatusConnecting, &wagate.Lease{Owner: "dead", Token: 2}, wagate.StatusDisconnected},
		{"disconnected", wagate.StatusDisconnected, &wagate.Lease{Owner: "live", Token: 1}, wagate.StatusDisconnected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := "s-" + tc.name
			w.session(t, id, tc.status)
			ls.by[id] = tc.lease
			got, err := svc.Status(context.Background(), id)
			if err != nil || got.Status != tc.want {
				t.Fatalf("Status = %+v, %v; want %s", got, err, tc.want)
			}
			if tc.want != tc.status && got.Reason != wagate.ReasonHostStopped {
				t.Errorf("reason %q, want %q", got.Reason, wagate.ReasonHostStopped)
			}
		})
	}
}
