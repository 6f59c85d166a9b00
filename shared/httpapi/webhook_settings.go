package httpapi

import (
	"net/http"

	"github.com/wagate/wagate/shared/service"
)

func (s *Server) handleFrappeConfigure(w http.ResponseWriter, r *http.Request) {
	var b struct {
		SendToFrappe *bool `json:"sendToFrappe"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	on := true // the seed's route exists to turn the integration on
	if b.SendToFrappe != nil {
		on = *b.SendToFrappe
	}
	sess, err := s.Sessions.SetWebhook(r.Context(), r.PathValue("id"), service.WebhookInput{SendToFrappe: &on})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	msg := "Frappe integration enabled for the session."
	if !on {
		msg = "Frappe integration disabled for the session."
	}
	writeOK(w, http.StatusOK, msg, frappeData{SessionID: sess.SessionID, SendToFrappe: sess.Webhook.SendToFrappe})
}

func (s *Server) handleFrappeStatus(w http.ResponseWriter, r *http.Request) {
	sess, err := s.Sessions.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeOK(w, http.StatusOK, "", frappeData{SessionID: sess.SessionID, SendToFrappe: sess.Webhook.SendToFrappe, Status: string(sess.Status), SessionName: sess.Name})
}

func (s *Server) handleSetWebhook(w http.ResponseWriter, r *http.Request) {
	var b struct {
		WebhookURL    *string   `json:"webhookUrl"`
		WebhookSecret *string   `json:"webhookSecret"`
		WebhookEvents *[]string `json:"webhookEvents"`
		SendToFrappe  *bool     `json:"sendToFrappe"`
	}
	if err := decodeJSON(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.Sessions.SetWebhook(r.Context(), r.PathValue("id"), service.WebhookInput{
		URL: b.WebhookURL, Secret: b.WebhookSecret, Events: b.WebhookEvents, SendToFrappe: b.SendToFrappe,
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	evs := sess.Webhook.Events
	if evs == nil {
		evs = []string{}
	}
	writeOK(w, http.StatusOK, "Webhook settings updated.", webhookData{
		SessionID: sess.SessionID, WebhookURL: strOrNil(sess.Webhook.URL), WebhookEvents: evs,
		HasWebhookSecret: sess.Webhook.Secret != "", SendToFrappe: sess.Webhook.SendToFrappe,
	})
}
