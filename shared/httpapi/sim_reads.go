package httpapi

import "net/http"

type simReadDTO struct {
	ChatID    string   `json:"chatId"`
	SenderJID string   `json:"senderJid"`
	IDs       []string `json:"ids"`
	At        string   `json:"at"`
}

// handleSimReads lists the read receipts the session sent through the
// simulated network (chats marked read, statuses viewed).
func (s *Server) handleSimReads(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Sessions.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.Sim.Reads(r.Context(), sess.SessionID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]simReadDTO, 0, len(list))
	for _, x := range list {
		out = append(out, simReadDTO{ChatID: x.ChatID, SenderJID: x.SenderJID, IDs: x.IDs, At: isoTime(x.At)})
	}
	writeOK(w, http.StatusOK, "", struct {
		SessionID string       `json:"sessionId"`
		Count     int          `json:"count"`
		Receipts  []simReadDTO `json:"receipts"`
	}{sess.SessionID, len(out), out})
}
