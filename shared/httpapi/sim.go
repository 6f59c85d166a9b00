package httpapi

import (
	"encoding/base64"
	"net/http"

	wagate "github.com/wagate/wagate/shared"
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

func (s *Server) handleSimKick(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Reason string `json:"reason"`
		Detail string `json:"detail"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.simAction(w, r, func(id string) error {
		return s.Sim.Kick(r.Context(), id, wagate.Reason(b.Reason), b.Detail)
	}, "Connection ended by the network.")
}

// simInboundBody is the body of POST /api/_sim/sessions/{id}/inbound.
type simInboundBody struct {
	ID       string `json:"id"`
	From     string `json:"from"`
	FromLID  string `json:"fromLid"`
	PushName string `json:"pushName"`
	Group    string `json:"group"`
	Type     string `json:"type"`
	Content  string `json:"content"`
	Media    *struct {
		Base64   string `json:"base64"`
		Mimetype string `json:"mimetype"`
		Filename string `json:"filename"`
	} `json:"media"`
	Location *struct {
		DegreesLatitude  float64 `json:"degreesLatitude"`
		DegreesLongitude float64 `json:"degreesLongitude"`
		Name             string  `json:"name"`
		Address          string  `json:"address"`
	} `json:"location"`
	Contacts []struct {
		DisplayName string `json:"displayName"`
		VCard       string `json:"vcard"`
	} `json:"contacts"`
	PTT          bool   `json:"ptt"`
	TargetID     string `json:"targetId"`
	TargetFromMe bool   `json:"targetFromMe"`
	Edit         bool   `json:"edit"`
	Revoke       bool   `json:"revoke"`
	QuotedID     string `json:"quotedId"`
	ViewOnce     bool   `json:"viewOnce"`
	Ephemeral    bool   `json:"ephemeral"`
	History      bool   `json:"history"`
	Status       bool   `json:"status"`
}

func (s *Server) handleSimInbound(w http.ResponseWriter, r *http.Request) {
	var b simInboundBody
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	in := wagate.SimInbound{
		ID: b.ID, From: b.From, FromLID: b.FromLID, PushName: b.PushName, Group: b.Group,
		Type: wagate.MessageType(b.Type), Content: b.Content, PTT: b.PTT, TargetID: b.TargetID,
		TargetFromMe: b.TargetFromMe, Edit: b.Edit, Revoke: b.Revoke, QuotedID: b.QuotedID,
		ViewOnce: b.ViewOnce, Ephemeral: b.Ephemeral, History: b.History, Status: b.Status,
	}
	if in.Type == "" {
		in.Type = wagate.TypeText
	}
	if b.Media != nil {
		data, err := base64.StdEncoding.DecodeString(b.Media.Base64)
		if err != nil {
			s.writeError(w, r, wagate.Errorf(wagate.EINVALID, "media.base64 is not valid base64."))
			return
		}
		in.Media = &wagate.SimMedia{Data: data, Mimetype: b.Media.Mimetype, Filename: b.Media.Filename}
	}
	if l := b.Location; l != nil {
		in.Location = &wagate.Location{Latitude: l.DegreesLatitude, Longitude: l.DegreesLongitude, Name: l.Name, Address: l.Address}
	}
	for _, c := range b.Contacts {
		in.Contacts = append(in.Contacts, wagate.ContactCard{DisplayName: c.DisplayName, VCard: c.VCard})
	}
	sess, err := s.Sessions.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := s.Sim.Inbound(r.Context(), sess.SessionID, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "Message delivered to the session.", struct {
		SessionID         string `json:"sessionId"`
		WhatsAppMessageID string `json:"whatsappMessageId"`
	}{sess.SessionID, id})
}

func (s *Server) handleSimReceipt(w http.ResponseWriter, r *http.Request) {
	var b struct {
		WhatsAppMessageID string `json:"whatsappMessageId"`
		Status            string `json:"status"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.simAction(w, r, func(id string) error {
		return s.Sim.Receipt(r.Context(), id, b.WhatsAppMessageID, wagate.MessageStatus(b.Status))
	}, "Receipt delivered.")
}

type simSentDTO struct {
	WhatsAppMessageID string `json:"whatsappMessageId"`
	ChatID            string `json:"chatId"`
	Type              string `json:"type"`
	Body              string `json:"body"`
	Submissions       int    `json:"submissions"`
}

// handleSimSent lists what the simulated network carried for the session.
func (s *Server) handleSimSent(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Sessions.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.Sim.Carried(r.Context(), sess.SessionID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]simSentDTO, 0, len(list))
	for _, m := range list {
		out = append(out, simSentDTO{WhatsAppMessageID: m.WhatsAppID, ChatID: m.ChatID, Type: string(m.Type), Body: m.Body, Submissions: m.Submissions})
	}
	writeOK(w, http.StatusOK, "", struct {
		SessionID string       `json:"sessionId"`
		Count     int          `json:"count"`
		Messages  []simSentDTO `json:"messages"`
	}{sess.SessionID, len(out), out})
}
