package httpapi

import "net/http"

// routes registers every route. Patterns use Go 1.22 method+wildcard syntax;
// more specific patterns win, so /api/messages/{sessionId}/chats beats
// /api/messages/{sessionId}/{chatId}.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /health", s.handleHealth)
	mux.HandleFunc("GET /ready", s.handleReady)
	mux.HandleFunc("GET /files/{token}", s.handleFile)

	mux.HandleFunc("POST /api/sessions", s.authed(s.handleCreateSession))
	mux.HandleFunc("GET /api/sessions", s.authed(s.handleListSessions))
	mux.HandleFunc("GET /api/sessions/{id}", s.authed(s.handleGetSession))
	mux.HandleFunc("DELETE /api/sessions/{id}", s.authed(s.handleDeleteSession))
	mux.HandleFunc("GET /api/sessions/{id}/status", s.authed(s.handleSessionStatus))
	mux.HandleFunc("GET /api/sessions/{id}/qr", s.authed(s.handleSessionQR))
	mux.HandleFunc("POST /api/sessions/{id}/connect", s.authed(s.handleConnect))
	mux.HandleFunc("POST /api/sessions/{id}/disconnect", s.authed(s.handleDisconnect))
	mux.HandleFunc("POST /api/sessions/{id}/restart", s.authed(s.handleRestart))
	mux.HandleFunc("POST /api/sessions/{id}/pairing-code", s.authed(s.handlePairingCode))
	mux.HandleFunc("GET /api/sessions/{id}/contacts", s.authed(s.handleSessionContacts))
	mux.HandleFunc("POST /api/sessions/{id}/frappe/configure", s.authed(s.handleFrappeConfigure))
	mux.HandleFunc("GET /api/sessions/{id}/frappe/status", s.authed(s.handleFrappeStatus))
	mux.HandleFunc("PUT /api/sessions/{id}/webhook", s.authed(s.handleSetWebhook))

	mux.HandleFunc("POST /api/messages/{sessionId}/send", s.authed(s.handleSend))
	mux.HandleFunc("GET /api/messages/unread", s.authed(s.handleUnread))
	mux.HandleFunc("GET /api/messages/{sessionId}", s.authed(s.handleListMessages))
	mux.HandleFunc("GET /api/messages/{sessionId}/chats", s.authed(s.handleChats))
	mux.HandleFunc("GET /api/messages/{sessionId}/stats", s.authed(s.handleStats))
	mux.HandleFunc("GET /api/messages/{sessionId}/{chatId}", s.authed(s.handleChatMessages))
	mux.HandleFunc("PUT /api/messages/{sessionId}/{chatId}/read", s.authed(s.handleMarkRead))
	mux.HandleFunc("GET /api/messages/{sessionId}/{messageId}/media", s.authed(s.handleMessageMedia))

	if s.Webhooks != nil {
		mux.HandleFunc("GET /api/webhooks/deliveries", s.authed(s.handleListDeliveries))
		mux.HandleFunc("GET /api/webhooks/deliveries/{id}", s.authed(s.handleGetDelivery))
		mux.HandleFunc("POST /api/webhooks/deliveries/{id}/replay", s.authed(s.handleReplayDelivery))
		mux.HandleFunc("POST /api/webhooks/replay", s.authed(s.handleReplayDead))
		mux.HandleFunc("POST /api/sessions/{id}/webhook/test", s.authed(s.handleWebhookTest))
	}

	if s.Sim != nil {
		mux.HandleFunc("POST /api/_sim/sessions/{id}/scan", s.authed(s.handleSimScan))
		mux.HandleFunc("POST /api/_sim/sessions/{id}/drop", s.authed(s.handleSimDrop))
		mux.HandleFunc("POST /api/_sim/sessions/{id}/logout", s.authed(s.handleSimLogout))
		mux.HandleFunc("POST /api/_sim/sessions/{id}/kick", s.authed(s.handleSimKick))
		mux.HandleFunc("POST /api/_sim/sessions/{id}/inbound", s.authed(s.handleSimInbound))
		mux.HandleFunc("POST /api/_sim/sessions/{id}/receipt", s.authed(s.handleSimReceipt))
		mux.HandleFunc("GET /api/_sim/sessions/{id}/sent", s.authed(s.handleSimSent))
	}
}
