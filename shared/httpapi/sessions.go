package httpapi

import (
	"context"
	"net/http"
	"strings"

	wagate "github.com/wagate/wagate/shared"
	"github.com/wagate/wagate/shared/service"
)

type createSessionBody struct {
	SessionID     string   `json:"sessionId"`
	SessionName   string   `json:"sessionName"`
	Name          string   `json:"name"`
	PhoneNumber   string   `json:"phoneNumber"`
	WebhookURL    string   `json:"webhookUrl"`
	WebhookSecret string   `json:"webhookSecret"`
	WebhookEvents []string `json:"webhookEvents"`
	FromFrappe    bool     `json:"fromFrappe"`
}

func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var b createSessionBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	if b.SessionName == "" {
		b.SessionName = b.Name
	}
	sess, err := s.Sessions.Create(r.Context(), service.CreateInput{
		SessionID: b.SessionID, SessionName: b.SessionName, PhoneNumber: b.PhoneNumber,
		WebhookURL: b.WebhookURL, WebhookSecret: b.WebhookSecret, WebhookEvents: b.WebhookEvents,
		FromFrappe: b.FromFrappe || strings.EqualFold(r.Header.Get("X-Frappe-Origin"), "true"),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusCreated, "Session created.", createdOf(sess))
}

func (s *Server) handleListSessions(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, service.DefaultPageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.Sessions.List(r.Context(), service.ListInput{Page: page, Limit: limit, Status: r.URL.Query().Get("status")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := sessionList{Sessions: make([]sessionSummary, 0, len(list)), Pagination: newPagination(total, page, limit)}
	for _, x := range list {
		out.Sessions = append(out.Sessions, summaryOf(x))
	}
	writeOK(w, http.StatusOK, "", out)
}

func (s *Server) handleGetSession(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Sessions.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", struct {
		Session sessionDetail `json:"session"`
	}{detailOf(sess)})
}

func (s *Server) handleSessionStatus(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Sessions.Status(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", statusOfSession(sess))
}

func (s *Server) handleSessionQR(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Sessions.QR(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", qrData{QRCode: sess.QRCode, SessionID: sess.SessionID, ExpiresAt: isoOrNil(sess.QRExpiresAt), Status: string(sess.Status)})
}

func (s *Server) handleConnect(w http.ResponseWriter, r *http.Request) {
	s.lifecycle(w, r, s.Sessions.Connect, "Session started: showing a QR code or reconnecting.")
}

func (s *Server) handleDisconnect(w http.ResponseWriter, r *http.Request) {
	s.lifecycle(w, r, s.Sessions.Disconnect, "Session disconnected.")
}

func (s *Server) handleRestart(w http.ResponseWriter, r *http.Request) {
	s.lifecycle(w, r, s.Sessions.Restart, "Session restarting.")
}

// lifecycle runs a connect/disconnect/restart use case and answers with the
// session's state.
func (s *Server) lifecycle(w http.ResponseWriter, r *http.Request, do func(context.Context, string) (*wagate.Session, error), msg string) {
	if err := decodeJSON(r, &struct{}{}); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := do(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, msg, sessionState{ID: sess.ID, SessionID: sess.SessionID, Status: string(sess.Status)})
}

func (s *Server) handleDeleteSession(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Sessions.Delete(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "Session deleted.", deletedSession{ID: sess.ID, SessionID: sess.SessionID, Deleted: true})
}

func (s *Server) handlePairingCode(w http.ResponseWriter, r *http.Request) {
	var b struct {
		PhoneNumber string `json:"phoneNumber"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.Sessions.PairPhone(r.Context(), r.PathValue("id"), b.PhoneNumber)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if sess.PairingCode == "" && sess.Status != wagate.StatusConnected {
		status = http.StatusAccepted // still waiting for WhatsApp: ask again
	}
	writeOK(w, status, "Enter the pairing code on the phone: WhatsApp > Linked devices > Link with phone number.",
		pairingData{SessionID: sess.SessionID, Status: string(sess.Status), PairingCode: strOrNil(sess.PairingCode)})
}

// handleSessionContacts answers the seed's shape (contacts, total, source)
// from the contact store; page and limit (default and maximum 100) page it.
func (s *Server) handleSessionContacts(w http.ResponseWriter, r *http.Request) {
	page, limit, err := pageParams(r, service.MaxPageLimit, service.MaxPageLimit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.Contacts == nil {
		if _, err := s.Sessions.Get(r.Context(), r.PathValue("id")); err != nil {
			s.writeError(w, r, err)
			return
		}
		writeOK(w, http.StatusOK, "", contactList{Contacts: []contactItem{}, Source: "whatsapp"})
		return
	}
	list, total, err := s.Contacts.List(r.Context(), r.PathValue("id"), r.URL.Query().Get("search"), page, limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", contactList{Contacts: contactsOf(list), Total: total, Source: "whatsapp"})
}
