package httpapi

import (
	"net/http"
	"time"

	wagate "github.com/wagate/wagate/shared"
)

type healthData struct {
	Status    string `json:"status"`
	Timestamp string `json:"timestamp"`
}

// handleHealth answers without authentication: the process is up.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeOK(w, http.StatusOK, "", healthData{Status: "ok", Timestamp: isoTime(time.Now())})
}

// handleReady answers without authentication whether the dependencies
// (store, queue, bus) are reachable.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		if err := s.Ready(r); err != nil {
			s.log().WarnContext(r.Context(), "not ready", "err", err)
			s.writeError(w, r, wagate.Errorf(wagate.EUNAVAILABLE, "Not ready: a dependency is unreachable."))
			return
		}
	}
	writeOK(w, http.StatusOK, "", healthData{Status: "ready", Timestamp: isoTime(time.Now())})
}
