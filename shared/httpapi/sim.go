package httpapi

import (
	"net/http"
)

// Routes under /api/_sim/ drive the simulated WhatsApp network; they exist
// only when the sim engine is active.

func (s *Server) handleSimScan(w http.ResponseWriter, r *http.Request) {
	var b struct {
		PhoneNumber string `json:"phoneNumber"`
		PushName    string `json:"pushName"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.simAction(w, r, func(sessionID string) error {
		return s.Sim.Scan(r.Context(), sessionID, b.PhoneNumber, b.PushName)
	}, "QR code scanned.")
}

func (s *Server) handleSimDrop(w http.ResponseWriter, r *http.Request) {
	s.simAction(w, r, func(id string) error { return s.Sim.Drop(r.Context(), id) }, "Connection dropped.")
}

func (s *Server) handleSimLogout(w http.ResponseWriter, r *http.Request) {
	s.simAction(w, r, func(id string) error { return s.Sim.Logout(r.Context(), id) }, "Device unlinked by the phone.")
}

// simAction resolves {id} to a session and runs do on its sessionId.
func (s *Server) simAction(w http.ResponseWriter, r *http.Request, do func(sessionID string) error, msg string) {
	sess, err := s.Sessions.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := do(sess.SessionID); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, msg, sessionState{ID: sess.ID, SessionID: sess.SessionID, Status: string(sess.Status)})
}
