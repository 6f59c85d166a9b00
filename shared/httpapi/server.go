package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"runtime/debug"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/metrics"
	"github.com/wagate/wagate/shared/service"
)

// Server is the HTTP API. Build it with its dependencies, then use Handler.
type Server struct {
	Sessions *service.Sessions
	Messages *service.Messages
	Webhooks *service.Webhooks
	// Statuses and MediaFiles serve /api/status/… and /api/media/…; nil = no such routes.
	Statuses   *service.Statuses
	MediaFiles *service.MediaFiles
	// Contacts, Groups and Commands serve /api/contacts/…, /api/groups/… and
	// /api/commands/{id}; nil = no such routes.
	Contacts *service.Contacts
	Groups   *service.Groups
	Commands *service.Commands
	// Sim is the simulated network's control; nil unless WAGATE_ENGINE=sim.
	Sim wagate.SimControl
	// Files serves presigned download links (/files/{token}); nil = none.
	Files FileSigner
	// APIKeys are the accepted X-API-Key values (at least one).
	APIKeys []string
	// RateLimit caps requests per API key (off when zero).
	RateLimit RateLimit
	// Ready reports whether the runtime's dependencies are reachable; nil = always.
	Ready func(r *http.Request) error
	// Metrics is served on GET /metrics (Prometheus text) behind the API key; nil = no such route.
	Metrics *metrics.Registry
	Log     *slog.Logger

	keyHashes [][32]byte
	limits    limiters
}

// FileSigner is the blob store side the API needs for download links.
type FileSigner interface {
	wagate.BlobStore
	// Verify checks a download token and returns what it grants.
	Verify(token string) (key, filename string, err error)
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Handler returns the API's http.Handler.
func (s *Server) Handler() http.Handler {
	s.keyHashes = s.keyHashes[:0]
	for _, k := range s.APIKeys {
		s.keyHashes = append(s.keyHashes, sha256.Sum256([]byte(k)))
	}
	mux := http.NewServeMux()
	s.routes(mux)
	return s.recoverer(s.dispatch(mux))
}

// dispatch answers unknown routes and wrong methods with the error envelope
// instead of net/http's plain text.
func (s *Server) dispatch(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			h, _ := mux.Handler(r)
			rec := &statusProbe{}
			h.ServeHTTP(rec, r)
			if rec.status == http.StatusMethodNotAllowed {
				s.writeError(w, r, wagate.Errorf(methodNotAllowed, "Method %s is not allowed on %s.", r.Method, r.URL.Path))
				return
			}
			s.writeError(w, r, wagate.Errorf(wagate.ENOTFOUND, "No route for %s %s.", r.Method, r.URL.Path))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// statusProbe records what net/http's fallback handler would answer.
type statusProbe struct {
	status int
	h      http.Header
}

func (p *statusProbe) Header() http.Header {
	if p.h == nil {
		p.h = http.Header{}
	}
	return p.h
}
func (p *statusProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *statusProbe) WriteHeader(code int)        { p.status = code }

// authed wraps h with the API key check: MISSING_API_KEY when absent,
// AUTHENTICATION_FAILED when wrong; keys are compared in constant time.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-API-Key")
		if key == "" {
			s.writeError(w, r, wagate.Errorf(wagate.EMISSINGKEY, "The X-API-Key header is required."))
			return
		}
		sum, ok := s.validKey(key)
		if !ok {
			s.writeError(w, r, wagate.Errorf(wagate.EAUTH, "Invalid API key."))
			return
		}
		if s.rateLimited(w, r, sum) {
			return
		}
		h(w, r)
	}
}

func (s *Server) validKey(key string) ([32]byte, bool) {
	sum := sha256.Sum256([]byte(key))
	ok := 0
	for i := range s.keyHashes {
		ok |= subtle.ConstantTimeCompare(sum[:], s.keyHashes[i][:])
	}
	return sum, ok == 1
}

// recoverer turns a panic in a handler into an INTERNAL_ERROR answer.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log().ErrorContext(r.Context(), "handler panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.writeError(w, r, wagate.Errorf(wagate.EINTERNAL, "Internal error."))
			}
		}()
		h.ServeHTTP(w, r)
	})
}
