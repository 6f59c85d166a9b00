package webhook

import (
	"fmt"
	"testing"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

// TestPoolStartsWorkersOnDemand: an idle pool holds no goroutine; a burst
// starts as many workers as attempts run at once (never more than the
// pool's size), and freed workers are reused.
func TestPoolStartsWorkersOnDemand(t *testing.T) {
	spawned := 0
	p := newPool(4, 2, func() { spawned++ })
	if limit, _ := p.room(); limit == 0 || spawned != 0 {
		t.Fatalf("idle pool: room %d, %d workers started; want room and none started", limit, spawned)
	}
	delivery := func(i int, session string) *wagate.WebhookDelivery {
		return &wagate.WebhookDelivery{ID: fmt.Sprint("d", i), SessionID: session}
	}
	p.add([]*wagate.WebhookDelivery{delivery(1, "a"), delivery(2, "b")})
	if spawned != 2 {
		t.Fatalf("2 attempts ready: %d workers started, want 2", spawned)
	}
	// The workers would take jobs from the channel; take them here.
	d1, d2 := <-p.jobs, <-p.jobs
	p.done(d1, time.Time{})
	p.add([]*wagate.WebhookDelivery{delivery(3, "c")})
	if spawned != 2 {
		t.Fatalf("one worker free for the third attempt: %d started, want 2", spawned)
	}
	<-p.jobs
	p.add([]*wagate.WebhookDelivery{delivery(4, "d"), delivery(5, "e"), delivery(6, "f"), delivery(7, "g")})
	if spawned != 4 {
		t.Fatalf("burst over the pool's size: %d started, want the size, 4", spawned)
	}
	p.done(d2, time.Time{})
	p.stop()
	p.add([]*wagate.WebhookDelivery{delivery(8, "h")})
	if spawned != 4 {
		t.Fatalf("stopped pool started a worker: %d", spawned)
	}
}
