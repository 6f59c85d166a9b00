package httpapi

import (
	"net/http"

	"github.com/wagate/wagate/shared/console"
)

// routes registers every route. Patterns use Go 1.22 method+wildcard syntax;
// more specific patterns win, so /api/messages/{sessionId}/chats beats
// /api/messages/{sessionId}/{chatId}.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /health", s.handleHealth)
	mux.HandleFunc("GET /ready", s.handleReady)
	if s.Metrics != nil {
		mux.HandleFunc("GET /metrics", s.authed(s.Metrics.Handler().ServeHTTP))
	}
	mux.HandleFunc("GET /files/{token}", s.handleFile)
	mux.Handle("GET /console/", console.Handler())
	mux.Handle("GET /console", http.RedirectHandler(console.Prefix, http.StatusMovedPermanently))

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

	// Statuses, media files, the API description (docs/statuses-media.md).
	mux.HandleFunc("GET /api/openapi.json", s.handleOpenAPI)
	if s.Statuses != nil {
		mux.HandleFunc("GET /api/status/sessions/{sessionId}", s.authed(s.handleListStatuses))
		mux.HandleFunc("GET /api/status/sessions/{sessionId}/active", s.authed(s.handleActiveStatuses))
		mux.HandleFunc("POST /api/status/sessions/{sessionId}", s.authed(s.handlePostStatus))
		mux.HandleFunc("POST /api/status/sessions/{sessionId}/statuses/{statusId}/view", s.authed(s.handleViewStatus))
		mux.HandleFunc("POST /api/status/sessions/{sessionId}/statuses/{statusId}/reactions", s.authed(s.handleStatusReaction))
		mux.HandleFunc("DELETE /api/status/sessions/{sessionId}/statuses/{statusId}/reactions", s.authed(s.handleStatusReaction))
	}
	if s.MediaFiles != nil {
		mux.HandleFunc("GET /api/media/sessions/{sessionId}", s.authed(s.handleListMedia))
		mux.HandleFunc("POST /api/media/sessions/{sessionId}/upload", s.authed(s.handleUpload))
		mux.HandleFunc("GET /api/media/{mediaFileId}", s.authed(s.handleGetMedia))
		mux.HandleFunc("GET /api/media/{mediaFileId}/{action}", s.authed(s.handleMediaAction)) // …/download, see handleMediaAction
		mux.HandleFunc("DELETE /api/media/{mediaFileId}", s.authed(s.handleDeleteMedia))
	}
	if s.Sim != nil {
		mux.HandleFunc("GET /api/_sim/sessions/{id}/reads", s.authed(s.handleSimReads))
	}

	// Contacts, groups and request/reply command results (docs/contacts-groups.md).
	if s.Commands != nil {
		mux.HandleFunc("GET /api/commands/{id}", s.authed(s.handleGetCommand))
	}
	if s.Contacts != nil {
		mux.HandleFunc("GET /api/contacts/{sessionId}", s.authed(s.handleListContacts))
		mux.HandleFunc("GET /api/contacts/{sessionId}/stats", s.authed(s.handleContactStats))
		mux.HandleFunc("GET /api/contacts/{sessionId}/search/{phoneNumber}", s.authed(s.handleSearchContact))
		mux.HandleFunc("GET /api/contacts/{sessionId}/info/{contactId}", s.authed(s.handleContactInfo))
	}
	if s.Groups != nil {
		mux.HandleFunc("GET /api/groups/sessions/{sessionId}", s.authed(s.handleListGroups))
		mux.HandleFunc("POST /api/groups/sessions/{sessionId}", s.authed(s.handleCreateGroup))
		mux.HandleFunc("GET /api/groups/sessions/{sessionId}/groups/{groupId}", s.authed(s.handleGetGroup))
		mux.HandleFunc("PUT /api/groups/sessions/{sessionId}/groups/{groupId}", s.authed(s.handleUpdateGroup))
		mux.HandleFunc("POST /api/groups/sessions/{sessionId}/groups/{groupId}/participants", s.authed(s.handleAddParticipants))
		mux.HandleFunc("DELETE /api/groups/sessions/{sessionId}/groups/{groupId}/participants", s.authed(s.handleRemoveParticipants))
		mux.HandleFunc("POST /api/groups/sessions/{sessionId}/groups/{groupId}/promote", s.authed(s.handlePromote))
		mux.HandleFunc("POST /api/groups/sessions/{sessionId}/groups/{groupId}/demote", s.authed(s.handleDemote))
		mux.HandleFunc("POST /api/groups/sessions/{sessionId}/groups/{groupId}/invite-code", s.authed(s.handleInviteCode))
		mux.HandleFunc("POST /api/groups/join-with-code", s.authed(s.handleJoinWithCode))
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
