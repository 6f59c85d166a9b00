package httpapi

import (
	"net/http"
	"sync"

	"golang.org/x/time/rate"

	wagate "github.com/wagate/wagate/shared"
)

// RateLimit caps API requests per API key when a deployer sets one.
type RateLimit struct {
	PerSecond float64 // 0 = no limit
	Burst     int
}

// limiters holds one token bucket per API key (keyed by the key's hash).
type limiters struct {
	mu sync.Mutex
	m  map[[32]byte]*rate.Limiter
}

// allow reports whether a request with this key may proceed now.
func (l *limiters) allow(cfg RateLimit, key [32]byte) bool {
	if cfg.PerSecond <= 0 {
		return true
	}
	l.mu.Lock()
	if l.m == nil {
		l.m = map[[32]byte]*rate.Limiter{}
	}
	lim, ok := l.m[key]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(cfg.PerSecond), max(cfg.Burst, 1))
		l.m[key] = lim
	}
	l.mu.Unlock()
	return lim.Allow()
}

func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, key [32]byte) bool {
	if s.limits.allow(s.RateLimit, key) {
		return false
	}
	w.Header().Set("Retry-After", "1")
	s.writeError(w, r, wagate.Errorf(wagate.ERATELIMIT, "Too many requests for this API key: at most %g per second.", s.RateLimit.PerSecond))
	return true
}
