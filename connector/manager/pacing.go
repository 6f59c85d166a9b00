package manager

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing limits how fast one session's messages leave, so a bulk send looks
// like a person typing fast rather than a bot (numbers that blast messages
// get banned). Messages over the rate wait in the queue; nothing is refused,
// and other sessions and inbound traffic are not slowed.
type Pacing struct {
	PerSecond float64 // sustained messages per second per session; 0 = unlimited
	Burst     int     // messages that may leave back to back
}

// DefaultPacing: one message per second with bursts of five.
var DefaultPacing = Pacing{PerSecond: 1, Burst: 5}

// pacers holds one token bucket per session.
type pacers struct {
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

// delay takes a token for sessionID and returns how long to wait before
// sending (0 = now). A positive delay returns the token: the caller tries
// again later.
func (p *pacers) delay(cfg Pacing, sessionID string, now time.Time) time.Duration {
	if cfg.PerSecond <= 0 {
		return 0
	}
	p.mu.Lock()
	if p.m == nil {
		p.m = map[string]*rate.Limiter{}
	}
	lim, ok := p.m[sessionID]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(cfg.PerSecond), max(cfg.Burst, 1))
		p.m[sessionID] = lim
	}
	p.mu.Unlock()
	r := lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	if d > 0 {
		r.CancelAt(now)
	}
	return d
}

// forget drops a session's bucket (session stopped or deleted).
func (p *pacers) forget(sessionID string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, sessionID)
}
