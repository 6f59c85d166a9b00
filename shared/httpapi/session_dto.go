package httpapi

import (
	wagate "github.com/wagate/wagate/shared"
)

// sessionSummary is a session in lists and the fields every session shape
// shares (seed: listar sesiones; client-compat: data.session on create).
type sessionSummary struct {
	ID           int64   `json:"id"`
	SessionID    string  `json:"sessionId"`
	SessionName  string  `json:"sessionName"`
	Status       string  `json:"status"`
	Reason       string  `json:"reason,omitempty"`
	ReasonDetail string  `json:"reasonDetail,omitempty"`
	PhoneNumber  *string `json:"phoneNumber"`
	IsConnected  bool    `json:"isConnected"`
	HasQR        bool    `json:"hasQR"`
	LastActivity *string `json:"lastActivity"`
}

func summaryOf(s *wagate.Session) sessionSummary {
	return sessionSummary{
		ID: s.ID, SessionID: s.SessionID, SessionName: s.Name,
		Status: string(s.Status), Reason: string(s.Reason), ReasonDetail: s.ReasonDetail,
		PhoneNumber: strOrNil(s.PhoneNumber), IsConnected: s.IsConnected(), HasQR: s.HasQR(),
		LastActivity: isoOrNil(s.LastActivity),
	}
}

type profileDTO struct {
	Name              string `json:"name"`
	About             string `json:"about"`
	ProfilePictureURL string `json:"profilePictureUrl"`
	IsBusiness        bool   `json:"isBusiness"`
}

// sessionDetail is GET /api/sessions/{id}: the summary plus profile and
// settings. The webhook secret is never returned, only whether one is set.
type sessionDetail struct {
	sessionSummary
	Profile          profileDTO `json:"profile"`
	WebhookURL       *string    `json:"webhookUrl"`
	WebhookEvents    []string   `json:"webhookEvents"`
	HasWebhookSecret bool       `json:"hasWebhookSecret"`
	SendToFrappe     bool       `json:"sendToFrappe"`
	AutoConnect      bool       `json:"autoConnect"`
	QRExpiresAt      *string    `json:"qrExpiresAt"`
	CreatedAt        string     `json:"createdAt"`
	UpdatedAt        string     `json:"updatedAt"`
}

func detailOf(s *wagate.Session) sessionDetail {
	evs := s.Webhook.Events
	if evs == nil {
		evs = []string{}
	}
	d := sessionDetail{
		sessionSummary: summaryOf(s),
		Profile: profileDTO{
			Name: s.Profile.Name, About: s.Profile.About,
			ProfilePictureURL: s.Profile.PictureURL, IsBusiness: s.Profile.IsBusiness,
		},
		WebhookURL: strOrNil(s.Webhook.URL), WebhookEvents: evs,
		HasWebhookSecret: s.Webhook.Secret != "", SendToFrappe: s.Webhook.SendToFrappe,
		AutoConnect: s.AutoConnect, CreatedAt: isoTime(s.CreatedAt), UpdatedAt: isoTime(s.UpdatedAt),
	}
	if s.HasQR() {
		d.QRExpiresAt = isoOrNil(s.QRExpiresAt)
	}
	return d
}

// createdSession is the answer to POST /api/sessions: the seed's flat
// fields and, for the CRM client, the same session under data.session.
type createdSession struct {
	ID        int64         `json:"id"`
	SessionID string        `json:"sessionId"`
	Status    string        `json:"status"`
	QRCode    *string       `json:"qrCode"`
	ExpiresAt *string       `json:"expiresAt"`
	Session   sessionDetail `json:"session"`
}

func createdOf(s *wagate.Session) createdSession {
	c := createdSession{ID: s.ID, SessionID: s.SessionID, Status: string(s.Status), Session: detailOf(s)}
	if s.HasQR() {
		c.QRCode, c.ExpiresAt = &s.QRCode, isoOrNil(s.QRExpiresAt)
	}
	return c
}

// sessionStatus is GET /api/sessions/{id}/status.
type sessionStatus struct {
	ID           int64   `json:"id"`
	SessionID    string  `json:"sessionId"`
	Status       string  `json:"status"`
	Reason       string  `json:"reason,omitempty"`
	ReasonDetail string  `json:"reasonDetail,omitempty"`
	PhoneNumber  *string `json:"phoneNumber"`
	LastActivity *string `json:"lastActivity"`
	IsConnected  bool    `json:"isConnected"`
	HasQR        bool    `json:"hasQR"`
}

func statusOfSession(s *wagate.Session) sessionStatus {
	return sessionStatus{
		ID: s.ID, SessionID: s.SessionID, Status: string(s.Status),
		Reason: string(s.Reason), ReasonDetail: s.ReasonDetail,
		PhoneNumber: strOrNil(s.PhoneNumber), LastActivity: isoOrNil(s.LastActivity),
		IsConnected: s.IsConnected(), HasQR: s.HasQR(),
	}
}

type qrData struct {
	QRCode    string  `json:"qrCode"`
	SessionID string  `json:"sessionId"`
	ExpiresAt *string `json:"expiresAt"`
	Status    string  `json:"status"`
}

type sessionState struct {
	ID        int64  `json:"id"`
	SessionID string `json:"sessionId"`
	Status    string `json:"status"`
}

type deletedSession struct {
	ID        int64  `json:"id"`
	SessionID string `json:"sessionId"`
	Deleted   bool   `json:"deleted"`
}

type pairingData struct {
	SessionID   string  `json:"sessionId"`
	Status      string  `json:"status"`
	PairingCode *string `json:"pairingCode"`
}

type frappeData struct {
	SessionID    string `json:"sessionId"`
	SendToFrappe bool   `json:"sendToFrappe"`
	Status       string `json:"status,omitempty"`
	SessionName  string `json:"sessionName,omitempty"`
}

type webhookData struct {
	SessionID        string   `json:"sessionId"`
	WebhookURL       *string  `json:"webhookUrl"`
	WebhookEvents    []string `json:"webhookEvents"`
	HasWebhookSecret bool     `json:"hasWebhookSecret"`
	SendToFrappe     bool     `json:"sendToFrappe"`
}

type sessionList struct {
	Sessions   []sessionSummary `json:"sessions"`
	Pagination pagination       `json:"pagination"`
}

// contactList is GET /api/sessions/{id}/contacts.
type contactList struct {
	Contacts []contactItem `json:"contacts"`
	Total    int           `json:"total"`
	Source   string        `json:"source"`
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
